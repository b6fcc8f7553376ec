import { describe, expect, it } from "vitest";
import { QueueFullError, VerifyQueue } from "./queue.js";

/** A job that runs until released, recording how many of its session run alongside it. */
function gate() {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  return { released, release };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("VerifyQueue", () => {
  it("bounds concurrency per session and overall, taking turns between sessions", async () => {
    const gauge: number[] = [];
    const queue = new VerifyQueue({
      concurrency: 3,
      perSession: 2,
      maxQueued: 100,
      gauge: { set: (n) => gauge.push(n) },
    });
    const running = new Map<string, number>();
    const peak = new Map<string, number>();
    let peakTotal = 0;
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof gate>>();
    const submit = (session: string, key: string) => {
      const g = gate();
      gates.set(key, g);
      return queue.submit(session, key, async () => {
        started.push(key);
        running.set(session, (running.get(session) ?? 0) + 1);
        peak.set(session, Math.max(peak.get(session) ?? 0, running.get(session)!));
        peakTotal = Math.max(
          peakTotal,
          [...running.values()].reduce((a, b) => a + b, 0),
        );
        await g.released;
        running.set(session, running.get(session)! - 1);
        return key;
      });
    };
    const results = [
      submit("A", "a1"),
      submit("A", "a2"),
      submit("A", "a3"),
      submit("A", "a4"),
      submit("B", "b1"),
      submit("B", "b2"),
    ];
    await tick();
    // A has its two, B gets the third worker although its jobs were queued after A's.
    expect(started).toEqual(["a1", "a2", "b1"]);
    expect(queue.state("A")).toEqual({ queued: 2, running: 2 });
    expect(queue.state("B")).toEqual({ queued: 1, running: 1 });
    expect(queue.queued).toBe(3);
    expect(gauge.at(-1)).toBe(3);

    gates.get("a1")!.release();
    await tick();
    // A was served longest ago (a2 before b1), so the freed worker is A's turn.
    expect(started).toEqual(["a1", "a2", "b1", "a3"]);
    for (const key of ["a2", "b1", "a3", "a4", "b2"]) {
      gates.get(key)!.release();
      await tick();
      await tick();
    }
    expect(await Promise.all(results)).toEqual(["a1", "a2", "a3", "a4", "b1", "b2"]);
    expect(peak.get("A")).toBe(2);
    expect(peakTotal).toBe(3);
    expect(queue.state("A")).toEqual({ queued: 0, running: 0 });
    expect(gauge.at(-1)).toBe(0);
  });

  it("shares a waiting job with the same key instead of queueing it twice", async () => {
    const queue = new VerifyQueue({ concurrency: 1, perSession: 1, maxQueued: 10 });
    const g = gate();
    let runs = 0;
    const first = queue.submit("A", "busy", () => g.released.then(() => "busy"));
    const work = async () => ++runs;
    const x = queue.submit("A", "w1/t", work);
    const y = queue.submit("A", "w1/t", work);
    expect(queue.state("A").queued).toBe(1);
    g.release();
    expect(await Promise.all([first, x, y])).toEqual(["busy", 1, 1]);
    expect(runs).toBe(1);
  });

  it("refuses jobs beyond maxQueued and survives a job that throws", async () => {
    const queue = new VerifyQueue({ concurrency: 1, perSession: 1, maxQueued: 1 });
    const g = gate();
    const busy = queue.submit("A", "k0", () => g.released);
    const waiting = queue.submit("A", "k1", () => {
      throw new Error("boom");
    });
    await expect(queue.submit("A", "k2", async () => 1)).rejects.toBeInstanceOf(QueueFullError);
    expect(queue.free).toBe(0);
    g.release();
    await busy;
    await expect(waiting).rejects.toThrow("boom");
    // The slot came back: the next job runs.
    expect(await queue.submit("A", "k3", async () => "ran")).toBe("ran");
    expect(queue.state("A")).toEqual({ queued: 0, running: 0 });
  });

  it("fails waiting jobs on close and refuses new ones", async () => {
    const queue = new VerifyQueue({ concurrency: 1, perSession: 1, maxQueued: 5 });
    const g = gate();
    const busy = queue.submit("A", "k0", () => g.released);
    const waiting = queue.submit("A", "k1", async () => 1);
    queue.close();
    await expect(waiting).rejects.toThrow("closed");
    await expect(queue.submit("A", "k2", async () => 1)).rejects.toThrow("closed");
    g.release();
    await busy;
  });

  it("serves sessions round-robin: one session's backlog never holds the pool", async () => {
    // A controllable executor: every job waits for its own release, in an order the test picks.
    const queue = new VerifyQueue({ concurrency: 2, perSession: 2, maxQueued: 100 });
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof gate>>();
    const results: Promise<string>[] = [];
    const submit = (session: string, key: string) => {
      const g = gate();
      gates.set(key, g);
      results.push(
        queue.submit(session, key, async () => {
          started.push(key);
          await g.released;
          return key;
        }),
      );
    };
    // A floods first (ten verifications), then B and C ask for one or two each.
    for (let i = 1; i <= 10; i++) submit("A", `a${i}`);
    submit("B", "b1");
    submit("C", "c1");
    submit("B", "b2");
    await tick();
    expect(started).toEqual(["a1", "a2"]);
    // Each freed worker goes to the session served longest ago: B, C, then A again, then B.
    for (const [finished, next] of [
      ["a1", "b1"],
      ["a2", "c1"],
      ["b1", "a3"],
      ["c1", "b2"],
      ["a3", "a4"],
    ] as const) {
      gates.get(finished)!.release();
      await tick();
      await tick();
      expect(started.at(-1), `after ${finished}`).toBe(next);
    }
    // B and C were done long before A's backlog drained.
    expect(started).not.toContain("a5");
    for (const key of ["b2", "a4", "a5", "a6", "a7", "a8", "a9", "a10"]) {
      gates.get(key)!.release();
      await tick();
      await tick();
    }
    expect((await Promise.all(results)).length).toBe(13);
    expect(started.slice(-6)).toEqual(["a5", "a6", "a7", "a8", "a9", "a10"]);
  });

  it("caps the jobs one session may have waiting", async () => {
    const queue = new VerifyQueue({ concurrency: 1, perSession: 1, maxQueued: 10, perSessionQueued: 2 });
    const g = gate();
    const busy = queue.submit("A", "k0", () => g.released);
    const waiting = [queue.submit("A", "k1", async () => 1), queue.submit("A", "k2", async () => 2)];
    const refused = queue.submit("A", "k3", async () => 3);
    await expect(refused).rejects.toBeInstanceOf(QueueFullError);
    await expect(refused).rejects.toThrow("this session already has 2 verifications waiting");
    expect(queue.freeFor("A")).toBe(0);
    // Another session still has its own share.
    expect(queue.freeFor("B")).toBe(2);
    const other = queue.submit("B", "k0", async () => "b");
    g.release();
    expect(await Promise.all([busy, ...waiting, other])).toEqual([undefined, 1, 2, "b"]);
  });
});
