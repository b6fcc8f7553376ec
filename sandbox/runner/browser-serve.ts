/**
 * Serves runs from inside a browser Web Worker: fetches and compiles QuickJS's wasm (bundled by
 * Vite as an asset) and wires the worker's message port to {@link serveRuns}.
 */
/// <reference types="vite/client" />
import wasmUrl from "@jitl/quickjs-wasmfile-release-sync/wasm?url";
import type { HostLibrary } from "../kernel/types.js";
import type { ToWorker } from "./protocol.js";
import { serveRuns } from "./worker.js";

/**
 * QuickJS stack limit for a browser worker. Chromium gives workers a smaller native stack than
 * our Node workers get, so the limit is lower; see docs/sandbox.md.
 */
export const BROWSER_MAX_STACK_BYTES = 160 * 1024;

interface WorkerScope {
  postMessage(message: unknown): void;
  addEventListener(type: "message", handler: (e: MessageEvent<ToWorker>) => void): void;
}

export function serveBrowserRuns(library: () => Promise<HostLibrary>): Promise<void> {
  const scope = globalThis as unknown as WorkerScope;
  return serveRuns(
    {
      post: (message) => scope.postMessage(message),
      listen: (handler) => scope.addEventListener("message", (e) => handler(e.data)),
    },
    {
      library,
      wasm: () => WebAssembly.compileStreaming(fetch(wasmUrl)),
      maxStackBytes: BROWSER_MAX_STACK_BYTES,
    },
  );
}
