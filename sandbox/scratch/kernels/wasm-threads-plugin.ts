/**
 * Vite plugin that makes the threaded SIMD build of the tfjs wasm backend work once bundled.
 *
 * tfjs hands its pthread workers the Emscripten factory as `factory.toString()`; after bundling,
 * that text refers to variables the bundler renamed or hoisted (`_scriptDir` becomes `e`), and
 * every pthread worker dies with "e is not defined". The plugin gives the workers the untouched
 * Emscripten script from the npm package instead (bundled as a string: nothing is fetched from a
 * CDN). Used by vite.config.ts and by the browser test pages.
 */
import type { Plugin } from "vite";

const BACKEND = /@tensorflow[/\\]tfjs-backend-wasm[/\\]dist[/\\]backend_wasm\.js$/;
const FACTORY_TEXT = /`var WasmBackendModuleThreadedSimd = `\s*\+\s*wasmFactoryThreadedSimd\.toString\(\)/;
const SCRIPT = "@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?raw";

export function tfjsWasmThreads(): Plugin {
  return {
    name: "scratchroom-tfjs-wasm-threads",
    enforce: "pre",
    transform(code, id) {
      if (!BACKEND.test(id.split("?")[0]!)) return null;
      if (!FACTORY_TEXT.test(code)) {
        this.error(
          "tfjs-backend-wasm changed: the threaded SIMD worker script is no longer built as expected",
        );
      }
      return {
        code:
          `import __threadedSimdScript from ${JSON.stringify(SCRIPT)};\n` +
          code.replace(FACTORY_TEXT, "__threadedSimdScript"),
        map: null,
      };
    },
  };
}
