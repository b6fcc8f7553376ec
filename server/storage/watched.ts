/**
 * A Storage whose document store reports every successful batched append (with how long it took)
 * to a watcher: the metrics time flushes with it, and the Redis relay learns which of its updates
 * are stored. Everything else passes straight through.
 */
import { passThrough } from "./methods.js";
import type { DocUpdate, DocumentStore, Storage } from "./types.js";

export type AppendWatcher = (updates: DocUpdate[], seconds: number) => void;

/** `documents` with its appends reported to `watcher`. */
export function watchDocumentAppends(documents: DocumentStore, watcher: AppendWatcher): DocumentStore {
  return {
    ...passThrough(documents),
    async appendUpdates(updates) {
      const started = performance.now();
      await documents.appendUpdates(updates);
      if (updates.length > 0) watcher(updates, (performance.now() - started) / 1000);
    },
  };
}

/** `storage` with its document store's appends reported to `watcher`. */
export function watchAppends(storage: Storage, watcher: AppendWatcher): Storage {
  return {
    kind: storage.kind,
    records: storage.records,
    documents: watchDocumentAppends(storage.documents, watcher),
    close: () => storage.close(),
  };
}
