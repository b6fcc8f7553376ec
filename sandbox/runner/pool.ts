/**
 * The parent side of the runner, the same in Node and the browser: a pool of workers, a queue of
 * runs, and a wall-clock watchdog per run.
 *
 * The watchdog exists because not everything is interruptible: QuickJS's interrupt handler stops
 * guest code, but a long host kernel or native built-in holds the worker until it returns. When a
 * run outlives its time limit (plus a grace period) or ignores a stop request, its worker is
 * terminated, the run ends with the matching error, and a fresh worker takes its place. A worker
 * that asks to retire (its tensor backend failed, or its heap outgrew the bound) is replaced the
 * same way once its run is done, so the next run never lands on it.
 */
import type { RunEvent, RunRequest } from "../events.js";
import { limitError } from "./errors.js";
import { resolveLimits } from "./limits.js";
import type { FromWorker, ToWorker } from "./protocol.js";
import type { DoneEvent, Runner, RunOptions } from "./runner.js";

/** A worker as the pool sees it (a worker_threads Worker or a Web Worker behind an adapter). */
export interface WorkerHandle {
  post(message: ToWorker): void;
  terminate(): void;
  /** `onExit` fires once if the worker dies or fails (not after `terminate`). */
  listen(onMessage: (message: FromWorker) => void, onExit: (reason: string) => void): void;
}

export interface PoolOptions {
  size: number;
  spawn: () => WorkerHandle;
  /** Time a run may overrun its limit before its worker is terminated. */
  graceMs?: number;
  /** Time a stop request may take before the worker is terminated. */
  stopGraceMs?: number;
}

interface PendingRun {
  request: RunRequest;
  onEvent: (event: RunEvent) => void;
  signal: AbortSignal | undefined;
  resolve: (done: DoneEvent) => void;
  started: number;
}

interface Slot {
  worker: WorkerHandle;
  ready: boolean;
  spawnedAt: number;
  readyAt: number | undefined;
  /** The worker asked to be replaced once its current run is done. */
  retiring: boolean;
  current:
    | { id: number; run: PendingRun; stop: Int32Array | undefined; timers: ReturnType<typeof setTimeout>[] }
    | undefined;
}

const sharedMemory =
  typeof SharedArrayBuffer === "function" &&
  (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;

export class WorkerPool implements Runner {
  private readonly slots: Slot[] = [];
  private readonly queue: PendingRun[] = [];
  private nextId = 1;
  private closed = false;
  /** Boot failures in a row; after a few, runs fail instead of respawning forever. */
  private bootFailures = 0;
  private bootError: string | undefined;
  private readonly graceMs: number;
  private readonly stopGraceMs: number;
  /** Cold-start times of workers (spawn to ready), for the benchmark. */
  readonly coldStarts: number[] = [];

  constructor(private readonly options: PoolOptions) {
    this.graceMs = options.graceMs ?? 250;
    this.stopGraceMs = options.stopGraceMs ?? 250;
    for (let i = 0; i < Math.max(1, options.size); i++) this.spawn();
  }

  /** Resolves when every worker is ready (or failed to boot). */
  async ready(): Promise<void> {
    while (!this.closed && this.slots.some((s) => !s.ready) && this.bootError === undefined) {
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  run(request: RunRequest, onEvent: (event: RunEvent) => void, options: RunOptions = {}): Promise<DoneEvent> {
    return new Promise<DoneEvent>((resolve) => {
      const run: PendingRun = {
        request,
        onEvent,
        signal: options.signal,
        resolve,
        started: performance.now(),
      };
      if (this.closed) return this.finish(run, { kind: "internal", message: "The runner is closed." });
      if (this.bootError !== undefined)
        return this.finish(run, { kind: "internal", message: this.bootError });
      if (run.signal?.aborted) return this.finish(run, { kind: "runtime", message: "Run stopped." });
      run.signal?.addEventListener("abort", () => this.abort(run), { once: true });
      this.queue.push(run);
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const run of this.queue.splice(0))
      this.finish(run, { kind: "internal", message: "The runner is closed." });
    for (const slot of this.slots.splice(0)) {
      const current = slot.current;
      slot.current = undefined;
      if (current) {
        current.timers.forEach(clearTimeout);
        this.finish(current.run, { kind: "internal", message: "The runner is closed." });
      }
      slot.worker.terminate();
    }
  }

  private spawn(): Slot {
    const slot: Slot = {
      worker: this.options.spawn(),
      ready: false,
      spawnedAt: performance.now(),
      readyAt: undefined,
      retiring: false,
      current: undefined,
    };
    this.slots.push(slot);
    slot.worker.listen(
      (message) => this.onMessage(slot, message),
      (reason) => this.onExit(slot, reason),
    );
    return slot;
  }

  private onMessage(slot: Slot, message: FromWorker): void {
    if (!this.slots.includes(slot)) return;
    switch (message.type) {
      case "ready":
        slot.ready = true;
        slot.readyAt = performance.now();
        this.coldStarts.push(slot.readyAt - slot.spawnedAt);
        this.bootFailures = 0;
        this.dispatch();
        return;
      case "fatal":
        this.replace(slot, `The sandbox could not start: ${message.message}`, true);
        return;
      case "retire":
        if (slot.current?.id === message.id) slot.retiring = true;
        return;
      case "event": {
        const current = slot.current;
        if (!current || current.id !== message.id) return;
        const event = message.event;
        if (event.type === "done") {
          current.timers.forEach(clearTimeout);
          slot.current = undefined;
          if (slot.retiring) this.replace(slot, "", false);
          current.run.onEvent(event);
          current.run.resolve(event);
          this.dispatch();
        } else {
          current.run.onEvent(event);
        }
        return;
      }
    }
  }

  private onExit(slot: Slot, reason: string): void {
    if (!this.slots.includes(slot)) return;
    this.replace(slot, `The sandbox worker stopped unexpectedly (${reason}).`, !slot.ready);
  }

  /** Kills a worker, ends its run (if any) with `message`, and starts a fresh worker. */
  private replace(
    slot: Slot,
    message: string,
    bootFailure: boolean,
    error?: ReturnType<typeof limitError>,
  ): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    slot.worker.terminate();
    const current = slot.current;
    slot.current = undefined;
    if (current) {
      current.timers.forEach(clearTimeout);
      this.finish(current.run, error ?? { kind: "internal", message });
    }
    if (this.closed) return;
    if (bootFailure && ++this.bootFailures >= 3) {
      this.bootError = message;
      for (const run of this.queue.splice(0)) this.finish(run, { kind: "internal", message });
      return;
    }
    this.spawn();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.current) continue;
      const run = this.queue.shift();
      if (!run) return;
      this.start(slot, run);
    }
  }

  private start(slot: Slot, run: PendingRun): void {
    const id = this.nextId++;
    const stopBuffer = sharedMemory ? new SharedArrayBuffer(4) : undefined;
    const stop = stopBuffer ? new Int32Array(stopBuffer) : undefined;
    const { timeoutMs } = resolveLimits(run.request.limits);
    const watchdog = setTimeout(() => {
      this.replace(slot, "", false, limitError("time"));
    }, timeoutMs + this.graceMs);
    slot.current = { id, run, stop, timers: [watchdog] };
    const message: ToWorker = { type: "run", id, request: run.request };
    if (stopBuffer) message.stop = stopBuffer;
    slot.worker.post(message);
  }

  private abort(run: PendingRun): void {
    const queued = this.queue.indexOf(run);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.finish(run, { kind: "runtime", message: "Run stopped." });
      return;
    }
    const slot = this.slots.find((s) => s.current?.run === run);
    if (!slot?.current) return;
    const stopped = { kind: "runtime" as const, message: "Run stopped." };
    if (slot.current.stop) {
      Atomics.store(slot.current.stop, 0, 1);
      slot.current.timers.push(setTimeout(() => this.replace(slot, "", false, stopped), this.stopGraceMs));
    } else {
      this.replace(slot, "", false, stopped);
    }
  }

  private finish(run: PendingRun, error: DoneEvent["error"] & object): void {
    const durationMs = Math.round((performance.now() - run.started) * 10) / 10;
    const done: DoneEvent = { type: "done", status: "error", error, durationMs, t: durationMs };
    try {
      run.onEvent(done);
    } finally {
      run.resolve(done);
    }
  }
}
