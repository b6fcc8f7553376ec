/**
 * Workspace history as stored: each version of a file is kept as a delta against the version
 * before it (the text between a common prefix and a common suffix, replaced), so a version that
 * changed a few lines costs those lines, not the whole file. Both drivers store the same delta
 * rows and rebuild texts with {@link replay}; the first version of a file is a delta from "".
 */
import { storableText } from "../../contract/text.js";
import type { NewSnapshot, SnapshotInfo, SnapshotRecord } from "./types.js";

/** How one version differs from the one before: keep `keep` code units, drop `cut`, insert `insert`. */
export interface TextDelta {
  keep: number;
  cut: number;
  insert: string;
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/**
 * The delta from `before` to `after`. Never splits a surrogate pair, so the inserted text is
 * always valid UTF-16 (PostgreSQL's TEXT refuses lone surrogates).
 */
export function textDelta(before: string, after: string): TextDelta {
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  if (prefix > 0 && isHighSurrogate(after.charCodeAt(prefix - 1))) prefix--;
  let suffix = 0;
  while (
    suffix < max - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  )
    suffix++;
  if (suffix > 0 && isLowSurrogate(after.charCodeAt(after.length - suffix))) suffix--;
  return {
    keep: prefix,
    cut: before.length - prefix - suffix,
    insert: after.slice(prefix, after.length - suffix),
  };
}

/** `before` with `delta` applied. */
export function applyDelta(before: string, delta: TextDelta): string {
  return before.slice(0, delta.keep) + delta.insert + before.slice(delta.keep + delta.cut);
}

/** The texts after each delta in turn, starting from "". */
export function replay(deltas: Iterable<TextDelta>): string[] {
  const texts: string[] = [];
  let text = "";
  for (const delta of deltas) {
    text = applyDelta(text, delta);
    texts.push(text);
  }
  return texts;
}

/**
 * What to store for a new version of a file whose latest stored text is `latest`: the delta, or
 * null when the text is unchanged and no run is linked (nothing worth a row). The text is made
 * storable first, so what is stored is what {@link replay} gives back.
 */
export function deltaToStore(latest: string, text: string, runId: number | null): TextDelta | null {
  const storable = storableText(text);
  if (storable === latest && runId === null) return null;
  return textDelta(latest, storable);
}

/** A stored history row, as both drivers read it (PostgreSQL's BIGINTs converted to numbers). */
export interface HistoryRow {
  id: number;
  session_id: string;
  workspace_id: string;
  file: string;
  at: number;
  run_id: number | null;
  keep: number;
  cut: number;
  insert_text: string;
  length: number;
}

/** A row as a version without its text. */
export const toSnapshotInfo = (r: HistoryRow): SnapshotInfo => ({
  id: r.id,
  sessionId: r.session_id,
  workspaceId: r.workspace_id,
  file: r.file,
  at: r.at,
  runId: r.run_id,
  length: r.length,
});

/** Rows of one workspace (any files, oldest first) as versions with their texts. */
export function rebuild(rows: readonly HistoryRow[]): SnapshotRecord[] {
  const latest = new Map<string, string>();
  return rows.map((r) => {
    const text = applyDelta(latest.get(r.file) ?? "", { keep: r.keep, cut: r.cut, insert: r.insert_text });
    latest.set(r.file, text);
    return { ...toSnapshotInfo(r), text };
  });
}

/** The columns of a new row for `snapshot` after `rows` (its file's rows, oldest first); null: store nothing. */
export function nextRow(rows: readonly HistoryRow[], snapshot: NewSnapshot): Omit<HistoryRow, "id"> | null {
  const latest = rebuild(rows).at(-1)?.text ?? "";
  const delta = deltaToStore(latest, snapshot.text, snapshot.runId);
  if (!delta) return null;
  return {
    session_id: snapshot.sessionId,
    workspace_id: snapshot.workspaceId,
    file: snapshot.file,
    at: snapshot.at,
    run_id: snapshot.runId,
    keep: delta.keep,
    cut: delta.cut,
    insert_text: delta.insert,
    length: applyDelta(latest, delta).length,
  };
}
