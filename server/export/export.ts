/**
 * Export (docs/api.md): a session's progress as CSV and every workspace's code as a zip.
 *
 * CSV: one row per unit (an attendee, or a pair: contract/units.ts) and task. Zip: one folder per
 * workspace, named after the people in it, holding one `<taskId>.js` per task and `history.jsonl`
 * (each kept version: time, run id, file, text), plus `progress.csv` at the top.
 */
import { strToU8, zipSync, type Zippable } from "fflate";
import type { SessionProgress } from "../../contract/progress.js";
import { unitName } from "../../contract/units.js";
import { csvDocument, type CsvValue } from "./csv.js";
import type { HistoryLine } from "../../contract/history.js";

export type Progress = SessionProgress;

export interface WorkspaceCode {
  workspaceId: string;
  /** Names of the participants editing it (one, or the members of a pair). */
  names: string[];
  /** taskId → code. */
  files: Record<string, string>;
  /** The workspace's kept versions, oldest first: written as `history.jsonl`, one JSON object a line. */
  history?: readonly HistoryLine[];
}

export const CSV_HEADER = [
  "participant",
  "task",
  "latest run status",
  "checks passed",
  "checks total",
  "verified",
  "last run at",
  "runs",
] as const;

/**
 * The progress view as CSV rows, one per unit and task (a pair's members share a workspace, so its
 * progress, and their one row is named "Ada & Bob"): status "none" and empty cells where there was
 * no run or verification.
 */
export function progressCsv(progress: Progress): string {
  const rows: CsvValue[][] = [];
  const units = new Map<string, (typeof progress.participants)[number][]>();
  for (const p of progress.participants) units.set(p.workspaceId, [...(units.get(p.workspaceId) ?? []), p]);
  for (const members of units.values()) {
    const p = members[0]!;
    for (const t of progress.tasks) {
      const cell = p.tasks[t.id];
      const run = cell?.latestRun ?? null;
      rows.push([
        unitName(members.map((m) => m.name)),
        t.id,
        run ? run.status : "none",
        run ? cell!.checksPassed : null,
        run ? cell!.checksTotal : null,
        cell?.verified ? cell.verified.verified : null,
        run ? new Date(run.at).toISOString() : null,
        cell?.runs ?? 0,
      ]);
    }
  }
  return csvDocument(CSV_HEADER, rows);
}

/**
 * A name usable as one path segment in any unzip tool: letters (any script), digits, space, dot,
 * dash and underscore kept, everything else (slashes, "..", control characters) replaced.
 */
export function pathSegment(name: string): string {
  const cleaned = name
    .normalize("NFC")
    .replace(/[^\p{L}\p{N} .&()_-]/gu, "_")
    .replace(/^[.\s]+|[.\s]+$/g, "")
    .slice(0, 80);
  return cleaned === "" ? "_" : cleaned;
}

/** The zip archive: `progress.csv` and `<names>/<taskId>.js` per workspace; folder names made unique. */
export function workspaceZip(
  workspaces: readonly WorkspaceCode[],
  csv: string,
  /** More top-level files (e.g. summary.json), name → text. */
  extra: Record<string, string> = {},
): Uint8Array {
  const tree: Zippable = { "progress.csv": strToU8(csv) };
  for (const [name, text] of Object.entries(extra)) tree[name] = strToU8(text);
  const taken = new Set<string>(["progress.csv", ...Object.keys(extra).map((n) => n.toLowerCase())]);
  for (const w of workspaces) {
    const base = pathSegment(w.names.length > 0 ? unitName(w.names) : w.workspaceId);
    let folder = base;
    for (let n = 2; taken.has(folder.toLowerCase()); n++) folder = `${base} (${n})`;
    taken.add(folder.toLowerCase());
    const files: Zippable = {};
    for (const [taskId, code] of Object.entries(w.files)) files[`${pathSegment(taskId)}.js`] = strToU8(code);
    if (w.history) {
      files["history.jsonl"] = strToU8(w.history.map((line) => JSON.stringify(line) + "\n").join(""));
    }
    tree[folder] = files;
  }
  return zipSync(tree, { level: 6 });
}
