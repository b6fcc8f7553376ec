/**
 * The session doc (design.md §4) read defensively: the host writes it, but the client never trusts
 * a field's type, so a malformed value shows as a default instead of breaking the room.
 */
import type * as Y from "yjs";

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

export interface Broadcast {
  id: string;
  at: number;
  markdown: string;
  code?: string;
}

export const sessionDocName = (sessionId: string) => `session/${sessionId}`;
export const workspaceDocName = (sessionId: string, workspaceId: string) =>
  `workspace/${sessionId}/${workspaceId}`;

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

export function readBroadcasts(list: Y.Array<unknown>): Broadcast[] {
  const out: Broadcast[] = [];
  for (const item of list.toArray()) {
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

export function readRoster(
  roster: Y.Map<unknown>,
): Map<string, { name: string; workspaceId: string; joinedAt: number }> {
  const out = new Map<string, { name: string; workspaceId: string; joinedAt: number }>();
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

/** A pair as the session doc's `pairs` map holds it (keyed by the pair's workspace id). */
export interface Pair {
  workspaceId: string;
  members: [string, string];
  driver: string;
  swapEveryMinutes: number | null;
  swappedAt: number;
}

export function readPairs(pairs: Y.Map<unknown>): Map<string, Pair> {
  const out = new Map<string, Pair>();
  for (const [workspaceId, value] of pairs) {
    if (typeof value !== "object" || value === null) continue;
    const v = value as Record<string, unknown>;
    const members = v.members;
    if (!Array.isArray(members) || members.length !== 2) continue;
    if (typeof members[0] !== "string" || typeof members[1] !== "string") continue;
    const pair: [string, string] = [members[0], members[1]];
    const swap = v.swapEveryMinutes;
    out.set(workspaceId, {
      workspaceId,
      members: pair,
      driver: typeof v.driver === "string" && pair.includes(v.driver) ? v.driver : pair[0],
      swapEveryMinutes: typeof swap === "number" && Number.isFinite(swap) && swap > 0 ? swap : null,
      swappedAt: typeof v.swappedAt === "number" ? v.swappedAt : 0,
    });
  }
  return out;
}

/** The pair `participantId` works in, if any. */
export function pairOf(pairs: Map<string, Pair>, participantId: string): Pair | null {
  for (const pair of pairs.values()) if (pair.members.includes(participantId)) return pair;
  return null;
}

/** Whether a pair with a swap interval is due to swap roles at `now`. */
export function swapDue(pair: Pair, now: number): boolean {
  return pair.swapEveryMinutes !== null && now - pair.swappedAt >= pair.swapEveryMinutes * 60_000;
}

/** "4:05" for the time left until `endsAt`; "0:00" once it has passed. */
export function formatCountdown(endsAt: number, now: number): string {
  const total = Math.max(0, Math.ceil((endsAt - now) / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, "0")}`;
}

let counter = 0;
/** A broadcast id unique enough within one session doc. */
export function newBroadcastId(now = Date.now()): string {
  counter = (counter + 1) % 1e6;
  return `${now.toString(36)}-${counter.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
