/**
 * The verify queue: server-side runs wait here for a sandbox worker.
 *
 * At most `concurrency` jobs run at once over all sessions (the size of the runner's worker pool,
 * so a started job never waits inside the runner) and at most `perSession` for any one session.
 * Free workers are handed out round-robin across sessions (./round-robin.ts): each session's jobs
 * start in submission order, but a session with a long backlog (a host's "verify all" in a big
 * class, or attendees looping verifies that burn their whole time budget) takes turns with the
 * others instead of holding the pool until its backlog drains. At most `maxQueued` jobs wait over
 * all sessions and `perSessionQueued` for one session, so one session cannot fill the queue either.
 * A job already waiting for the same key (workspace and task) is not queued twice: the second
 * caller shares the first's result. The number of waiting jobs is reported to a gauge (the
 * /metrics verifications-queued gauge).
 */
import { RoundRobin } from "./round-robin.js";

export interface QueueOptions {
  /** Jobs running at once, over all sessions. */
  concurrency: number;
  /** Jobs of one session running at once. */
  perSession: number;
  /** Jobs waiting at once, over all sessions; submissions beyond it are refused. */
  maxQueued: number;
  /** Jobs of one session waiting at once; submissions beyond it are refused (default: `maxQueued`). */
  perSessionQueued?: number;
  /** Told the number of waiting jobs whenever it changes. */
  gauge?: { set(value: number): void };
  /** Called whenever a session's queue or running set changes. */
  onChange?: (sessionId: string) => void;
}

export interface QueueState {
  /** Jobs of the session waiting for a worker. */
  queued: number;
  /** Jobs of the session running now. */
  running: number;
}

/** Thrown by `submit` when `maxQueued` jobs are already waiting, or `perSessionQueued` of the session. */
export class QueueFullError extends Error {
  constructor(
    readonly maxQueued: number,
    scope: "all" | "session" = "all",
  ) {
    super(
      scope === "all"
        ? `the verify queue is full (${maxQueued} waiting); try again shortly`
        : `this session already has ${maxQueued} verifications waiting; try again shortly`,
    );
  }
}

interface Job {
  sessionId: string;
  key: string;
  work: () => Promise<unknown>;
  promise: Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class VerifyQueue {
  private readonly waiting = new RoundRobin<Job>();
  private readonly runningBySession = new Map<string, number>();
  private runningTotal = 0;
  private closed = false;

  constructor(private readonly options: QueueOptions) {
    if (options.concurrency < 1 || options.perSession < 1) throw new Error("concurrency must be at least 1");
  }

  private get perSessionQueued(): number {
    return this.options.perSessionQueued ?? this.options.maxQueued;
  }

  /**
   * Queues `work` for `sessionId`; resolves with its result once it has run. A job with the same
   * session and `key` that is still waiting is reused instead (its `work` runs, this one does not).
   */
  submit<T>(sessionId: string, key: string, work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error("the verify queue is closed"));
    const same = this.waiting.waiting(sessionId).find((j) => j.key === key);
    if (same) return same.promise as Promise<T>;
    if (this.waiting.size >= this.options.maxQueued) {
      return Promise.reject(new QueueFullError(this.options.maxQueued));
    }
    if (this.waiting.waiting(sessionId).length >= this.perSessionQueued) {
      return Promise.reject(new QueueFullError(this.perSessionQueued, "session"));
    }
    let resolve!: (value: unknown) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.waiting.push(sessionId, { sessionId, key, work, promise, resolve, reject });
    this.changed(sessionId);
    this.dispatch();
    return promise as Promise<T>;
  }

  /** The session's waiting and running job counts. */
  state(sessionId: string): QueueState {
    return {
      queued: this.waiting.waiting(sessionId).length,
      running: this.runningBySession.get(sessionId) ?? 0,
    };
  }

  /** How many more jobs may wait before submissions are refused. */
  get free(): number {
    return Math.max(0, this.options.maxQueued - this.waiting.size);
  }

  /** How many more jobs of `sessionId` may wait before its submissions are refused. */
  freeFor(sessionId: string): number {
    return Math.min(this.free, Math.max(0, this.perSessionQueued - this.waiting.waiting(sessionId).length));
  }

  /** Waiting jobs over all sessions. */
  get queued(): number {
    return this.waiting.size;
  }

  /** Refuses new jobs and fails the waiting ones; running jobs finish on their own. */
  close(): void {
    this.closed = true;
    const dropped = this.waiting.drain();
    for (const job of dropped) job.reject(new Error("the verify queue is closed"));
    this.options.gauge?.set(0);
  }

  private dispatch(): void {
    while (this.runningTotal < this.options.concurrency) {
      const job = this.waiting.take(
        (sessionId) => (this.runningBySession.get(sessionId) ?? 0) < this.options.perSession,
      );
      if (!job) return;
      this.start(job);
    }
  }

  private start(job: Job): void {
    this.runningTotal++;
    this.runningBySession.set(job.sessionId, (this.runningBySession.get(job.sessionId) ?? 0) + 1);
    this.changed(job.sessionId);
    const finish = () => {
      this.runningTotal--;
      const left = (this.runningBySession.get(job.sessionId) ?? 1) - 1;
      if (left === 0) {
        this.runningBySession.delete(job.sessionId);
        this.waiting.forget(job.sessionId);
      } else this.runningBySession.set(job.sessionId, left);
      this.changed(job.sessionId);
      this.dispatch();
    };
    // `work` may throw synchronously; either way the slot is given back exactly once.
    Promise.resolve()
      .then(job.work)
      .then(
        (value) => {
          finish();
          job.resolve(value);
        },
        (error: unknown) => {
          finish();
          job.reject(error);
        },
      );
  }

  private changed(sessionId: string): void {
    this.options.gauge?.set(this.waiting.size);
    this.options.onChange?.(sessionId);
  }
}
