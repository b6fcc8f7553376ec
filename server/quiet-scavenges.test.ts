import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { QuietScavenges, startQuietScavenges, youngGenerationFill } from "./quiet-scavenges.js";

describe("QuietScavenges", () => {
  let fill = 0;
  let scavenged: number[] = [];
  // The fake timers' clock: Date.now moves with advanceTimersByTime, timer by timer.
  const now = () => Date.now();
  const advance = (ms: number) => vi.advanceTimersByTime(ms);
  const make = () =>
    new QuietScavenges(
      () => scavenged.push(now()),
      { quietMs: 5, minFill: 0.5 },
      () => fill,
      now,
    );

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1000);
    fill = 0.7;
    scavenged = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("scavenges once the input has been quiet for quietMs, not during a burst", () => {
    const s = make();
    for (let i = 0; i < 10; i++) {
      s.noteInput();
      advance(2);
    }
    // The burst's frames came 2 ms apart: no moment of it was quiet for 5 ms.
    expect(scavenged).toEqual([]);
    advance(10);
    expect(scavenged).toEqual([1000 + 18 + 5]);
    expect(s.scavenges).toBe(1);
    // No more input: nothing more to do (and no timer left polling).
    advance(1000);
    expect(scavenged).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("leaves a young generation under minFill to V8", () => {
    const s = make();
    fill = 0.49;
    s.noteInput();
    advance(20);
    expect(scavenged).toEqual([]);
    fill = 0.5;
    s.noteInput();
    advance(20);
    expect(scavenged).toHaveLength(1);
  });

  it("does nothing after stop", () => {
    const s = make();
    s.noteInput();
    s.stop();
    advance(20);
    s.noteInput();
    advance(20);
    expect(scavenged).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("the process's scavenger", () => {
  it("does not start without V8's gc exposed", () => {
    // vitest's workers run without --expose-gc.
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
    expect(startQuietScavenges()).toBeNull();
  });

  it("reads the young generation's fill from V8", () => {
    const f = youngGenerationFill();
    expect(f).toBeGreaterThan(0);
    expect(f).toBeLessThanOrEqual(1);
  });

  it("with --expose-gc, scavenges V8's real young generation in a quiet moment", () => {
    // A child process with V8's gc exposed, as `npm start` runs the server: it allocates short-lived
    // garbage in bursts (noting input as frames do) until the young generation is over half full,
    // then stays quiet; the scavenger's collection must be a real minor GC after the quiet period,
    // and leave the young generation emptier.
    const module = fileURLToPath(new URL("./quiet-scavenges.ts", import.meta.url));
    const script = `
      import { PerformanceObserver } from "node:perf_hooks";
      import { noteInput, startQuietScavenges, stopQuietScavenges, youngGenerationFill } from ${JSON.stringify(module)};
      const minors = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (e.detail?.kind === 1) minors.push(e.startTime);
      }).observe({ entryTypes: ["gc"] });
      const scavenges = startQuietScavenges({ quietMs: 20, minFill: 0.5 });
      let keep = null;
      let lastInput = 0;
      while (youngGenerationFill() < 0.6) {
        noteInput();
        lastInput = performance.now();
        for (let i = 0; i < 1000; i++) keep = { i, text: "x".repeat(i % 50) + i };
      }
      const before = youngGenerationFill();
      await new Promise((r) => setTimeout(r, 200));
      const quietMinors = minors.filter((t) => t >= lastInput + 20);
      console.log(JSON.stringify({ count: scavenges.scavenges, before, after: youngGenerationFill(), quietMinors: quietMinors.length, kept: keep !== null }));
      stopQuietScavenges(scavenges);
    `;
    const child = spawnSync(
      process.execPath,
      ["--expose-gc", "--max-semi-space-size=8", "--import", "tsx", "--input-type=module", "-e", script],
      { encoding: "utf8", timeout: 60_000 },
    );
    expect(child.stderr).toBe("");
    const result = JSON.parse(child.stdout.trim()) as {
      count: number;
      before: number;
      after: number;
      quietMinors: number;
    };
    expect(result.count).toBe(1);
    expect(result.quietMinors).toBe(1);
    expect(result.before).toBeGreaterThanOrEqual(0.6);
    expect(result.after).toBeLessThan(0.1);
  });
});
