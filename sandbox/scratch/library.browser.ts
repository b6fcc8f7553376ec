/// <reference types="vite/client" />
/**
 * The `scratch` library in the browser: Vite bundles the guest sources as strings and the data
 * files as lazily fetched assets; tfjs computes with wasm, like the CLI and verify, unless a run
 * asks for a GPU that passed its self-test on this device (kernels/backend-browser.ts).
 */
import type { HostLibrary } from "../kernel/types.js";
import { initBrowserBackend, useBackendFor } from "./kernels/backend-browser.js";
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

/**
 * The browser library; `prepare` (before each run) defaults to choosing the backend the run's
 * `accelerate` asks for. The conformance tests pass their own to pin a backend.
 */
export function createBrowserScratchLibrary(prepare?: HostLibrary["prepare"]): HostLibrary {
  const library = createScratchLibrary({
    sources,
    data: browserDataSource,
    init: async () => {
      await initBrowserBackend();
    },
  });
  library.prepare =
    prepare ??
    (async (request) => {
      const backend = await useBackendFor(request.accelerate);
      return { ...(await initBrowserBackend()), backend };
    });
  return library;
}

export const scratchLibrary = createBrowserScratchLibrary();
