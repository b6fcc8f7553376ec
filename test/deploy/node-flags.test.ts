/**
 * The Node flags and environment the server runs with in production: `npm start` and the Docker
 * image pass the same ones; the flags keep V8's young generation at 2 × 8 MB (shorter scavenge
 * pauses on the update path: docs/benchmarks.md, "Scavenges and the update path's tail").
 * bench/sync-harness.ts starts our server with the flags and environment of `npm start` too.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { productionNodeEnv, productionNodeFlags } from "../../bench/sync-harness.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** The flags between "node" and "bin/scratchroom.js" in the Dockerfile's CMD. */
function dockerFlags(): string[] {
  const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(root, "Dockerfile"), "utf8"))?.[1];
  const argv = JSON.parse(cmd ?? "[]") as string[];
  expect(argv[0]).toBe("node");
  expect(argv.slice(-2)).toEqual(["bin/scratchroom.js", "serve"]);
  return argv.slice(1, -2);
}

/** The variables the Dockerfile's runtime stage sets with ENV (`ENV A=1 B=2` lines). */
function dockerEnv(): Record<string, string> {
  const dockerfile = readFileSync(join(root, "Dockerfile"), "utf8");
  const runtime = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
  const lines = [...runtime.matchAll(/^ENV (.+)$/gm)].map((m) => m[1]!);
  return Object.fromEntries(
    lines
      .flatMap((l) => l.split(/\s+/))
      .map((a) => [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]),
  );
}

describe("the server's environment", () => {
  it("is the same in the Docker image as in `npm start`", () => {
    expect(dockerEnv()).toMatchObject(productionNodeEnv(root));
  });

  it("is read by the bench from the assignments in front of `node` in `npm start`", () => {
    const checkout = mkdtempSync(join(tmpdir(), "node-env-"));
    try {
      const start =
        "node bin/build-if-stale.js && A_B=2 C=x node --max-semi-space-size=8 bin/scratchroom.js serve";
      writeFileSync(join(checkout, "package.json"), JSON.stringify({ scripts: { start } }));
      expect(productionNodeEnv(checkout)).toEqual({ A_B: "2", C: "x" });
      expect(productionNodeFlags(checkout)).toEqual(["--max-semi-space-size=8"]);
    } finally {
      rmSync(checkout, { recursive: true, force: true });
    }
  });
});

describe("the server's Node flags", () => {
  it("are the same in the Docker image as in `npm start`", () => {
    expect(dockerFlags()).toEqual(productionNodeFlags(root));
  });

  it("keep the young generation at 2 × 8 MB however much survives", () => {
    // Keeps 100,000 small objects alive at a time: a high survival rate, on which V8 grows the
    // young generation to its maximum (2 × 16 MB on 64-bit without the flag).
    const program = `
      let kept = [];
      for (let i = 0; i < 3e6; i++) { kept.push({ i }); if (kept.length > 1e5) kept = []; }
      const space = require("node:v8").getHeapSpaceStatistics().find((s) => s.space_name === "new_space");
      console.log(space.space_size);`;
    const flags = productionNodeFlags(root);
    const newSpace = Number(execFileSync(process.execPath, [...flags, "-e", program], { encoding: "utf8" }));
    expect(newSpace).toBeGreaterThan(0);
    expect(newSpace).toBeLessThanOrEqual(2 * 8 * 1024 * 1024);
  });
});
