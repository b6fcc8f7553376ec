/**
 * The run's tensor table as a quota: a kernel call is admitted only if what the run holds (its live
 * tensors, or the tensor heap's growth during the run when that is more) plus the call's guarded
 * bytes fits; results over quota are disposed.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { beforeAll, describe, expect, it } from "vitest";
import { RunLimitError } from "../errors.js";
import { TensorTable } from "../tensors.js";

beforeAll(() => tf.setBackend("cpu"));

describe("TensorTable quota", () => {
  it("admits a call only if live bytes plus its allocation fit, naming the call", () => {
    const table = new TensorTable(10, 100);
    table.add(tf.zeros([10])); // 40 bytes
    expect(() => table.admit("fill", 60)).not.toThrow();
    expect(() => table.admit("fill", 61)).toThrow(RunLimitError);
    expect(() => table.admit("fill", 61)).toThrow(
      /fill would allocate 61 bytes with 40 already held \(quota 100 bytes\)/,
    );
    expect(table.created).toBe(1);
    table.clear();
  });

  it("counts the tensor heap's growth during the run when it exceeds the live bytes", () => {
    let heap = 1000;
    const table = new TensorTable(10, 100, () => heap);
    expect(() => table.admit("fill", 100)).not.toThrow();
    heap = 1090; // freed tensors the allocator could not reuse
    expect(() => table.admit("fill", 10)).not.toThrow();
    expect(() => table.admit("fill", 11)).toThrow(/with 90 already held/);
  });

  it("disposes a result over quota", () => {
    const table = new TensorTable(10, 16);
    const t = tf.zeros([5]);
    expect(() => table.add(t)).toThrow(RunLimitError);
    expect(t.isDisposed).toBe(true);
  });
});
