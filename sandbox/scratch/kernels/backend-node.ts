/**
 * Chooses the tfjs backend in Node: wasm, with its .wasm binaries loaded from
 * node_modules/@tensorflow/tfjs-backend-wasm/dist (a file path; nothing is downloaded).
 */
import * as tf from "@tensorflow/tfjs-core";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { createRequire } from "node:module";
import path from "node:path";
import { registerMissingWasmKernels } from "./backend.js";
import { useGradientLoader } from "./oracle.js";

let ready: Promise<void> | undefined;

/** Initialises the wasm backend once per process (or worker); later calls share the promise. */
export function initNodeBackend(backend: "wasm" | "cpu" = "wasm"): Promise<void> {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    // The gradient oracle needs tfjs's gradient functions; tfjs-core's Node bundle registers none,
    // the full @tensorflow/tfjs bundle registers them all (about 0.2 s): loaded on first use.
    useGradientLoader(() => require("@tensorflow/tfjs"));
    // Only the backend in use is loaded: worker start-up time counts for every cold run.
    if (backend === "cpu") await import("@tensorflow/tfjs-backend-cpu");
    if (backend === "wasm") {
      const wasm = require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm");
      setWasmPaths(path.dirname(wasm) + path.sep);
      registerMissingWasmKernels();
    }
    if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} failed to initialise`);
    await tf.ready();
  })();
  return ready;
}
