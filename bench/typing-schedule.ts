/**
 * When the hot room's writers type (bench/sync-hot-room.ts): each writer calls `type` at `rate`
 * keystrokes per second, either in step (every writer on a 1000/rate ms interval, their keystrokes
 * falling in the same timer ticks) or jittered (each wait a random 0.5–1.5 × 1000/rate ms, the same
 * rate on average, no shared clock between the writers).
 */

export interface TypingSchedule {
  /** Stops every writer; no keystroke follows. */
  stop(): void;
}

/**
 * Starts `writers` writers; `type(k)` is writer k's keystroke. `random` is injectable for tests
 * (default `Math.random`).
 */
export function startTyping(
  writers: number,
  rate: number,
  jitter: boolean,
  type: (writer: number) => void,
  random: () => number = Math.random,
): TypingSchedule {
  const interval = 1000 / rate;
  let typing = true;
  const timers: NodeJS.Timeout[] = [];
  for (let k = 0; k < writers; k++) {
    if (!jitter) {
      timers.push(setInterval(() => type(k), interval));
      continue;
    }
    const next = (): NodeJS.Timeout =>
      setTimeout(
        () => {
          type(k);
          // `type` may have stopped the schedule; a stopped one arms no further timer.
          if (typing) timers[k] = next();
        },
        (0.5 + random()) * interval,
      );
    timers.push(next());
  }
  return {
    stop() {
      typing = false;
      // clearTimeout clears intervals too (one timer kind in Node).
      for (const t of timers) clearTimeout(t);
    },
  };
}
