/**
 * The workspaces the host can show to everyone (host/ShowWorkspace.tsx): one entry per workspace,
 * so a pair sharing one is one entry named by both members ("Ada & Bob"). Pure, tested in Node.
 */
import type { RosterEntry } from "../../contract/session-doc.js";

export interface ShowableWorkspace {
  workspaceId: string;
  /** The members' names, sorted, joined with " & ". */
  label: string;
}

export function showableWorkspaces(roster: ReadonlyMap<string, RosterEntry>): ShowableWorkspace[] {
  const members = new Map<string, string[]>();
  for (const entry of roster.values()) {
    if (!entry.workspaceId) continue;
    const names = members.get(entry.workspaceId) ?? [];
    names.push(entry.name);
    members.set(entry.workspaceId, names);
  }
  return [...members]
    .map(([workspaceId, names]) => ({
      workspaceId,
      label: names.sort((a, b) => a.localeCompare(b)).join(" & "),
    }))
    .sort((a, b) => a.label.localeCompare(b.label) || a.workspaceId.localeCompare(b.workspaceId));
}
