/// <reference types="vite/client" />
/**
 * Chooses the tfjs backend in the browser: WebGPU, then WebGL, then wasm (its .wasm files served
 * by Vite from node_modules, never a CDN), then cpu.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
// The gradient oracle (gradCheck) needs tfjs's gradient functions registered.
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import "@tensorflow/tfjs-backend-webgl";
import "@tensorflow/tfjs-backend-webgpu";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import wasmUrl from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url";
import wasmSimdUrl from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url";
import wasmThreadedUrl from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url";
import { registerMissingWasmKernels } from "./backend.js";

let ready: Promise<string> | undefined;

/** Initialises the best available backend once; resolves to its name. */
export function initBrowserBackend(order = ["webgpu", "webgl", "wasm", "cpu"]): Promise<string> {
  ready ??= (async () => {
    setWasmPaths({
      "tfjs-backend-wasm.wasm": wasmUrl,
      "tfjs-backend-wasm-simd.wasm": wasmSimdUrl,
      "tfjs-backend-wasm-threaded-simd.wasm": wasmThreadedUrl,
    });
    registerMissingWasmKernels();
    for (const name of order) {
      try {
        if (await tf.setBackend(name)) {
          await tf.ready();
          return name;
        }
      } catch {
        // Not available here (no WebGPU adapter, no WebGL context…): try the next one.
      }
    }
    throw new Error("no tfjs backend could be initialised");
  })();
  return ready;
}
