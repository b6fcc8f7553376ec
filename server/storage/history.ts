/**
 * Workspace history as stored: each version of a file is kept as a line diff against the version
 * before it (fast-diff over the files' lines), so a version that changed a few lines costs those
 * lines, wherever they are. Both drivers store the same rows and rebuild texts with {@link rebuild};
 * the first version of a file is a diff from "".
 */
import diff from "fast-diff";
import { storableText } from "../../contract/text.js";
import type { NewSnapshot, SnapshotInfo, SnapshotRecord } from "./types.js";

/**
 * How one version differs from the one before, in order: a positive number keeps that many UTF-16
 * code units, a negative one drops that many, a string is inserted. Never splits a line.
 */
export type TextDelta = (number | string)[];

/** Code units for line numbers, skipping the surrogate range (fast-diff repairs split pairs). */
const SURROGATES = 0xe000 - 0xd800;
const MAX_LINES = 0x10000 - SURROGATES;
const lineChar = (i: number) => String.fromCharCode(i < 0xd800 ? i : i + SURROGATES);

/** `text` split after each newline (the last piece may have none). */
const linesOf = (text: string): string[] => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

/** Most changed lines diffed line by line; a larger change is stored as one replacement. */
const DIFF_LINES = 4000;

/** How many lines the two texts share at their start and, after that, at their end. */
function commonLines(a: readonly string[], b: readonly string[]): { prefix: number; suffix: number } {
  const max = Math.min(a.length, b.length);
  let prefix = 0;
  while (prefix < max && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  return { prefix, suffix };
}

const joinedLength = (lines: readonly string[]) => lines.reduce((n, l) => n + l.length, 0);

/** Keep the shared first and last lines, replace everything between them. */
function replaceMiddle(
  a: readonly string[],
  b: readonly string[],
  prefix: number,
  suffix: number,
): TextDelta {
  const ops: TextDelta = [
    joinedLength(a.slice(0, prefix)),
    -joinedLength(a.slice(prefix, a.length - suffix)),
    b.slice(prefix, b.length - suffix).join(""),
    joinedLength(a.slice(a.length - suffix)),
  ];
  return ops.filter((op) => op !== 0 && op !== "");
}

/**
 * The delta from `before` to `after`: the two texts' lines as one character each, diffed, and
 * mapped back. A change of more than {@link DIFF_LINES} lines, or with more distinct lines than
 * there are characters, is one replacement of the changed middle.
 */
export function textDelta(before: string, after: string): TextDelta {
  if (before === after) return before === "" ? [] : [before.length];
  const ids = new Map<string, string>();
  const encode = (lines: string[]) =>
    lines
      .map((line) => {
        let c = ids.get(line);
        if (c === undefined) {
          c = lineChar(ids.size);
          ids.set(line, c);
        }
        return c;
      })
      .join("");
  const beforeLines = linesOf(before);
  const afterLines = linesOf(after);
  // fast-diff's cost grows with the product of the changed spans: past a bound (a hostile rewrite of
  // a huge file), the changed middle is replaced as one, in linear time.
  const { prefix, suffix } = commonLines(beforeLines, afterLines);
  if (beforeLines.length + afterLines.length - 2 * (prefix + suffix) > DIFF_LINES) {
    return replaceMiddle(beforeLines, afterLines, prefix, suffix);
  }
  const a = encode(beforeLines);
  const b = encode(afterLines);
  if (ids.size > MAX_LINES) return replaceMiddle(beforeLines, afterLines, prefix, suffix);
  const delta: TextDelta = [];
  let ai = 0;
  let bi = 0;
  const push = (op: number | string) => {
    const last = delta.at(-1);
    if (typeof op === "string" && typeof last === "string") delta[delta.length - 1] = last + op;
    else if (typeof op === "number" && typeof last === "number" && Math.sign(op) === Math.sign(last))
      delta[delta.length - 1] = last + op;
    else delta.push(op);
  };
  for (const [kind, chars] of diff(a, b)) {
    const n = chars.length;
    if (kind === diff.EQUAL) {
      push(beforeLines.slice(ai, ai + n).join("").length);
      ai += n;
      bi += n;
    } else if (kind === diff.DELETE) {
      push(-beforeLines.slice(ai, ai + n).join("").length);
      ai += n;
    } else {
      push(afterLines.slice(bi, bi + n).join(""));
      bi += n;
    }
  }
  return delta;
}

/** `before` with `delta` applied. */
export function applyDelta(before: string, delta: TextDelta): string {
  let out = "";
  let at = 0;
  for (const op of delta) {
    if (typeof op === "string") out += op;
    else if (op > 0) {
      out += before.slice(at, at + op);
      at += op;
    } else at -= op;
  }
  return out + before.slice(at);
}

/**
 * What to store for a new version of a file whose latest stored text is `latest`: the delta, or
 * null when the text is unchanged and no run is linked (nothing worth a row). The text is made
 * storable first, so what is stored is what {@link rebuild} gives back.
 */
export function deltaToStore(latest: string, text: string, runId: number | null): TextDelta | null {
  const storable = storableText(text);
  if (storable === latest && runId === null) return null;
  return textDelta(latest, storable);
}

/**
 * The columns of a {@link HistoryRow}, from `doc_history h` joined with `history_files f` (the
 * workspace file a row belongs to, stored once rather than on every row).
 */
export const HISTORY_COLUMNS =
  "h.id, f.session_id, f.workspace_id, f.file, h.at, h.run_id, h.delta, h.length";

/** A stored history row, as both drivers read it (PostgreSQL's BIGINTs converted to numbers). */
export interface HistoryRow {
  id: number;
  session_id: string;
  workspace_id: string;
  file: string;
  at: number;
  run_id: number | null;
  /** The {@link TextDelta} as JSON. */
  delta: string;
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
    const text = applyDelta(latest.get(r.file) ?? "", JSON.parse(r.delta) as TextDelta);
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
    delta: JSON.stringify(delta),
    length: applyDelta(latest, delta).length,
  };
}
