import { describe, expect, it } from "vitest";
import {
  DOCUMENT_METHODS,
  forwardingDocuments,
  forwardingRecords,
  passThrough,
  RECORD_METHODS,
} from "./methods.js";
import type { DocumentStore, Storage } from "./types.js";
import { watchAppends } from "./watched.js";

/** A DocumentStore that records every call and answers with the method's name. */
function recorder(): { documents: DocumentStore; calls: [string, unknown[]][] } {
  const calls: [string, unknown[]][] = [];
  const documents = forwardingDocuments(async (method, args) => {
    calls.push([method, args]);
    return method;
  });
  return { documents, calls };
}

describe("storage methods", () => {
  it("generates a forwarder for every method of each store, with its arguments and answer", async () => {
    const calls: [string, unknown[]][] = [];
    const records = forwardingRecords(async (method, args) => {
      calls.push([method, args]);
      return method;
    });
    for (const method of RECORD_METHODS) {
      const call = records[method] as (...args: unknown[]) => Promise<unknown>;
      expect(await call(method, 1)).toBe(method);
    }
    expect(calls).toEqual(RECORD_METHODS.map((m) => [m, [m, 1]]));
  });
  it("passes every document method through with its arguments and answer", async () => {
    const { documents, calls } = recorder();
    const wrapped = passThrough(documents);
    for (const method of DOCUMENT_METHODS) {
      const call = wrapped[method] as (...args: unknown[]) => Promise<unknown>;
      expect(await call(method, 1)).toBe(method);
    }
    expect(calls).toEqual(DOCUMENT_METHODS.map((m) => [m, [m, 1]]));
  });
  it("the append watcher sees stored appends and passes everything else through", async () => {
    const { documents, calls } = recorder();
    const records = forwardingRecords(async (method) => method);
    const storage: Storage = { kind: "recorder", records, documents, close: async () => undefined };
    const seen: number[] = [];
    const watched = watchAppends(storage, (updates) => seen.push(updates.length));
    await watched.documents.appendUpdates([{ doc: "d", update: new Uint8Array([1]) }]);
    await watched.documents.appendUpdates([]);
    expect(await watched.documents.loadDoc("d")).toBe("loadDoc");
    expect(seen).toEqual([1]);
    expect(calls.map(([m]) => m)).toEqual(["appendUpdates", "appendUpdates", "loadDoc"]);
    expect(watched.kind).toBe("recorder");
    expect(watched.records).toBe(records);
  });
});
