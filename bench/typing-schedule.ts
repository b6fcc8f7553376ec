/**
 * When the hot room's writers type (bench/sync-hot-room.ts): each writer calls `type` at `rate`
 * keystrokes per second, either in step (one 1000/rate ms clock for every writer: at each tick
 * writer 0, 1, … type one after the other) or jittered (each wait a random 0.5–1.5 × 1000/rate ms,
 * the same rate on average, no shared clock between the writers).
 *
 * In step is one timer, not one interval per writer: Node re-arms an interval from the time its
 * callback starts, so each writer's interval slipped by the keystrokes typed before it in the same
 * tick, and the writers drifted apart. Measured in the 50-client room (5 writers, 10 s rounds),
 * a tick's five keystrokes were spread over 1.5–12 ms (median per round) and up to 24 ms.
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
  const next = (k: number): NodeJS.Timeout =>
    setTimeout(
      () => {
        type(k);
        // `type` may have stopped the schedule; a stopped one arms no further timer.
        if (typing) timers[k] = next(k);
      },
      (0.5 + random()) * interval,
    );
  if (jitter) for (let k = 0; k < writers; k++) timers.push(next(k));
  else
    timers.push(
      setInterval(() => {
        // `type` may have stopped the schedule: the writers after it in this tick do not type.
        for (let k = 0; k < writers && typing; k++) type(k);
      }, interval),
    );
  return {
    stop() {
      typing = false;
      // clearTimeout clears intervals too (one timer kind in Node).
      for (const t of timers) clearTimeout(t);
    },
  };
}
