import { describe, expect, it } from "vitest";
import type { RunEvent, RunRequest } from "../../sandbox/events.js";
import { createLogger } from "../logger.js";
import type { PackStore, UploadedPackRecord } from "../storage/pack-store.js";
import { MAX_WAITING_UPLOADS, PackCatalog, type WarmRunner } from "./catalog.js";
import { packZip } from "./test/zip.js";

/** A store in memory. */
function memoryStore(): PackStore & { saved: UploadedPackRecord[] } {
  const saved: UploadedPackRecord[] = [];
  return {
    saved,
    save: async (r) => void saved.push(r),
    list: async () => saved.map((r) => ({ id: r.id, uploadedAt: r.uploadedAt })),
    get: async (id) => saved.findLast((r) => r.id === id) ?? null,
    close: async () => undefined,
  };
}

/** A runner whose runs wait until released, so uploads pile up. */
function heldRunner(): WarmRunner & { release(): void } {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  return {
    ready: async () => undefined,
    close: async () => undefined,
    release: () => release(),
    async run(_request: RunRequest, onEvent: (event: RunEvent) => void) {
      await held;
      const done = { type: "done", status: "ok", durationMs: 1, t: 0 } as const;
      onEvent(done);
      return done;
    },
  };
}

describe("PackCatalog", () => {
  it("checks uploads one at a time and refuses more than a few waiting", async () => {
    const runner = heldRunner();
    const catalog = new PackCatalog(new Map(), memoryStore(), () => runner, createLogger("silent"));
    const pending = Array.from({ length: MAX_WAITING_UPLOADS }, () => catalog.upload(packZip()));
    expect(pending.every((p) => p !== null)).toBe(true);
    expect(catalog.upload(packZip())).toBeNull();
    runner.release();
    // The held runner reports no checks, so verify refuses each; what matters is that all finish.
    const results = await Promise.all(pending);
    expect(results.every((r) => r?.ok === false)).toBe(true);
    expect(catalog.upload(packZip())).not.toBeNull();
    await catalog.close();
  });
});
