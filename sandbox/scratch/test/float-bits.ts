/**
 * The bits of float32 values for bit-for-bit comparisons, every NaN written as the one quiet NaN.
 * WebAssembly leaves the sign and payload of a NaN an operation produces unspecified, and V8 and
 * XNNPACK pick their instructions by the CPU's features, so the same program gives 0x7fc00000 on
 * one machine and 0xffc00000 on another. Every NaN prints, checks and plots as NaN; what "the same
 * numbers" promises is every other bit.
 */
export function floatBits(values: ArrayLike<number>): number[] {
  const copy = Float32Array.from(values);
  const raw = new Uint32Array(copy.buffer);
  return Array.from(raw, (b, i) => (Number.isNaN(copy[i]) ? 0x7fc00000 : b));
}
