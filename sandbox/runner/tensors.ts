/**
 * The tensors of one run, by handle. The guest only ever holds the integer handles; this table
 * enforces the run's tensor quota (count and bytes) and disposes every tensor when the run ends.
 *
 * Handles are random integers below 2^53 (never 0), so guest code cannot guess the handle of a
 * tensor it was not given (a check's expected values) and a handle of one run is never a valid
 * handle of another.
 */
import type * as tf from "@tensorflow/tfjs-core";
import { RunLimitError } from "./errors.js";

/** Random words drawn in batches: one `getRandomValues` call per 512 handles. */
const randomWords = new Uint32Array(1024);
let randomAt = randomWords.length;

/** A fresh unpredictable handle: a random integer in [1, 2^53). */
function randomHandle(): number {
  if (randomAt >= randomWords.length) {
    crypto.getRandomValues(randomWords);
    randomAt = 0;
  }
  const high = randomWords[randomAt++]! & 0x1fffff;
  const low = randomWords[randomAt++]!;
  return high * 0x100000000 + low || 1;
}

function bytesOf(t: tf.Tensor): number {
  return t.size * (t.dtype === "bool" ? 1 : 4);
}

export class TensorTable {
  private readonly live = new Map<number, tf.Tensor>();
  private readonly owned = new Set<tf.Tensor>();
  private bytes = 0;
  private made = 0;

  /** The library's native heap when the run started (see {@link admit}). */
  private readonly heapAtStart: number;

  /**
   * @param heapBytes the library's native heap size (HostLibrary.heapBytes), when it has one
   */
  constructor(
    private readonly maxCount: number,
    private readonly maxBytes: number,
    private readonly heapBytes?: () => number,
  ) {
    this.heapAtStart = heapBytes?.() ?? 0;
  }

  /**
   * What the run holds of the quota: its live tensors' bytes, or what the tensor heap grew during
   * the run if that is more — freed tensors whose holes the allocator cannot reuse (a growing
   * tensor pinned apart by small ones) still hold memory.
   */
  private held(): number {
    const grown = this.heapBytes ? this.heapBytes() - this.heapAtStart : 0;
    return Math.max(this.bytes, grown);
  }

  get count(): number {
    return this.live.size;
  }

  get liveBytes(): number {
    return this.bytes;
  }

  /** The live tensor behind `handle`, or undefined for anything else (forged, freed, foreign). */
  get(handle: number): tf.Tensor | undefined {
    return this.live.get(handle);
  }

  /** Tensors registered so far in this run (a run that made none left nothing in the backend). */
  get created(): number {
    return this.made;
  }

  /**
   * Refuses a host allocation of `bytes` (a kernel call's result, temporaries and readback copies,
   * as its guard computed them, or guest data being copied in) that would take what the run holds
   * over the quota. Checked before anything is allocated; ends the run with the "tensors" limit.
   */
  admit(what: string, bytes: number): void {
    const held = this.held();
    if (held + bytes > this.maxBytes) {
      throw new RunLimitError(
        "tensors",
        `Tensor limit exceeded: ${what} would allocate ${bytes} bytes with ${held} already held (quota ${this.maxBytes} bytes).`,
      );
    }
  }

  /**
   * Registers a kernel's result and returns its handle. A tensor the table already holds (a
   * kernel that returns one of its inputs) is cloned, so freeing one handle never kills another.
   * Over quota, the tensor is disposed and the run ends with the "tensors" limit.
   */
  add(tensor: tf.Tensor): number {
    const t = this.owned.has(tensor) ? tensor.clone() : tensor;
    const size = bytesOf(t);
    if (this.live.size + 1 > this.maxCount || this.bytes + size > this.maxBytes) {
      t.dispose();
      throw new RunLimitError(
        "tensors",
        this.live.size + 1 > this.maxCount
          ? `Tensor limit exceeded: more than ${this.maxCount} live tensors (free or reuse them).`
          : `Tensor limit exceeded: live tensors would hold more than ${this.maxBytes} bytes.`,
      );
    }
    let handle = randomHandle();
    while (this.live.has(handle)) handle = randomHandle();
    this.made++;
    this.live.set(handle, t);
    this.owned.add(t);
    this.bytes += size;
    return handle;
  }

  /** Frees one handle; freeing an unknown or already freed handle does nothing. */
  free(handle: number): void {
    const t = this.live.get(handle);
    if (!t) return;
    this.live.delete(handle);
    this.owned.delete(t);
    this.bytes -= bytesOf(t);
    t.dispose();
  }

  /** Disposes every tensor of the run. */
  clear(): void {
    for (const t of this.live.values()) t.dispose();
    this.live.clear();
    this.owned.clear();
    this.bytes = 0;
  }
}
