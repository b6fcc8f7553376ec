/**
 * A Storage that reports every successful batched append (with how long it took) to a watcher:
 * the metrics time flushes with it, and the Redis relay learns which of its updates are stored.
 * Everything else passes straight through.
 */
import { passThrough } from "./methods.js";
import type { DocUpdate, Storage } from "./types.js";

export type AppendWatcher = (updates: DocUpdate[], seconds: number) => void;

export function watchAppends(storage: Storage, watcher: AppendWatcher): Storage {
  return {
    ...passThrough(storage),
    kind: storage.kind,
    async appendUpdates(updates) {
      const started = performance.now();
      await storage.appendUpdates(updates);
      if (updates.length > 0) watcher(updates, (performance.now() - started) / 1000);
    },
    close: () => storage.close(),
  };
}
