/**
 * How sure a ratio of medians over rounds is: a 95% interval by a paired bootstrap over rounds,
 * for the hot room's p99 and the classroom's partner and broadcast p99 (bench/sync.ts prints it
 * under the table; bench/pool-rounds.ts pools the rounds of several reports).
 *
 * Why: on this 2-core machine one 10 s round's p99 moves by a factor of 2 from round to round
 * (docs/benchmarks.md), so "ours 0.93 of y-websocket" from 5 rounds says little on its own about the
 * issue's 0.8 target. Rounds are resampled *paired*: round k of every server ran within the same
 * minute (sync.ts rotates the order), so a slow minute of the machine moves them together, and
 * resampling the rounds jointly keeps that, where resampling each server alone would widen the
 * interval with the machine's drift. The interval is the percentile bootstrap's (the 2.5th and
 * 97.5th percentiles of the resampled ratios), with a seeded generator so a report reads the same
 * each time it is computed.
 */
import { mulberry32 } from "../sandbox/scratch/guest/prng.js";
import { median } from "./stats.js";
import { type Which, serverNames } from "./sync-harness.js";

/** A seeded uniform generator on [0, 1) (the sandbox's mulberry32): the same seed, the same resamples. */
export function seededRandom(seed: number): () => number {
  return mulberry32(seed >>> 0);
}

/** The median of the finite values among `values` (flagged rounds are NaN); NaN when none is. */
export function finiteMedian(values: readonly number[]): number {
  return median(values.filter(Number.isFinite));
}

export interface RatioInterval {
  /** median(numerator) / the smallest median among the denominators, over every round. */
  ratio: number;
  /** The interval's ends (NaN when no resample had a value for every server). */
  low: number;
  high: number;
  /** Rounds resampled. */
  rounds: number;
}

export interface BootstrapOptions {
  resamples?: number;
  /** Coverage of the interval; 0.95 by default. */
  level?: number;
  random?: () => number;
}

/**
 * The ratio of the numerator's median to the better (smaller) of the denominators' medians, with
 * its paired-bootstrap interval. Each array holds one value per round, in round order, every array
 * the same length (NaN for a round left out of the median, as a flagged one is); a resample draws
 * round indices with replacement and takes every server's median over them. For figures where
 * lower is better (latencies).
 */
export function pairedRatioInterval(
  numerator: readonly number[],
  denominators: readonly (readonly number[])[],
  options: BootstrapOptions = {},
): RatioInterval {
  const rounds = numerator.length;
  if (denominators.length === 0) throw new Error("pairedRatioInterval: no denominator");
  for (const d of denominators) {
    if (d.length !== rounds) throw new Error(`pairedRatioInterval: ${d.length} rounds against ${rounds}`);
  }
  const ratioOf = (pick: (values: readonly number[]) => number[]) => {
    // A baseline with no value in a resample (absent from a pooled report's rounds) is not the better.
    const better = Math.min(...denominators.map((d) => finiteMedian(pick(d))).filter(Number.isFinite));
    return Number.isFinite(better) ? finiteMedian(pick(numerator)) / better : NaN;
  };
  const ratio = ratioOf((values) => [...values]);
  const resamples = options.resamples ?? 10_000;
  const level = options.level ?? 0.95;
  const random = options.random ?? seededRandom(1);
  const ratios: number[] = [];
  const indices = new Array<number>(rounds);
  for (let r = 0; r < resamples && rounds > 0; r++) {
    for (let i = 0; i < rounds; i++) indices[i] = Math.floor(random() * rounds);
    const value = ratioOf((values) => indices.map((i) => values[i]!));
    if (Number.isFinite(value)) ratios.push(value);
  }
  ratios.sort((a, b) => a - b);
  const at = (q: number) =>
    ratios.length === 0 ? NaN : ratios[Math.min(ratios.length - 1, Math.floor(q * ratios.length))]!;
  return { ratio, low: at((1 - level) / 2), high: at(1 - (1 - level) / 2), rounds };
}

/** Each server's value of one figure per round, in round order (NaN: the round is left out). */
export type RoundValues = Map<Which, number[]>;

const ratioText = (r: RatioInterval) =>
  `${r.ratio.toFixed(2)} (${Number.isFinite(r.low) ? `${r.low.toFixed(2)}–${r.high.toFixed(2)}` : "n/a"})`;

/**
 * The report's line of `key` ratios with their intervals: ours, and the floor when it ran, over the
 * better equal-work baseline; ours over "before" when it ran. Empty when there is nothing to
 * compare (no ours, or neither an equal-work baseline nor "before").
 */
export function intervalLine(
  key: string,
  values: RoundValues,
  equalWork: readonly Which[],
  options: BootstrapOptions = {},
): string {
  const ours = values.get("ours");
  if (!ours) return "";
  const baselines = equalWork.filter((w) => values.has(w)).map((w) => values.get(w)!);
  const parts: string[] = [];
  if (baselines.length > 0) {
    parts.push(
      `ours / better equal-work baseline ${ratioText(pairedRatioInterval(ours, baselines, options))}`,
    );
    const floor = values.get("floor");
    if (floor) {
      parts.push(
        `floor / better equal-work baseline ${ratioText(pairedRatioInterval(floor, baselines, options))}`,
      );
    }
  }
  const before = values.get("before");
  if (before) parts.push(`ours / before ${ratioText(pairedRatioInterval(ours, [before], options))}`);
  if (parts.length === 0) return "";
  const rounds = ours.length;
  const resamples = options.resamples ?? 10_000;
  return (
    `${key} ratios of the medians, with 95% intervals (paired bootstrap over the ${rounds} rounds, ` +
    `${resamples.toLocaleString("en-GB")} resamples; flagged rounds left out): ${parts.join("; ")}.`
  );
}

/** Marks a round left out of the medians in a "per round" line. */
export const LEFT_OUT_MARK = "*";

/** One server's value in one round, as the report prints it. */
export interface PrintedRound {
  value: string;
  leftOut: boolean;
}

/**
 * The report's "<key> per round" line: each server's values in round order, a round left out of
 * the median marked ({@link poolPerRoundLines} reads it back).
 */
export function perRoundLine(
  key: string,
  unit: string,
  rounds: ReadonlyMap<Which, readonly PrintedRound[]>,
): string {
  const servers = [...rounds].map(
    ([which, values]) =>
      `${serverNames[which]}: ${values.map((r) => r.value + (r.leftOut ? LEFT_OUT_MARK : "")).join(", ")}`,
  );
  const many = [...rounds.values()].some((values) => values.length > 1);
  return `${key} per round (${unit}, in round order${many ? `; ${LEFT_OUT_MARK} left out of the median` : ""}): ${servers.join("; ")}.`;
}

/**
 * Reads the "<key> per round" lines of bench/sync.ts reports back, by the table heading (####) they
 * follow, every report's rounds after the previous one's: the pooled rounds of several runs.
 * Values marked `LEFT_OUT_MARK` (flagged rounds) become NaN. A server missing from one report but
 * present in another gets NaN for that report's rounds, so rounds stay paired.
 */
export function poolPerRoundLines(reports: readonly string[], key: string): Map<string, RoundValues> {
  const byName = new Map<string, Which>(Object.entries(serverNames).map(([w, n]) => [n, w as Which]));
  const pooled = new Map<string, RoundValues>();
  const prefix = `${key} per round (`;
  for (const report of reports) {
    let heading = "";
    const seen = new Map<string, { values: RoundValues; rounds: number }>();
    for (const line of report.split("\n")) {
      if (line.startsWith("#### ")) heading = line.slice(5).trim();
      if (!line.startsWith(prefix)) continue;
      const body = line.slice(line.indexOf("): ") + 3).replace(/\.$/, "");
      const values: RoundValues = new Map();
      for (const part of body.split("; ")) {
        const at = part.lastIndexOf(": ");
        const which = byName.get(part.slice(0, at));
        if (!which) throw new Error(`unknown server in "${key} per round": ${part.slice(0, at)}`);
        values.set(
          which,
          part
            .slice(at + 2)
            .split(", ")
            .map((v) => (v.endsWith(LEFT_OUT_MARK) ? NaN : Number(v))),
        );
      }
      const rounds = Math.max(0, ...[...values.values()].map((v) => v.length));
      seen.set(heading, { values, rounds });
    }
    for (const [heading, { values, rounds }] of seen) {
      const into = pooled.get(heading) ?? new Map<Which, number[]>();
      const before = Math.max(0, ...[...into.values()].map((v) => v.length));
      for (const which of new Set([...into.keys(), ...values.keys()])) {
        const old = into.get(which) ?? new Array<number>(before).fill(NaN);
        const added = values.get(which) ?? new Array<number>(rounds).fill(NaN);
        into.set(which, [...old, ...added]);
      }
      pooled.set(heading, into);
    }
  }
  return pooled;
}
