/**
 * The typical session the history benchmarks keep (issue 19): a pair editing one task, a run a
 * minute. From a 40-line starter to about 150 lines an hour: each minute the pair adds two lines,
 * rewrites one or two, sometimes deletes one, in two bursts; the recorder keeps the file at the
 * minute's timed tick (between the bursts) and at the run (after them). Seeded: the same session
 * every time for a seed.
 */

/** One minute of the session: the file's text at the timed tick and at the run. */
export interface SessionMinute {
  minute: number;
  /** Kept 30 s into the minute, with no run. */
  tick: string;
  /** Kept 55 s into the minute, linked to that minute's run. */
  run: string;
}

export interface TypicalSession {
  /** The text kept when the pair starts (minute 0, second 0). */
  starter: string;
  minutes: SessionMinute[];
}

const WORDS = ["loss", "grad", "weights", "bias", "lr", "x", "y", "pred", "batch", "step", "mean", "sum"];

export function typicalSession(minutes: number, seed: number): TypicalSession {
  let state = seed;
  /** mulberry32 */
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (n: number) => Math.floor(random() * n);
  const codeLine = () =>
    `  const ${WORDS[pick(WORDS.length)]}${pick(100)} = ${WORDS[pick(WORDS.length)]}.mul(${WORDS[pick(WORDS.length)]}).add(${(random() * 10).toFixed(3)});\n`;
  let lines = Array.from({ length: 40 }, codeLine);
  const burst = (adds: number, rewrites: number, deletes: number): string => {
    const next = [...lines];
    for (let i = 0; i < adds; i++) next.splice(pick(next.length + 1), 0, codeLine());
    for (let i = 0; i < rewrites; i++) next[pick(next.length)] = codeLine();
    for (let i = 0; i < deletes && next.length > 1; i++) next.splice(pick(next.length), 1);
    lines = next;
    return lines.join("");
  };
  const starter = lines.join("");
  const kept: SessionMinute[] = [];
  for (let minute = 0; minute < minutes; minute++) {
    const tick = burst(1, pick(2), 0);
    const run = burst(1, 1, random() < 0.1 ? 1 : 0);
    kept.push({ minute, tick, run });
  }
  return { starter, minutes: kept };
}
