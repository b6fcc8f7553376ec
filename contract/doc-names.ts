/**
 * Sync doc names (docs/api.md, "Sync"): `session/<sid>` (the room) and `workspace/<sid>/<wid>` (an
 * attendee's or a pair's code). The only place that spells them.
 */
const idPattern = "[A-Za-z0-9_-]{1,64}";
const sessionDoc = new RegExp(`^session/(${idPattern})$`);
const workspaceDoc = new RegExp(`^workspace/(${idPattern})/(${idPattern})$`);

export type DocName =
  { kind: "session"; sessionId: string } | { kind: "workspace"; sessionId: string; workspaceId: string };

export function parseDocName(name: string): DocName | null {
  const s = sessionDoc.exec(name);
  if (s) return { kind: "session", sessionId: s[1]! };
  const w = workspaceDoc.exec(name);
  if (w) return { kind: "workspace", sessionId: w[1]!, workspaceId: w[2]! };
  return null;
}

export const sessionDocName = (sessionId: string): string => `session/${sessionId}`;
export const workspaceDocName = (sessionId: string, workspaceId: string): string =>
  `workspace/${sessionId}/${workspaceId}`;
