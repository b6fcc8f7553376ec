/**
 * Auto-pairing orders: random, or "mixed" (fastest with slowest by progress on one task). Pure, so
 * the orders are tested without a server.
 */
import { randomInt } from "node:crypto";
import type { ParticipantRecord, RunRecord } from "../storage/types.js";

export interface Pairing<T> {
  pairs: [T, T][];
  /** The odd one out, who stays solo. */
  solo: T | null;
}

/** A fresh random order (Fisher–Yates). */
export function shuffled<T>(items: readonly T[], random: (n: number) => number = randomInt): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Neighbours in `order` pair up; with an odd count the last one stays solo. */
export function pairNeighbours<T>(order: readonly T[]): Pairing<T> {
  const pairs: [T, T][] = [];
  for (let i = 0; i + 1 < order.length; i += 2) pairs.push([order[i]!, order[i + 1]!]);
  return { pairs, solo: order.length % 2 === 1 ? order.at(-1)! : null };
}

/**
 * `ranked` runs fastest first: the first pairs with the last, the second with the second-to-last…;
 * with an odd count the one in the middle stays solo.
 */
export function pairEnds<T>(ranked: readonly T[]): Pairing<T> {
  const pairs: [T, T][] = [];
  for (let i = 0, j = ranked.length - 1; i < j; i++, j--) pairs.push([ranked[i]!, ranked[j]!]);
  return { pairs, solo: ranked.length % 2 === 1 ? ranked[(ranked.length - 1) / 2]! : null };
}

export interface TaskProgress {
  /** Checks the participant's latest run of the task passed. */
  checksPassed: number;
  runs: number;
}

/** Each participant's progress on `taskId` from the session's runs. */
export function progressOn(
  participants: readonly ParticipantRecord[],
  runs: readonly RunRecord[],
  taskId: string,
): Map<string, TaskProgress> {
  const out = new Map<string, TaskProgress>(participants.map((p) => [p.id, { checksPassed: 0, runs: 0 }]));
  for (const run of runs) {
    const progress = out.get(run.participantId);
    if (!progress || run.report.taskId !== taskId) continue;
    progress.runs++;
    // Runs come in the order stored, so the last one seen is the latest.
    progress.checksPassed = run.report.checks.filter((c) => c.passed).length;
  }
  return out;
}

/** Fastest first: more checks passed, then more runs; ties keep join order. */
export function rankByProgress(
  participants: readonly ParticipantRecord[],
  progress: ReadonlyMap<string, TaskProgress>,
): ParticipantRecord[] {
  const of = (p: ParticipantRecord) => progress.get(p.id) ?? { checksPassed: 0, runs: 0 };
  return [...participants].sort((a, b) => of(b).checksPassed - of(a).checksPassed || of(b).runs - of(a).runs);
}
