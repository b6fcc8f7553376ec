/**
 * The start page's pack list: grouped by track (workshops, seminars, demos) and narrowed by a text
 * filter. Pure, so it is tested without a browser.
 */
import type { PackSummary } from "../../contract/api.js";
import { trackSchema } from "../../contract/api.js";

export type Track = PackSummary["track"];

/** A track's heading: "Workshops". */
export const TRACK_TITLES: Record<Track, string> = {
  workshop: "Workshops",
  seminar: "Seminars",
  demo: "Demos",
};

export interface TrackGroup {
  track: Track;
  packs: PackSummary[];
}

/** "3 h", "1 h 30 min", "45 min". */
export function formatDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

const fold = (text: string) => text.normalize("NFKD").replace(/\p{M}/gu, "").toLocaleLowerCase();

/** Whether every word of `query` appears in the pack's title, summary, id, track, level or task titles. */
export function packMatches(pack: PackSummary, query: string): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = fold(
    [pack.title, pack.summary ?? "", pack.id, pack.track, pack.level, ...pack.tasks.map((t) => t.title)].join(
      "\n",
    ),
  );
  return words.every((w) => haystack.includes(w));
}

/** The packs matching `query`, grouped by track in the contract's order; empty tracks left out. */
export function groupPacks(packs: readonly PackSummary[], query: string): TrackGroup[] {
  return trackSchema.options
    .map((track) => ({ track, packs: packs.filter((p) => p.track === track && packMatches(p, query)) }))
    .filter((g) => g.packs.length > 0);
}
