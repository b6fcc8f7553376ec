/** Statistics and timing helpers shared by the benchmarks. */

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The median (the mean of the two middle values for an even count); NaN for no values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The p-th percentile (p in 0–100) of values already sorted ascending; NaN for no values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Ascending copy, for {@link percentile}. */
export const ascending = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

/** Polls `predicate` every 10 ms; false when `timeoutMs` passes first. */
export async function until(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > timeoutMs) return false;
    await sleep(10);
  }
  return true;
}
