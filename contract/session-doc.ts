/**
 * The shared Yjs docs' layout (docs/api.md, "Session doc"): the one place that names their keys.
 *
 * Session doc `session/<sid>`: `meta` (Y.Map: title, pack, stage, taskId, timerEndsAt, locked),
 * `roster` (Y.Map participantId → {name, workspaceId, joinedAt}), `pairs` (Y.Map workspaceId →
 * {@link PairState}), `broadcasts` (Y.Array of {id, at, markdown, code?}), `reveals` (Y.Map
 * participantId or "*" → id of the latest reveal), `present` (Y.Map, see client/common/presentation.ts).
 * Only the host (and the server) writes it. Workspace doc `workspace/<sid>/<wid>`: `files` (Y.Map
 * taskId → Y.Text).
 *
 * Readers are defensive: the doc is synced from clients, so a malformed value reads as a default
 * instead of breaking the room or the server.
 */
import * as Y from "yjs";
import type { PairState } from "./api.js";

export type { PairState };

/** The session doc's top-level keys. */
export const SESSION_KEYS = {
  meta: "meta",
  roster: "roster",
  pairs: "pairs",
  broadcasts: "broadcasts",
  reveals: "reveals",
  present: "present",
} as const;

/** The workspace doc's top-level key: taskId → code. */
export const FILES_KEY = "files";

/** The `reveals` key that tells everyone (rather than one participant) to fetch their hints again. */
export const EVERYONE = "*";

/** Typed handles on a session doc's parts. */
export const sessionDoc = {
  meta: (doc: Y.Doc) => doc.getMap<unknown>(SESSION_KEYS.meta),
  roster: (doc: Y.Doc) => doc.getMap<unknown>(SESSION_KEYS.roster),
  pairs: (doc: Y.Doc) => doc.getMap<unknown>(SESSION_KEYS.pairs),
  broadcasts: (doc: Y.Doc) => doc.getArray<unknown>(SESSION_KEYS.broadcasts),
  reveals: (doc: Y.Doc) => doc.getMap<unknown>(SESSION_KEYS.reveals),
  present: (doc: Y.Doc) => doc.getMap<unknown>(SESSION_KEYS.present),
};

/** A workspace doc's files: taskId → code. */
export const workspaceFiles = (doc: Y.Doc) => doc.getMap<Y.Text>(FILES_KEY);

// ---- meta

export type Stage = "exposition" | "coding" | "review";
export const STAGES: readonly Stage[] = ["exposition", "coding", "review"];

export interface SessionMeta {
  title: string;
  pack: string;
  stage: Stage;
  taskId: string | null;
  timerEndsAt: number | null;
  locked: boolean;
}

/** What a session doc's meta reads as before it has synced (every field at its default). */
export const EMPTY_META: SessionMeta = {
  title: "",
  pack: "",
  stage: "exposition",
  taskId: null,
  timerEndsAt: null,
  locked: false,
};

const str = (v: unknown, fallback: string) => (typeof v === "string" ? v : fallback);

export function readMeta(meta: Y.Map<unknown>): SessionMeta {
  const stage = meta.get("stage");
  const taskId = meta.get("taskId");
  const timer = meta.get("timerEndsAt");
  return {
    title: str(meta.get("title"), ""),
    pack: str(meta.get("pack"), ""),
    stage: STAGES.includes(stage as Stage) ? (stage as Stage) : "exposition",
    taskId: typeof taskId === "string" && taskId ? taskId : null,
    timerEndsAt: typeof timer === "number" && Number.isFinite(timer) ? timer : null,
    locked: meta.get("locked") === true,
  };
}

/** Sets the given meta fields (the host's dashboard; the server when it seeds a session). */
export function writeMeta(doc: Y.Doc, fields: Partial<SessionMeta>): void {
  const meta = sessionDoc.meta(doc);
  doc.transact(() => {
    for (const [k, v] of Object.entries(fields)) meta.set(k, v);
  });
}

/** Whether the host has locked editing. */
export const isLocked = (doc: Y.Doc): boolean => sessionDoc.meta(doc).get("locked") === true;

/** A new session doc: its meta, and the (empty) broadcasts and roster. */
export function seedSessionDoc(doc: Y.Doc, meta: SessionMeta): void {
  writeMeta(doc, meta);
  sessionDoc.broadcasts(doc);
  sessionDoc.roster(doc);
}

// ---- broadcasts

export interface Broadcast {
  id: string;
  at: number;
  markdown: string;
  code?: string;
}

/** The broadcasts, skipping anything malformed (items may be plain objects or Y.Maps). */
export function readBroadcasts(list: Y.Array<unknown>): Broadcast[] {
  const out: Broadcast[] = [];
  for (const raw of list.toArray()) {
    const item: unknown = raw instanceof Y.Map ? raw.toJSON() : raw;
    if (typeof item !== "object" || item === null) continue;
    const b = item as Record<string, unknown>;
    if (typeof b.markdown !== "string") continue;
    const broadcast: Broadcast = {
      id: str(b.id, String(out.length)),
      at: typeof b.at === "number" ? b.at : 0,
      markdown: b.markdown,
    };
    if (typeof b.code === "string" && b.code.trim()) broadcast.code = b.code;
    out.push(broadcast);
  }
  return out;
}

let counter = 0;
/** A broadcast id unique enough within one session doc. */
export function newBroadcastId(now = Date.now()): string {
  counter = (counter + 1) % 1e6;
  return `${now.toString(36)}-${counter.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Appends a broadcast (the host's composer). */
export function pushBroadcast(
  doc: Y.Doc,
  draft: { markdown: string; code?: string },
  now = Date.now(),
): void {
  sessionDoc.broadcasts(doc).push([{ id: newBroadcastId(now), at: now, ...draft }]);
}

// ---- roster

export interface RosterEntry {
  name: string;
  workspaceId: string;
  joinedAt: number;
}

export function readRoster(roster: Y.Map<unknown>): Map<string, RosterEntry> {
  const out = new Map<string, RosterEntry>();
  for (const [participantId, value] of roster) {
    if (typeof value !== "object" || value === null) continue;
    const v = value as Record<string, unknown>;
    out.set(participantId, {
      name: str(v.name, "(no name)"),
      workspaceId: str(v.workspaceId, ""),
      joinedAt: typeof v.joinedAt === "number" ? v.joinedAt : 0,
    });
  }
  return out;
}

export function setRosterEntry(doc: Y.Doc, participantId: string, entry: RosterEntry): void {
  sessionDoc.roster(doc).set(participantId, entry);
}

/** Moves a participant's roster entry to another workspace (pairing); unknown participants are left alone. */
export function setRosterWorkspace(doc: Y.Doc, participantId: string, workspaceId: string): void {
  const roster = sessionDoc.roster(doc);
  const entry = roster.get(participantId);
  if (typeof entry === "object" && entry !== null) roster.set(participantId, { ...entry, workspaceId });
}

// ---- pairs

/** A pair as the session doc's `pairs` map holds it, with the workspace id it is keyed by. */
export interface Pair extends PairState {
  workspaceId: string;
}

/** One pair entry, or null when malformed. The driver defaults to the first member. */
export function readPairState(value: unknown): PairState | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  const members = v.members;
  if (!Array.isArray(members) || members.length !== 2) return null;
  if (typeof members[0] !== "string" || typeof members[1] !== "string") return null;
  const pair: [string, string] = [members[0], members[1]];
  const swap = v.swapEveryMinutes;
  return {
    members: pair,
    driver: typeof v.driver === "string" && pair.includes(v.driver) ? v.driver : pair[0],
    swapEveryMinutes: typeof swap === "number" && Number.isFinite(swap) && swap > 0 ? swap : null,
    swappedAt: typeof v.swappedAt === "number" ? v.swappedAt : 0,
  };
}

export function readPairs(pairs: Y.Map<unknown>): Map<string, Pair> {
  const out = new Map<string, Pair>();
  for (const [workspaceId, value] of pairs) {
    const state = readPairState(value);
    if (state) out.set(workspaceId, { workspaceId, ...state });
  }
  return out;
}

/** The pair `participantId` works in, if any. */
export function pairOf(pairs: Map<string, Pair>, participantId: string): Pair | null {
  for (const pair of pairs.values()) if (pair.members.includes(participantId)) return pair;
  return null;
}

/** Whether a pair with a swap interval is due to swap roles at `now`. */
export function swapDue(pair: PairState, now: number): boolean {
  return pair.swapEveryMinutes !== null && now - pair.swappedAt >= pair.swapEveryMinutes * 60_000;
}

export function setPair(doc: Y.Doc, workspaceId: string, state: PairState): void {
  sessionDoc.pairs(doc).set(workspaceId, state);
}

export function deletePair(doc: Y.Doc, workspaceId: string): void {
  sessionDoc.pairs(doc).delete(workspaceId);
}

// ---- reveals

/** Tells `participantId` (or, null, everyone) to fetch their hints again: `revealId` is the latest. */
export function signalReveal(doc: Y.Doc, participantId: string | null, revealId: number): void {
  sessionDoc.reveals(doc).set(participantId ?? EVERYONE, revealId);
}

// ---- workspace files

/** Every file's code: taskId → text. */
export function readFiles(doc: Y.Doc): Record<string, string> {
  return Object.fromEntries(
    [...workspaceFiles(doc).entries()].map(([taskId, text]) => [taskId, text.toString()]),
  );
}

/** Writes files into a workspace doc (its starters on join; a copy when a pair ends). */
export function seedFiles(doc: Y.Doc, files: Iterable<readonly [string, string]>): void {
  const map = workspaceFiles(doc);
  for (const [taskId, text] of files) map.set(taskId, new Y.Text(text));
}
