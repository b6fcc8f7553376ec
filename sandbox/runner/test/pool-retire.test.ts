/**
 * The pool's side of worker retirement, with fake workers: a worker that says "retire" before a
 * run's `done` finishes that run normally, is terminated, and a fresh worker serves the next run —
 * the next run never lands on the retiring worker, even when it was already queued.
 */
import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../events.js";
import { WorkerPool, type WorkerHandle } from "../pool.js";
import type { FromWorker, ToWorker } from "../protocol.js";

interface FakeWorker extends WorkerHandle {
  readonly serial: number;
  terminated: boolean;
  runs: number[];
}

/** Fake workers: each answers a run with `done`; the first retires after its first run. */
function fakes(): { spawned: FakeWorker[]; spawn: () => WorkerHandle } {
  const spawned: FakeWorker[] = [];
  const spawn = (): WorkerHandle => {
    let onMessage: (m: FromWorker) => void = () => undefined;
    const worker: FakeWorker = {
      serial: spawned.length,
      terminated: false,
      runs: [],
      post(message: ToWorker) {
        worker.runs.push(message.id);
        const done: RunEvent = { type: "done", status: "ok", durationMs: 1, t: 1 };
        setTimeout(() => {
          if (worker.serial === 0) onMessage({ type: "retire", id: message.id, reason: "heap grew" });
          onMessage({ type: "event", id: message.id, event: done });
        }, 5);
      },
      terminate() {
        worker.terminated = true;
      },
      listen(handler) {
        onMessage = handler;
        setTimeout(() => handler({ type: "ready", bootMs: 1 }), 1);
      },
    };
    spawned.push(worker);
    return worker;
  };
  return { spawned, spawn };
}

describe("worker retirement", () => {
  it("replaces a retiring worker after its run; queued runs go to the fresh one", async () => {
    const { spawned, spawn } = fakes();
    const pool = new WorkerPool({ size: 1, spawn });
    await pool.ready();
    const [first, second] = await Promise.all([
      pool.run({ source: "" }, () => undefined),
      pool.run({ source: "" }, () => undefined),
    ]);
    expect(first.status).toBe("ok");
    expect(second.status).toBe("ok");
    expect(spawned).toHaveLength(2);
    expect(spawned[0]).toMatchObject({ terminated: true, runs: [1] });
    expect(spawned[1]).toMatchObject({ terminated: false, runs: [2] });
    await pool.close();
  });
});
