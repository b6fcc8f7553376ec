/**
 * Whether a comparison's rounds were set by the machine: the rank correlation, over the rounds, of
 * a latency (the hot room's p99) with what the machine took from the bench in the same round: the
 * time the hypervisor stole from the two cores (bench/core-steal.ts), or the time the server's
 * event loop waited, ready, for its core (another thread, the kernel's own work). Every server's
 * rounds count together, and each server's alone.
 *
 * Why: a round's p99 on this 2-core machine moves by a factor of 2 from round to round
 * (docs/benchmarks.md). When it follows what the machine took, the spread is the machine's, which a
 * ratio of medians carries into its interval, and says little about the servers; when it does not,
 * the cause is elsewhere (the servers, the generator). Spearman's ρ (simple-statistics), since the
 * two need not be linear: a stall adds to a round's p99 only when it lands on one of its worst ticks.
 */
import { sampleRankCorrelation } from "simple-statistics";
import { serverNames, type Which } from "./sync-harness.js";

/** One round's latency and the figure it is set against (NaN for a round left out). */
export interface RoundPair {
  value: number;
  against: number;
}

/** ρ over the rounds with both figures finite, and how many; NaN under 4 such rounds. */
export function rankCorrelation(rounds: readonly RoundPair[]): { rho: number; n: number } {
  const kept = rounds.filter((r) => Number.isFinite(r.value) && Number.isFinite(r.against));
  if (kept.length < 4) return { rho: NaN, n: kept.length };
  // Ties share their midrank; a constant series gives NaN (no rank variance).
  const rho = sampleRankCorrelation(
    kept.map((r) => r.value),
    kept.map((r) => r.against),
  );
  return { rho, n: kept.length };
}

/**
 * The report's line: ρ of `key` against `against` over every server's rounds, then each
 * server's; empty when none can be had.
 */
export function correlationLine(
  key: string,
  against: string,
  rounds: ReadonlyMap<Which, readonly RoundPair[]>,
): string {
  const all = rankCorrelation([...rounds.values()].flat());
  if (!Number.isFinite(all.rho)) return "";
  const each = [...rounds]
    .map(([which, rs]) => [which, rankCorrelation(rs)] as const)
    .filter(([, c]) => Number.isFinite(c.rho))
    .map(([which, c]) => `${serverNames[which]} ${c.rho.toFixed(2)}`);
  return (
    `${key} against ${against} in the same round (Spearman's ρ): ${all.rho.toFixed(2)} over ` +
    `${all.n} rounds of every server` +
    (each.length > 0 ? `; ${each.join(", ")}.` : ".")
  );
}
