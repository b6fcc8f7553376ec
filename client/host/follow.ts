/**
 * Which awareness state on a workspace doc belongs to the participant the host follows, and where
 * that participant is: the task they have open and their cursor. Pure, so it is tested in Node.
 */

/** A y-codemirror.next cursor: relative positions (Y.RelativePosition JSON) of anchor and head. */
export interface RemoteCursor {
  anchor: unknown;
  head: unknown;
}

export interface FollowedPresence {
  clientId: number;
  taskId: string | null;
  cursor: RemoteCursor | null;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The followed participant's presence: the state announcing their `participantId`, or (from a room
 * that does not announce it) the one with their name. With several (two tabs), the one with a cursor.
 */
export function findFollowed(
  states: ReadonlyMap<number, Record<string, unknown>>,
  participantId: string,
  name: string,
): FollowedPresence | null {
  const candidates: FollowedPresence[] = [];
  for (const [clientId, state] of states) {
    const user = isObject(state.user) ? state.user : {};
    const mine =
      state.participantId === participantId ||
      (typeof state.participantId !== "string" && user.name === name);
    if (!mine) continue;
    const c = state.cursor;
    const cursor = isObject(c) && "head" in c && "anchor" in c ? { anchor: c.anchor, head: c.head } : null;
    candidates.push({ clientId, taskId: typeof state.taskId === "string" ? state.taskId : null, cursor });
  }
  return candidates.find((c) => c.cursor !== null) ?? candidates[0] ?? null;
}
