/// <reference types="vite/client" />
/**
 * The tfjs backend in the browser: the same kernel set as the CLI and verify, tfjs wasm with SIMD
 * (the threaded SIMD build when the page is cross-origin isolated), its .wasm files served by our
 * own server from the npm package (Vite copies them as assets), never a CDN.
 *
 * A GPU backend (WebGPU, then WebGL) is used only for a run that asks for it, and only once it has
 * passed the conformance self-test on this device (conformance.ts); otherwise the run computes on
 * wasm. The GPU backends are loaded on first request, so a normal page load never touches WebGPU.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
// The gradient oracle (gradCheck) needs tfjs's gradient functions registered.
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import { getThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import wasmUrl from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url";
import wasmSimdUrl from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url";
import wasmThreadedUrl from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url";
import type { Accelerate, DeviceInfo } from "../../events.js";
import { registerMissingWasmKernels } from "./backend.js";
import { selfTest, type SelfTestResult } from "./conformance.js";

export type GpuBackend = "webgpu" | "webgl";

let ready: Promise<DeviceInfo> | undefined;
/** Self-test outcome per GPU backend on this device (one test per worker and backend). */
const proven = new Map<GpuBackend, Promise<SelfTestResult>>();

/** Initialises the wasm backend once; resolves to what this device computes with. */
export function initBrowserBackend(): Promise<DeviceInfo> {
  ready ??= (async () => {
    setWasmPaths({
      "tfjs-backend-wasm.wasm": wasmUrl,
      "tfjs-backend-wasm-simd.wasm": wasmSimdUrl,
      "tfjs-backend-wasm-threaded-simd.wasm": wasmThreadedUrl,
    });
    registerMissingWasmKernels();
    if (!(await tf.setBackend("wasm"))) throw new Error("the tfjs wasm backend failed to initialise");
    await tf.ready();
    const simd = (await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")) === true;
    const threaded = (await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT")) === true;
    return {
      backend: "wasm",
      simd,
      // XNNPACK's pool size; 1 when the page is not cross-origin isolated (no shared memory).
      threads: simd && threaded ? getThreadsCount() : 1,
      crossOriginIsolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
    };
  })();
  return ready;
}

/** Registers a GPU backend's factory (its module is loaded only now). */
async function loadGpuBackend(name: GpuBackend): Promise<boolean> {
  if (tf.findBackendFactory(name)) return true;
  try {
    if (name === "webgpu") {
      // A WebGPU module that registers without an adapter fails only at setBackend; checking
      // the adapter first keeps tfjs from logging its initialisation error.
      const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      if (!gpu || !(await gpu.requestAdapter())) return false;
      await import("@tensorflow/tfjs-backend-webgpu");
    } else {
      await import("@tensorflow/tfjs-backend-webgl");
    }
    return tf.findBackendFactory(name) !== null;
  } catch {
    return false;
  }
}

/**
 * The self-test of `name` on this device, run once: the backend is initialised, checked against
 * known results, and the wasm backend is made current again.
 */
export function proveGpuBackend(name: GpuBackend): Promise<SelfTestResult> {
  let result = proven.get(name);
  if (!result) {
    result = (async (): Promise<SelfTestResult> => {
      await initBrowserBackend();
      if (!(await loadGpuBackend(name))) return { backend: name, passed: false, failures: ["not available"] };
      try {
        if (!(await tf.setBackend(name)))
          return { backend: name, passed: false, failures: ["failed to start"] };
        await tf.ready();
        return selfTest(name);
      } catch (err) {
        return { backend: name, passed: false, failures: [err instanceof Error ? err.message : String(err)] };
      } finally {
        await tf.setBackend("wasm");
      }
    })();
    proven.set(name, result);
  }
  return result;
}

/**
 * Makes the backend for one run current: wasm for "cpu"; for "gpu" the first GPU backend that
 * passed its self-test (WebGPU, then WebGL), else wasm. Resolves to the backend chosen.
 */
export async function useBackendFor(accelerate: Accelerate | undefined): Promise<DeviceInfo["backend"]> {
  await initBrowserBackend();
  if (accelerate === "gpu" || accelerate === "auto") {
    for (const name of ["webgpu", "webgl"] as const) {
      if (!(await proveGpuBackend(name)).passed || !(await tf.setBackend(name))) continue;
      // A device can lose the GPU after its self-test (driver reset, context loss): what it reads
      // back now is checked again, and an untrusted readback is a run error, never zeros.
      const canary = selfTest(name, true);
      if (canary.passed) return name;
      proven.set(name, Promise.resolve(canary));
      await tf.setBackend("wasm");
      throw new Error(`the ${name} backend's results can no longer be trusted (${canary.failures[0]})`);
    }
  }
  if (tf.getBackend() !== "wasm") await tf.setBackend("wasm");
  return "wasm";
}

/**
 * Test hook: makes `name` current without its self-test, so the conformance suite can compare
 * every backend a browser offers with Node's numbers (never used by the room).
 */
export async function forceBackend(name: "wasm" | GpuBackend): Promise<boolean> {
  await initBrowserBackend();
  if (name !== "wasm" && !(await loadGpuBackend(name))) return false;
  return tf.setBackend(name);
}
