/**
 * Chooses the tfjs backend in Node: wasm, with its .wasm binaries loaded from
 * node_modules/@tensorflow/tfjs-backend-wasm/dist (a file path; nothing is downloaded). Also
 * replaces the wasm instance between runs ({@link resetNodeBackend}) and reports its heap size.
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
    scrubOnFree();
  })();
  return ready;
}

/**
 * Discards the wasm backend (its instance and whole heap, freed tensors' bytes included) and
 * starts a fresh one from the same factory: a few milliseconds. Every tensor of the old backend
 * must already be disposed. The kernels' setup functions run again for the new instance.
 */
export async function resetNodeBackend(): Promise<void> {
  await ready;
  const name = tf.getBackend();
  const factory = tf.findBackendFactory(name);
  if (!factory) throw new Error(`tfjs backend ${name} has no factory to restart from`);
  tf.removeBackend(name);
  tf.registerBackend(name, factory, name === "wasm" ? 2 : 1);
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend ${name} failed to restart`);
  scrubOnFree();
}

/** What {@link scrubOnFree} needs of tfjs-backend-wasm's BackendWasm (not in its public types). */
interface WasmBackendInternals {
  wasm?: { HEAPU8: Uint8Array };
  dataIdMap?: {
    get(
      dataId: object,
    ): { memoryOffset: number; shape: number[]; dtype: tf.DataType; refCount: number } | undefined;
  };
  disposeData(dataId: object, force?: boolean): boolean;
}

/**
 * Zeroes a tensor's bytes in the wasm heap when its memory is released, so freed tensor memory
 * holds nothing to read — within a run too, should a kernel ever read past its tensor.
 */
function scrubOnFree(): void {
  const backend = tf.backend() as unknown as WasmBackendInternals;
  const { wasm, dataIdMap } = backend;
  if (!wasm || !dataIdMap) return;
  const dispose = backend.disposeData.bind(backend);
  backend.disposeData = (dataId, force = false) => {
    const data = dataIdMap.get(dataId);
    // BackendWasm frees the memory when this call takes the reference count to zero.
    if (data && (force || data.refCount <= 1) && data.dtype !== "string") {
      const bytes = tf.util.sizeFromShape(data.shape) * tf.util.bytesPerElement(data.dtype);
      wasm.HEAPU8.fill(0, data.memoryOffset, data.memoryOffset + bytes);
    }
    return dispose(dataId, force);
  };
}

/** Bytes of the wasm backend's heap (its WebAssembly.Memory, which only grows); 0 on cpu. */
export function nodeBackendHeapBytes(): number {
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return backend.wasm?.HEAPU8?.buffer.byteLength ?? 0;
}
