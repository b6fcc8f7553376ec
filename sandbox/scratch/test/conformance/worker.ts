/**
 * The conformance page's runner worker: the room's `scratch` library, with the tfjs backend pinned
 * by the worker's name ("wasm", "webgl", "webgpu") without the self-test, so the suite can compare
 * what each backend computes; unnamed, it is the room's library as shipped.
 */
import { serveBrowserRuns } from "../../../runner/browser-serve.js";
import { forceBackend, initBrowserBackend, type GpuBackend } from "../../kernels/backend-browser.js";
import { createBrowserScratchLibrary, scratchLibrary } from "../../library.browser.js";

const pinned = (globalThis as { name?: string }).name as "wasm" | GpuBackend | "";

const library = pinned
  ? createBrowserScratchLibrary(async () => {
      if (!(await forceBackend(pinned))) throw new Error(`${pinned} is not available in this browser`);
      return { ...(await initBrowserBackend()), backend: pinned };
    })
  : scratchLibrary;

void serveBrowserRuns(async () => library);
