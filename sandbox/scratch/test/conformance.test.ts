/**
 * Conformance in real Chromium: the conformance program set (conformance/programs.ts) runs in the
 * room's runner worker under wasm (cross-origin isolated, with threads, and not), software WebGL
 * (--disable-gpu) and WebGPU on the SwiftShader adapter, and is compared element by element with
 * Node's wasm output within CONFORMANCE_TOLERANCE. wasm must agree everywhere. A GPU backend may
 * disagree (that is what the suite is for), but then its self-test must keep it from ever being
 * selected: a run that asks for a GPU computes Node's numbers on every configuration.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunEvent, RunRequest } from "../../events.js";
import { createNodeRunner } from "../../runner/node.js";
import { CHROMIUM_ARGS, CHROMIUM_WEBGPU_ARGS, describeWith } from "../../../test/support/requirements.js";
import { buildPage, openBuiltPage, type BuiltPage, type PageOptions } from "../../../support/browser-page.js";
import { CONFORMANCE_PROGRAMS, firstDisagreement, parseOutput } from "./conformance/programs.js";

type Output = Map<string, number[]>;

const root = new URL("./conformance/", import.meta.url).pathname;

function consoleLines(events: RunEvent[]): string[] {
  return events.flatMap((e) => (e.type === "console" ? [e.text] : []));
}

await describeWith(["chromium"], "conformance of the browser backends with Node (Chromium)", () => {
  let built: BuiltPage | undefined;
  const node = new Map<string, Output>();

  beforeAll(async () => {
    const runner = createNodeRunner({ poolSize: 1 });
    try {
      for (const program of CONFORMANCE_PROGRAMS) {
        const events: RunEvent[] = [];
        const done = await runner.run({ source: program.source }, (e) => events.push(e));
        expect(done.status, program.name).toBe("ok");
        node.set(program.name, parseOutput(consoleLines(events)));
      }
    } finally {
      await runner.close();
    }
    built = await buildPage(root);
  }, 240_000);

  afterAll(() => built?.remove());

  /** Runs every program on a page; resolves to each program's first disagreement (or null) and the backend. */
  async function runAll(
    options: PageOptions,
    request: Partial<RunRequest> = {},
  ): Promise<{ results: Map<string, string | null>; backends: Set<string>; isolated: boolean }> {
    const opened = await openBuiltPage(built!, options);
    try {
      const results = new Map<string, string | null>();
      const backends = new Set<string>();
      for (const program of CONFORMANCE_PROGRAMS) {
        const events = await opened.page.evaluate(
          (req) =>
            (globalThis as unknown as { runCase: (r: RunRequest) => Promise<RunEvent[]> }).runCase(req),
          { ...request, source: program.source } as RunRequest,
        );
        const done = events.at(-1);
        if (done?.type !== "done" || done.status !== "ok") {
          results.set(program.name, `run failed: ${JSON.stringify(done)}`);
          continue;
        }
        if (done.device) backends.add(done.device.backend);
        results.set(
          program.name,
          firstDisagreement(node.get(program.name)!, parseOutput(consoleLines(events))),
        );
      }
      const isolated = await opened.page.evaluate(() => globalThis.crossOriginIsolated);
      return { results, backends, isolated };
    } finally {
      await opened.close();
    }
  }

  const summary = (results: Map<string, string | null>) =>
    [...results].map(([name, problem]) => `${name}: ${problem ?? "agrees"}`).join("; ");

  it("wasm, not isolated, agrees with Node on every program", async () => {
    const { results, backends, isolated } = await runAll({ search: "?backend=wasm" });
    expect(isolated).toBe(false);
    expect([...backends]).toEqual(["wasm"]);
    expect([...results.values()], summary(results)).toEqual(CONFORMANCE_PROGRAMS.map(() => null));
  }, 180_000);

  it("wasm, cross-origin isolated (threads), agrees with Node on every program", async () => {
    const { results, isolated } = await runAll({ search: "?backend=wasm", isolated: true });
    expect(isolated).toBe(true);
    expect([...results.values()], summary(results)).toEqual(CONFORMANCE_PROGRAMS.map(() => null));
  }, 180_000);

  const gpus: [string, readonly string[]][] = [
    ["webgl", CHROMIUM_ARGS],
    ["webgpu", CHROMIUM_WEBGPU_ARGS],
  ];
  for (const [backend, chromiumArgs] of gpus) {
    it(`${backend}: compared with Node, and selected for a GPU run only if it agrees`, async () => {
      const pinned = await runAll({ search: `?backend=${backend}`, chromiumArgs, isolated: true });
      const available = ![...pinned.results.values()].some((p) => p?.includes("is not available"));
      const agrees = [...pinned.results.values()].every((p) => p === null);
      console.log(`conformance ${backend}: ${available ? summary(pinned.results) : "not available"}`);

      // The room's library as shipped, asked for a GPU: the self-test decides.
      const asked = await runAll({ chromiumArgs, isolated: true }, { accelerate: "gpu" });
      expect([...asked.results.values()], summary(asked.results)).toEqual(
        CONFORMANCE_PROGRAMS.map(() => null),
      );
      if (!agrees) expect(asked.backends.has(backend)).toBe(false);
    }, 240_000);
  }
});
