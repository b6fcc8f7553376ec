/**
 * The summary page's links to a unit's history timeline: fragment parameters beside the share
 * link's token (`#token=…&history=<workspace id>&task=<task id>`), so a link to a timeline is a
 * share link too and nothing of it reaches the server's logs.
 */

export interface HistoryTarget {
  workspaceId: string;
  taskId: string;
}

/** The fragment opening the timeline of `target` (or, with null, closing it), keeping the rest. */
export function historyFragment(hash: string, target: HistoryTarget | null): string {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  params.delete("history");
  params.delete("task");
  if (target) {
    params.set("history", target.workspaceId);
    params.set("task", target.taskId);
  }
  const fragment = params.toString();
  return fragment === "" ? "#" : `#${fragment}`;
}

/** The timeline a fragment opens, or null. */
export function historyTarget(hash: string): HistoryTarget | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const workspaceId = params.get("history");
  const taskId = params.get("task");
  return workspaceId && taskId ? { workspaceId, taskId } : null;
}
