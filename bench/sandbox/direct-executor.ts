/**
 * Runs a guest program in-process through the direct host (no QuickJS): the bench's fallback
 * until the sandbox runner is available, and its "library without the bridge" measurement.
 * A module resolve hook maps "scratch" and "scratch/…" to sandbox/scratch/guest/.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { register } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { installDirectHost } from "../../sandbox/scratch/testing/install.js";
import type { DirectHost } from "../../sandbox/scratch/testing/direct-host.js";

export interface MetricPoint {
  name: string;
  step: number;
  value: number;
}

let host: DirectHost | undefined;
let counter = 0;

function installResolveHook(): void {
  const guest = new URL("../../sandbox/scratch/guest/", import.meta.url).href;
  const hooks = `
    const guest = ${JSON.stringify(guest)};
    export async function resolve(specifier, context, next) {
      if (specifier === "scratch") return { url: guest + "index.js", shortCircuit: true };
      if (specifier.startsWith("scratch/")) return { url: guest + specifier.slice(8) + ".js", shortCircuit: true };
      return next(specifier, context);
    }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}

/** Runs `source` (an ES module importing "scratch") and returns the metrics it logged. */
export async function runDirect(source: string): Promise<MetricPoint[]> {
  if (host === undefined) {
    installResolveHook();
    host = await installDirectHost("wasm");
  }
  host.events.length = 0;
  const dir = mkdtempSync(path.join(tmpdir(), "scratch-bench-"));
  const file = path.join(dir, `program-${++counter}.mjs`);
  writeFileSync(file, source);
  try {
    await import(pathToFileURL(file).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    host.freeAll();
  }
  return host.events.filter((e) => e.type === "metric").map((e) => e.payload as MetricPoint);
}
