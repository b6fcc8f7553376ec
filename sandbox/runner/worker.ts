/**
 * The body of a runner worker, shared by the Node and browser entries: boots the engine once,
 * then runs requests one at a time, posting every event as soon as it happens (the parent sees
 * console lines while a long loop is still going, because the worker posts from inside the run).
 */
import type { RunEvent } from "../events.js";
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
  },
): Promise<void> {
  const booted = performance.now();
  let engine: Engine;
  try {
    const [library, wasm] = await Promise.all([options.library(), options.wasm()]);
    engine = await Engine.create({ library, wasm, maxStackBytes: options.maxStackBytes });
  } catch (err) {
    port.post({ type: "fatal", message: err instanceof Error ? err.message : String(err) });
    return;
  }
  let queue = Promise.resolve();
  port.listen((message) => {
    if (message.type !== "run") return;
    const { id, request } = message;
    const stop = message.stop ? new Int32Array(message.stop) : undefined;
    queue = queue.then(() =>
      engine.run(request, (event: RunEvent) => port.post({ type: "event", id, event }), stop),
    );
  });
  port.post({ type: "ready", bootMs: performance.now() - booted });
}
