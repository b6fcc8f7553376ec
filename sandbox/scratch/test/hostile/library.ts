/**
 * The `scratch` library plus two kernels no real library has, standing in for a kernel bug the
 * guards do not know about yet (the worst case the runner must still contain):
 *   - `heapScan(value)` counts the float32 words equal to `value` anywhere in the tfjs wasm heap
 *     (a read primitive reaching every byte, freed memory included);
 *   - `scribble()` overwrites the whole tfjs heap with garbage and throws like a wasm trap
 *     ("memory access out of bounds"), as the 1e5 × 1e5 broadcast did before the guards.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { HostLibrary, Kernel } from "../../../kernel/types.js";
import { scratchLibrary } from "../../library.node.js";

function heap(): Float32Array {
  const backend = tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } };
  const bytes = backend.wasm.HEAPU8;
  return new Float32Array(bytes.buffer, 0, bytes.byteLength >> 2);
}

const heapScan: Kernel = {
  args: ["number"],
  guard: () => 0,
  run: (value) => heap().reduce((n, v) => (v === value ? n + 1 : n), 0),
};

const scribble: Kernel = {
  args: [],
  guard: () => 0,
  run: () => {
    // Garble the whole heap: static data, the allocator's bookkeeping and every tensor.
    heap().fill(25392832512);
    throw new WebAssembly.RuntimeError("memory access out of bounds");
  },
};

export const library: HostLibrary = {
  ...scratchLibrary,
  kernels: { ...scratchLibrary.kernels, heapScan, scribble },
};
