/**
 * The hot room's keystroke schedule (bench/typing-schedule.ts): in step, every writer types on the
 * same 1000/rate ms beat; jittered (--jitter), each writer's waits vary within 0.5–1.5 × that, at
 * the same rate on average, so the writers share no clock; stopping ends every writer.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { seededRandom } from "../../bench/round-intervals.js";
import { startTyping } from "../../bench/typing-schedule.js";

/** Each writer's keystroke times (fake ms). */
function record(writers: number): { at: number[][]; type: (k: number) => void } {
  const at = Array.from({ length: writers }, () => [] as number[]);
  return { at, type: (k) => at[k]!.push(Date.now()) };
}

const gaps = (times: number[]): number[] => times.slice(1).map((t, i) => t - times[i]!);

describe("the hot room's keystroke schedule", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("in step: every writer types every 1000/rate ms, on the same ticks", () => {
    const { at, type } = record(3);
    const typing = startTyping(3, 10, false, type);
    vi.advanceTimersByTime(1000);
    typing.stop();
    for (const times of at) expect(times).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  });

  it("jittered: waits vary within 0.5–1.5 × 1000/rate ms and average the rate, writer by writer", () => {
    const { at, type } = record(5);
    // A seeded source: the counts below are bounds on a random walk (±2.8 standard deviations),
    // which Math.random broke now and then (CI flake, 2026-12-07).
    const typing = startTyping(5, 10, true, type, seededRandom(20));
    vi.advanceTimersByTime(60_000);
    typing.stop();
    for (const times of at) {
      const waits = gaps([0, ...times]);
      for (const w of waits) {
        expect(w).toBeGreaterThanOrEqual(50);
        expect(w).toBeLessThanOrEqual(150);
      }
      // 60 s at 10/s: about 600 keystrokes (a mean wait of 100 ± 3 ms over ~600 uniform waits).
      expect(times.length).toBeGreaterThan(580);
      expect(times.length).toBeLessThan(620);
      expect(new Set(waits).size).toBeGreaterThan(50);
    }
    // No shared clock: the writers' first keystrokes fall at different times.
    expect(new Set(at.map((times) => times[0])).size).toBeGreaterThan(1);
  });

  it("jittered waits follow the random source: 0 gives 0.5 ×, 0.99 gives 1.49 ×", () => {
    const { at, type } = record(1);
    let draws = 0;
    const typing = startTyping(1, 10, true, type, () => (draws++ % 2 === 0 ? 0 : 0.99));
    vi.advanceTimersByTime(1000);
    typing.stop();
    expect(gaps([0, ...at[0]!])).toEqual([50, 149, 50, 149, 50, 149, 50, 149, 50, 149]);
  });

  it("stop: no keystroke after it, in step or jittered", () => {
    for (const jitter of [false, true]) {
      const { at, type } = record(4);
      const typing = startTyping(4, 10, jitter, type);
      vi.advanceTimersByTime(500);
      typing.stop();
      const counts = at.map((times) => times.length);
      vi.advanceTimersByTime(5000);
      expect(at.map((times) => times.length)).toEqual(counts);
      expect(vi.getTimerCount()).toBe(0);
    }
  });
});

describe("the hot room's keystroke schedule on real timers", () => {
  it("in step: a tick's keystrokes come back to back, each writer right after the one before", async () => {
    // Each keystroke takes 0–2 ms (a writer's Yjs insert and send). One interval per writer drifted
    // apart here: each re-armed from its own callback's start, the writers of a tick came up to
    // several ms apart (90th percentile of the gaps 2.1–5.1 ms in three runs).
    const began = Array.from({ length: 5 }, () => [] as number[]);
    const ended = Array.from({ length: 5 }, () => [] as number[]);
    const random = seededRandom(3);
    const typing = startTyping(5, 50, false, (k) => {
      began[k]!.push(performance.now());
      const until = performance.now() + random() * 2;
      while (performance.now() < until);
      ended[k]!.push(performance.now());
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    typing.stop();
    const ticks = Math.min(...began.map((times) => times.length));
    expect(ticks).toBeGreaterThan(20);
    const gaps: number[] = [];
    for (let n = 0; n < ticks; n++) for (let k = 1; k < 5; k++) gaps.push(began[k]![n]! - ended[k - 1]![n]!);
    gaps.sort((a, b) => a - b);
    expect(gaps[Math.floor(gaps.length * 0.9)]).toBeLessThan(0.5);
  });
});
