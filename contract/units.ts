/**
 * Who works together: a unit is one workspace and the participants editing it (one attendee, or
 * the two members of a pair). The dashboard's rows, the progress CSV, the summary's lines and the
 * export's folders are per unit, so a pair reads as one everywhere (docs/api.md, "Pairing").
 */

/** A unit of people sharing one workspace, members in join order. */
export interface WorkspaceUnit<T> {
  workspaceId: string;
  members: T[];
}

/** Groups people by their current workspace; units ordered by their first member's join time. */
export function unitsOf<T extends { workspaceId: string; joinedAt: number }>(
  people: Iterable<T>,
): WorkspaceUnit<T>[] {
  const byWorkspace = new Map<string, T[]>();
  const sorted = [...people].sort((a, b) => a.joinedAt - b.joinedAt);
  for (const p of sorted) {
    const members = byWorkspace.get(p.workspaceId);
    if (members) members.push(p);
    else byWorkspace.set(p.workspaceId, [p]);
  }
  return [...byWorkspace].map(([workspaceId, members]) => ({ workspaceId, members }));
}

/** How a unit is named: "Ada", or "Ada & Bob". */
export const unitName = (names: readonly string[]): string => names.join(" & ");
