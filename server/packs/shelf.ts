/**
 * The packs a server serves, as its services read them: every pack's listing (what `GET /api/packs`
 * shows) is held at all times, a full {@link Pack} only while it is used. Shipped packs are
 * validated in a child process (./load-isolated.ts), which writes each one as JSON to a cache
 * folder; {@link PackShelf.get} reads a pack back from there when it is asked for and keeps the
 * few most recently used. Packs given whole (uploads, tests, the in-process fallback) stay held.
 * Holding all 26 shipped packs cost 3.6–4.1 MB of RSS (docs/benchmarks.md, "Where ours' RSS goes").
 */
import { readFileSync } from "node:fs";
import type { Pack } from "./format.js";

/** What a pack list shows of a pack: `GET /api/packs`. */
export interface PackListing {
  id: string;
  title: string;
  track: Pack["track"];
  duration: number;
  level: Pack["level"];
  summary?: string;
  uploaded?: true;
  tasks: { id: string; title: string }[];
}

/** A validated pack written to a file, and its listing. */
export interface PackFile {
  listing: PackListing;
  file: string;
}

/** The packs as services read them. */
export interface Packs {
  /** The full pack; read from its file when it is not held. */
  get(id: string): Pack | undefined;
  has(id: string): boolean;
  keys(): IterableIterator<string>;
  listings(): PackListing[];
}

/** How many packs read from files are kept, most recently used first. */
export const HELD_PACK_FILES = 4;

export function listingOf(pack: Pack): PackListing {
  return {
    id: pack.id,
    title: pack.title,
    track: pack.track,
    duration: pack.duration,
    level: pack.level,
    ...(pack.summary ? { summary: pack.summary } : {}),
    ...(pack.uploaded ? { uploaded: true } : {}),
    tasks: pack.tasks.map((t) => ({ id: t.id, title: t.title })),
  };
}

type Entry = { listing: PackListing; pack: Pack; file?: undefined } | { listing: PackListing; file: string };

export class PackShelf implements Packs {
  private readonly entries = new Map<string, Entry>();
  /** Packs read from files, least recently used first (a Map keeps insertion order). */
  private readonly recent = new Map<string, Pack>();

  constructor(private readonly heldFiles = HELD_PACK_FILES) {}

  /** Serves a pack held whole. */
  set(pack: Pack): void {
    this.recent.delete(pack.id);
    this.entries.set(pack.id, { listing: listingOf(pack), pack });
  }

  /** Serves a pack read from its file when used. */
  setFile({ listing, file }: PackFile): void {
    this.recent.delete(listing.id);
    this.entries.set(listing.id, { listing, file });
  }

  get(id: string): Pack | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.file === undefined) return entry.pack;
    let pack = this.recent.get(id);
    if (pack) this.recent.delete(id);
    else pack = JSON.parse(readFileSync(entry.file, "utf8")) as Pack;
    this.recent.set(id, pack);
    if (this.recent.size > this.heldFiles) this.recent.delete(this.recent.keys().next().value!);
    return pack;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  keys(): IterableIterator<string> {
    return this.entries.keys();
  }

  listings(): PackListing[] {
    return [...this.entries.values()].map((e) => e.listing);
  }

  /** How many full packs are held now: those given whole and those read from files and kept. */
  held(): number {
    let whole = 0;
    for (const entry of this.entries.values()) if (entry.file === undefined) whole++;
    return whole + this.recent.size;
  }
}
