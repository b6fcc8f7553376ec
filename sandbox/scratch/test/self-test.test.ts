/**
 * The GPU self-test (kernels/conformance.ts) in Node: it passes on the wasm backend the CLI and
 * verify use, and it fails a backend whose readback returns zeros or loses NaN, the two failures
 * seen in Chromium (WebGPU on SwiftShader, WebGL).
 */
import * as tf from "@tensorflow/tfjs-core";
import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
// tfjs-core's Node bundle registers no gradients; the self-test takes one.
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initNodeBackend } from "../kernels/backend-node.js";
import { agrees, selfTest } from "../kernels/conformance.js";

/** A cpu backend under another name whose readback is corrupted by `corrupt`. */
function registerBroken(name: string, corrupt: (values: Float32Array) => Float32Array): void {
  tf.registerBackend(name, () => {
    const backend = new MathBackendCPU();
    const readSync = backend.readSync.bind(backend);
    backend.readSync = (dataId) => {
      const values = readSync(dataId);
      return values instanceof Float32Array ? corrupt(values) : values;
    };
    return backend;
  });
  for (const kernel of tf.getKernelsForBackend("cpu")) tf.registerKernel({ ...kernel, backendName: name });
}

describe("GPU self-test", () => {
  beforeAll(async () => {
    await initNodeBackend("wasm");
    await import("@tensorflow/tfjs-backend-cpu");
    registerBroken("zeros", (v) => new Float32Array(v.length));
    registerBroken("no-nan", (v) => v.map((x) => (Number.isFinite(x) ? x : 1)));
  });

  afterAll(async () => {
    await tf.setBackend("wasm");
  });

  it("passes on the wasm backend of the CLI and verify", () => {
    expect(selfTest()).toEqual({ backend: "wasm", passed: true, failures: [] });
  });

  it("fails a backend whose readback is all zeros", async () => {
    await tf.setBackend("zeros");
    const result = selfTest();
    expect(result.passed).toBe(false);
    expect(result.failures[0]).toBe("add: element 0 expected 5, got 0");
    // The canary checked before each GPU run catches it too, with only its few cases.
    expect(selfTest("zeros", true).failures).toEqual([
      "add: element 0 expected 5, got 0",
      "division by zero: element 0 expected NaN, got 0",
      "sum with Infinity: element 0 expected Infinity, got 0",
    ]);
  });

  it("fails a backend that loses NaN and Infinity, and only on those cases", async () => {
    await tf.setBackend("no-nan");
    const result = selfTest();
    expect(result.passed).toBe(false);
    expect(result.failures.map((f) => f.split(":")[0])).toEqual([
      "division by zero",
      "exp overflow",
      "log(0)",
      "NaN + 1",
      "sum with Infinity",
    ]);
  });

  it("compares non-finite values exactly and finite ones within the tolerance", () => {
    expect(agrees(NaN, NaN)).toBe(true);
    expect(agrees(NaN, 1)).toBe(false);
    expect(agrees(Infinity, Infinity)).toBe(true);
    expect(agrees(Infinity, -Infinity)).toBe(false);
    expect(agrees(1000, 1000.05)).toBe(true);
    expect(agrees(1, 1.01)).toBe(false);
    expect(agrees(1, NaN)).toBe(false);
  });
});
