/**
 * The packs a server offers: the shipped ones (sessions/) and those hosts uploaded as zips.
 *
 * `packs` is what every service reads (./shelf.ts: shipped packs read from their files when used);
 * uploads and refreshes change it in place. Uploaded packs live in the database
 * (./../storage/pack-store.ts), so every instance serves them: each instance loads them at start
 * and polls the store for new or replaced ones. An upload is checked
 * as a pack folder is (./upload.ts: safe unzip, the loader, verify in the sandbox), one at a time.
 * Shipped pack ids cannot be taken; an uploaded id can be uploaded again, replacing the pack.
 */
import { rmSync } from "node:fs";
import type { Runner } from "../../sandbox/runner/runner.js";
import type { Logger } from "../logger.js";
import type { PackStore } from "../storage/pack-store.js";
import type { Pack } from "./format.js";
import type { PackProblem } from "./load.js";
import { type PackFile, PackShelf } from "./shelf.js";
import type * as Upload from "./upload.js";

/**
 * The upload checks (fflate, the pack loader, acorn, the pack schemas): loaded when a pack is
 * uploaded or an uploaded one is first served, not at startup (docs/benchmarks.md, "Process RSS").
 */
const uploads = (): Promise<typeof Upload> => import("./upload.js");

/** Uploads queued or being checked at once; more are refused (429) rather than queued for minutes. */
export const MAX_WAITING_UPLOADS = 3;

/** A sandbox runner that can be warmed before its first run. */
export type WarmRunner = Runner & { ready(): Promise<void> };

export type UploadResult = { ok: true; pack: Pack } | { ok: false; conflict?: true; problems: PackProblem[] };

export class PackCatalog {
  /** Every pack this instance serves, by id (shipped and uploaded). */
  readonly packs = new PackShelf();
  /** Upload time of each uploaded pack loaded here, to spot replacements. */
  private readonly loaded = new Map<string, number>();
  private queue: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  private runner: WarmRunner | null = null;
  private timer: NodeJS.Timeout | null = null;

  /**
   * `shipped`: packs given whole, or written to files (./load-isolated.ts); `cacheDir`, the folder
   * of those files, is removed by close().
   */
  constructor(
    private readonly shipped: ReadonlyMap<string, Pack | PackFile>,
    private readonly store: PackStore,
    private readonly createRunner: () => WarmRunner,
    private readonly log: Logger,
    private readonly cacheDir: string | null = null,
  ) {
    for (const pack of shipped.values()) {
      if ("file" in pack) this.packs.setFile(pack);
      else this.packs.set(pack);
    }
  }

  /** Loads uploaded packs that are new or replaced since the last refresh. */
  async refresh(): Promise<void> {
    for (const { id, uploadedAt } of await this.store.list()) {
      if (this.shipped.has(id) || this.loaded.get(id) === uploadedAt) continue;
      const record = await this.store.get(id);
      if (!record) continue;
      const { unzipPack, loadUnzipped } = await uploads();
      const unzipped = unzipPack(record.archive);
      const loaded = unzipped.ok ? loadUnzipped(unzipped.files) : unzipped;
      if (loaded.ok) this.packs.set({ ...loaded.pack, uploaded: true });
      // Checked when uploaded; only a newer server with stricter rules can get here.
      else
        this.log.warn({ pack: id, problems: loaded.problems }, "uploaded pack left out: it no longer loads");
      this.loaded.set(id, uploadedAt);
    }
  }

  /** Refreshes every `ms` (other instances' uploads appear within that); stopped by close(). */
  poll(ms: number): void {
    this.timer = setInterval(() => {
      this.refresh().catch((err: unknown) => this.log.warn({ err }, "uploaded packs refresh failed"));
    }, ms);
    this.timer.unref();
  }

  /**
   * Checks and, when it passes, stores and serves an uploaded zip. Uploads run one at a time (each
   * runs verify in the sandbox); beyond {@link MAX_WAITING_UPLOADS} waiting, null: try later.
   */
  upload(zip: Uint8Array): Promise<UploadResult> | null {
    if (this.waiting >= MAX_WAITING_UPLOADS) return null;
    this.waiting++;
    const next = this.queue.then(() => this.check(zip)).finally(() => this.waiting--);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async check(zip: Uint8Array): Promise<UploadResult> {
    // The cheap checks first: a shipped id is refused before anything runs.
    const { unzipPack, loadUnzipped, checkUpload } = await uploads();
    const unzipped = unzipPack(zip);
    if (!unzipped.ok) return unzipped;
    const loaded = loadUnzipped(unzipped.files);
    if (loaded.ok && this.shipped.has(loaded.pack.id)) {
      return {
        ok: false,
        conflict: true,
        problems: [
          {
            file: "pack.json",
            message: `"${loaded.pack.id}" is a pack this server ships; choose another id`,
          },
        ],
      };
    }
    if (!loaded.ok) return loaded;
    if (!this.runner) {
      this.runner = this.createRunner();
      // Warm first, so QuickJS start-up does not count as the first task's first feedback.
      await this.runner.ready();
    }
    const checked = await checkUpload(zip, this.runner);
    if (!checked.ok) return checked;
    const pack: Pack = { ...checked.pack, uploaded: true };
    const uploadedAt = Date.now();
    await this.store.save({ id: pack.id, title: pack.title, archive: zip, uploadedAt });
    this.packs.set(pack);
    this.loaded.set(pack.id, uploadedAt);
    return { ok: true, pack };
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.queue;
    await this.runner?.close();
    await this.store.close();
    if (this.cacheDir !== null) rmSync(this.cacheDir, { recursive: true, force: true });
  }
}
