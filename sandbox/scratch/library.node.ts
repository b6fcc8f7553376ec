/**
 * The `scratch` library in Node: guest sources are read at start-up from sandbox/scratch/guest/
 * (from the source tree, also when running the compiled dist/ build, which does not copy .js
 * files), data sets from node_modules, and tfjs runs on the wasm backend.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { initNodeBackend, nodeBackendHeapBytes, resetNodeBackend } from "./kernels/backend-node.js";
import { nodeDataSource } from "./kernels/data-node.js";
import { createScratchLibrary } from "./library-core.js";

/**
 * guest/ beside this file (source tree), else the source tree's copy (from dist/sandbox/scratch/
 * up to the root), since the TypeScript build does not copy .js files.
 */
export function guestFolder(moduleUrl: string = import.meta.url): string {
  const candidates = ["./guest/", "../../../sandbox/scratch/guest/"].map((p) =>
    fileURLToPath(new URL(p, moduleUrl)),
  );
  const found = candidates.find((dir) => existsSync(`${dir}tensor.js`));
  if (found === undefined) throw new Error(`scratch guest sources not found in ${candidates.join(" or ")}`);
  return found;
}

export function readGuestSources(dir = guestFolder()): Record<string, string> {
  const sources: Record<string, string> = {};
  for (const file of readdirSync(dir)) {
    if (file.endsWith(".js")) sources[file.slice(0, -3)] = readFileSync(dir + file, "utf8");
  }
  return sources;
}

export const scratchLibrary = createScratchLibrary({
  sources: readGuestSources(),
  data: nodeDataSource,
  init: () => initNodeBackend("wasm"),
  reset: resetNodeBackend,
  heapBytes: nodeBackendHeapBytes,
});
