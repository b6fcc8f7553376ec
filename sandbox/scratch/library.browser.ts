/// <reference types="vite/client" />
/**
 * The `scratch` library in the browser: Vite bundles the guest sources as strings and the data
 * files as lazily fetched assets; tfjs picks WebGPU → WebGL → wasm → cpu.
 */
import { initBrowserBackend } from "./kernels/backend-browser.js";
import { browserDataSource } from "./kernels/data-browser.js";
import { createScratchLibrary } from "./library-core.js";

const files: Record<string, string> = import.meta.glob("./guest/*.js", {
  query: "?raw",
  import: "default",
  eager: true,
});

const sources = Object.fromEntries(
  Object.entries(files).map(([path, source]) => [path.replace(/^.*\/(\w+)\.js$/, "$1"), source]),
);

export const scratchLibrary = createScratchLibrary({
  sources,
  data: browserDataSource,
  init: async () => {
    await initBrowserBackend();
  },
});
