import { describe, expect, it } from "vitest";
import { forwardingMethods, passThrough, STORAGE_METHODS } from "./methods.js";
import type { Storage } from "./types.js";
import { watchAppends } from "./watched.js";

/** A Storage that records every call and answers with the method's name. */
function recorder(): { storage: Storage; calls: [string, unknown[]][] } {
  const calls: [string, unknown[]][] = [];
  const storage: Storage = {
    kind: "recorder",
    ...forwardingMethods(async (method, args) => {
      calls.push([method, args]);
      return method;
    }),
    close: async () => undefined,
  };
  return { storage, calls };
}

describe("storage methods", () => {
  it("passes every method through with its arguments and answer", async () => {
    const { storage, calls } = recorder();
    const wrapped = passThrough(storage);
    for (const method of STORAGE_METHODS) {
      const call = wrapped[method] as (...args: unknown[]) => Promise<unknown>;
      expect(await call(method, 1)).toBe(method);
    }
    expect(calls).toEqual(STORAGE_METHODS.map((m) => [m, [m, 1]]));
  });
  it("the append watcher sees stored appends and passes everything else through", async () => {
    const { storage, calls } = recorder();
    const seen: number[] = [];
    const watched = watchAppends(storage, (updates) => seen.push(updates.length));
    await watched.appendUpdates([{ doc: "d", update: new Uint8Array([1]) }]);
    await watched.appendUpdates([]);
    expect(await watched.loadDoc("d")).toBe("loadDoc");
    expect(seen).toEqual([1]);
    expect(calls.map(([m]) => m)).toEqual(["appendUpdates", "appendUpdates", "loadDoc"]);
    expect(watched.kind).toBe("recorder");
  });
});
