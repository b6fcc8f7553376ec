/**
 * The body of a runner worker, shared by the Node and browser entries: boots the engine once,
 * then runs requests one at a time, posting every event as soon as it happens (the parent sees
 * console lines while a long loop is still going, because the worker posts from inside the run).
 * Between runs it gives the next run a fresh tensor backend, or asks the pool to retire it.
 */
import type { DeviceInfo, RunEvent, RunRequest } from "../events.js";
import type { HostLibrary } from "../kernel/types.js";
import { Engine } from "./engine.js";
import type { FromWorker, ToWorker } from "./protocol.js";

export interface WorkerPort {
  post(message: FromWorker): void;
  listen(handler: (message: ToWorker) => void): void;
}

export async function serveRuns(
  port: WorkerPort,
  options: {
    library: () => Promise<HostLibrary>;
    wasm: () => Promise<WebAssembly.Module>;
    maxStackBytes: number;
    /** Native heap of the library (tfjs wasm) past which the worker retires after a run. */
    maxHeapBytes?: number;
  },
): Promise<void> {
  const booted = performance.now();
  let engine: Engine;
  let library: HostLibrary;
  try {
    const [loaded, wasm] = await Promise.all([options.library(), options.wasm()]);
    library = loaded;
    engine = await Engine.create({ library, wasm, maxStackBytes: options.maxStackBytes });
  } catch (err) {
    port.post({ type: "fatal", message: err instanceof Error ? err.message : String(err) });
    return;
  }
  /**
   * Between runs: a worker whose kernel failed inside the tensor backend, or whose native heap grew
   * past the bound, tells the pool to replace it; otherwise, after a run that created tensors, the
   * library starts a fresh tensor backend, so nothing a run left in its heap is readable by the next.
   */
  const afterRun = async (id: number): Promise<void> => {
    const failed = engine.aftermath.failedKernel;
    const heap = library.heapBytes?.() ?? 0;
    let reason =
      failed !== undefined
        ? `${failed} failed inside the tensor backend`
        : options.maxHeapBytes !== undefined && heap > options.maxHeapBytes
          ? `tensor heap grew to ${heap} bytes`
          : undefined;
    if (reason === undefined && engine.aftermath.tensorsCreated > 0) {
      try {
        await library.reset?.();
      } catch (err) {
        reason = `the tensor backend could not restart: ${err instanceof Error ? err.message : String(err)}`;
      }
    }
    if (reason !== undefined) port.post({ type: "retire", id, reason });
  };
  let queue = Promise.resolve();
  port.listen((message) => {
    if (message.type !== "run") return;
    const { id, request } = message;
    const stop = message.stop ? new Int32Array(message.stop) : undefined;
    // `done` is held back until the tensor backend is clean for the next run.
    let done: RunEvent | undefined;
    const send = (event: RunEvent) => {
      if (event.type === "done") done = event;
      else port.post({ type: "event", id, event });
    };
    queue = queue.then(async () => {
      await runPrepared(library, engine, request, send, stop);
      await afterRun(id).catch((err: unknown) => {
        port.post({ type: "retire", id, reason: err instanceof Error ? err.message : String(err) });
      });
      if (done) port.post({ type: "event", id, event: done });
    });
  });
  port.post({ type: "ready", bootMs: performance.now() - booted });
}

/**
 * One run: the library's per-run preparation (e.g. the tfjs backend the run asks for), then the
 * run, its done event saying what it computed with. A failed preparation ends the run.
 */
async function runPrepared(
  library: HostLibrary,
  engine: Engine,
  request: RunRequest,
  send: (event: RunEvent) => void,
  stop: Int32Array | undefined,
): Promise<void> {
  let device: DeviceInfo | undefined;
  try {
    device = await library.prepare?.(request);
  } catch (err) {
    const message = `The run could not start: ${err instanceof Error ? err.message : String(err)}`;
    send({ type: "done", status: "error", error: { kind: "internal", message }, durationMs: 0, t: 0 });
    return;
  }
  await engine.run(
    request,
    (event) => send(event.type === "done" && device ? { ...event, device } : event),
    stop,
  );
}
