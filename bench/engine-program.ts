/**
 * What bench/runner-steps.ts and bench/kernel-profile.ts share: a program of
 * sandbox/scratch/programs run in the runner's engine in this process (no worker), the digest of
 * its console output (the numbers must not change), and timers around every scratch kernel.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createHash } from "node:crypto";
import { Engine } from "../sandbox/runner/engine.js";
import { scratchLibrary } from "../sandbox/scratch/library.js";
import type { RunEvent } from "../sandbox/events.js";

/**
 * The program's source; `steps` replaces the spirals program's 300 steps. The spirals program
 * also prints every loss's bits, so the digest covers them.
 */
export function programSource(program: string, steps?: string): string {
  const text = readFileSync(new URL(`../sandbox/scratch/programs/${program}.js`, import.meta.url), "utf8");
  return (
    (steps === undefined ? text : text.replace("step < 300", `step < ${steps}`)) +
    (program === "spirals-mlp"
      ? `\nconsole.log(JSON.stringify(Array.from(new Uint32Array(new Float32Array(losses).buffer))));\n`
      : "")
  );
}

/** The runner's engine on the scratch library, as a worker makes it. */
export async function createEngine(): Promise<Engine> {
  const require = createRequire(import.meta.url);
  const wasm = await WebAssembly.compile(
    readFileSync(require.resolve("@jitl/quickjs-wasmfile-release-sync/wasm")),
  );
  return Engine.create({ library: scratchLibrary, wasm, maxStackBytes: 1024 * 1024 });
}

/** Calls `record(kernel, ms)` after every scratch kernel call from now on. */
export function timeKernels(record: (kernel: string, ms: number) => void): void {
  for (const [name, k] of Object.entries(scratchLibrary.kernels)) {
    const run = k.run.bind(k);
    k.run = (...args) => {
      const t = performance.now();
      try {
        return run(...args);
      } finally {
        record(name, performance.now() - t);
      }
    };
  }
}

/** Runs `source` once (then resets the library): its wall time, console lines and their digest. */
export async function runProgram(
  engine: Engine,
  source: string,
): Promise<{ ms: number; lines: string[]; digest: string }> {
  const lines: string[] = [];
  let done: RunEvent | undefined;
  const t0 = performance.now();
  await engine.run({ source, limits: { timeoutMs: 600_000 } }, (e) => {
    if (e.type === "console") lines.push(e.text);
    if (e.type === "done") done = e;
  });
  const ms = performance.now() - t0;
  if (done?.type === "done" && done.status !== "ok") throw new Error(JSON.stringify(done));
  await scratchLibrary.reset?.();
  const digest = createHash("sha256").update(lines.join("\n")).digest("hex").slice(0, 16);
  return { ms, lines, digest };
}
