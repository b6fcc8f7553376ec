import { describe, expect, it } from "vitest";
import { plainWorkerExecArgv } from "./exec-argv.js";

describe("plainWorkerExecArgv", () => {
  it("drops tsx's loader hooks in both flag forms and keeps every other flag", () => {
    const parent = [
      "--require",
      "/app/node_modules/tsx/dist/preflight.cjs",
      "--import",
      "file:///app/node_modules/tsx/dist/loader.mjs",
      "--max-old-space-size=4096",
      "--import=tsx",
      "--require",
      "/app/instrument.cjs",
      "--enable-source-maps",
    ];
    expect(plainWorkerExecArgv(parent)).toEqual([
      "--max-old-space-size=4096",
      "--require",
      "/app/instrument.cjs",
      "--enable-source-maps",
    ]);
  });

  it("leaves a parent without tsx untouched", () => {
    expect(plainWorkerExecArgv(["--inspect", "--import", "./otel.mjs"])).toEqual([
      "--inspect",
      "--import",
      "./otel.mjs",
    ]);
  });
});
