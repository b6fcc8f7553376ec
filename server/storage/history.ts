/**
 * Workspace history as stored: each version of a file is kept as a line diff against the version
 * before it (fast-diff over the files' lines), so a version that changed a few lines costs those
 * lines, wherever they are; every {@link KEYFRAME_EVERY}th version of a file (its first one
 * included) is a keyframe, its whole text compressed, so any version is rebuilt from its nearest
 * keyframe with fewer than {@link KEYFRAME_EVERY} deltas, and the next version's delta is made
 * from as few. Both drivers store the same rows and rebuild texts with {@link textOfChain} and
 * {@link rebuild}.
 *
 * Rows written before keyframes existed (schema 3 on SQLite, 7 on PostgreSQL) have none: a file's
 * first row is then a delta from "", and its chain runs from there until its first keyframe.
 */
import { brotliCompressSync, brotliDecompressSync, constants } from "node:zlib";
import diff from "fast-diff";
import { storableText } from "../../contract/text.js";
import type { NewSnapshot, SnapshotInfo, SnapshotRecord } from "./types.js";
import type { DocHistoryRow } from "./tables.js";

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
 * Versions of a file per keyframe: a version is rebuilt from at most this many rows (a keyframe
 * and the deltas after it; about a millisecond for a 300-line file). A keyframe costs about a
 * third of its text (compressed); a typical session keeps two versions a minute, so this is one
 * keyframe an hour, which keeps its history within 3× its final text per hour with some margin
 * (docs/benchmarks.md "History", "Storage": 2.5–2.7× here, 2.7–2.8× with one every 64).
 */
export const KEYFRAME_EVERY = 128;

/**
 * The brotli window for `bytes` of input: the smallest that holds it (2^10 to 2^24 bytes). At
 * quality 9 the encoder sizes its tables by the window: with the default (4 MB) one, a 3 KB text
 * took 3.5–4.5 ms to compress where it takes 0.2–0.4 ms with its own, for the same output size;
 * CPU of the storage (with SQLite, the event loop's own thread since branch sqlmain; before, a
 * storage thread sharing a single-core server's core with it; docs/benchmarks.md, "The evening's
 * partner tail").
 */
export const keyframeWindow = (bytes: number): number =>
  Math.min(
    constants.BROTLI_MAX_WINDOW_BITS,
    // A window of 2^n bytes holds 2^n - 16 of them.
    Math.max(constants.BROTLI_MIN_WINDOW_BITS, Math.ceil(Math.log2(bytes + 16))),
  );

/** A keyframe's stored form: the text as UTF-8, brotli-compressed. */
export function compressText(text: string): Buffer {
  const bytes = Buffer.from(text, "utf8");
  return brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: 9,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      [constants.BROTLI_PARAM_LGWIN]: keyframeWindow(bytes.length),
    },
  });
}

/** The text a keyframe keeps. */
export const decompressText = (stored: Uint8Array): string => brotliDecompressSync(stored).toString("utf8");

/** What is stored of a version's text: a keyframe (`delta` is "") or a delta (`keyframe` is null). */
export interface ChainRow {
  id: number;
  /** The {@link TextDelta} from the file's previous version as JSON; "" on a keyframe. */
  delta: string;
  /** The whole text, {@link compressText}ed, on a keyframe; null on a delta. */
  keyframe: Uint8Array | null;
}

/** The text of `row`'s version, given the text of the version before it in its file. */
const textAfter = (before: string, row: ChainRow): string =>
  row.keyframe ? decompressText(row.keyframe) : applyDelta(before, JSON.parse(row.delta) as TextDelta);

/**
 * The text of the last of `rows`: one file's rows, oldest first, from a keyframe (or, before any,
 * the file's first row) to the version wanted.
 */
export const textOfChain = (rows: readonly ChainRow[]): string => rows.reduce(textAfter, "");

/**
 * The stored columns of a version without its text, from `doc_history h` joined with
 * `history_files f` (the workspace file a row belongs to, stored once rather than on every row):
 * what a listing reads.
 */
export const SNAPSHOT_COLUMNS = "h.id, f.session_id, f.workspace_id, f.file, h.at, h.run_id, h.length";

/** {@link SNAPSHOT_COLUMNS} and the text's stored form. */
export const HISTORY_COLUMNS = `${SNAPSHOT_COLUMNS}, h.delta, h.keyframe`;

/** A stored version without its text, as both drivers read it (PostgreSQL's BIGINTs converted). */
export interface SnapshotRow {
  id: number;
  session_id: string;
  workspace_id: string;
  file: string;
  at: number;
  run_id: number | null;
  length: number;
}

/** A stored history row: {@link HISTORY_COLUMNS}. */
export type HistoryRow = SnapshotRow & ChainRow;

/** A row as a version without its text. */
export const toSnapshotInfo = (r: SnapshotRow): SnapshotInfo => ({
  id: r.id,
  sessionId: r.session_id,
  workspaceId: r.workspace_id,
  file: r.file,
  at: r.at,
  runId: r.run_id,
  length: r.length,
});

/** The version `snapshot` became, stored as row `id`. */
export const snapshotInfo = (snapshot: NewSnapshot, id: number, length: number): SnapshotInfo => ({
  id,
  sessionId: snapshot.sessionId,
  workspaceId: snapshot.workspaceId,
  file: snapshot.file,
  at: snapshot.at,
  runId: snapshot.runId,
  length,
});

/** Rows of one workspace (any files, oldest first) as versions with their texts. */
export function rebuild(rows: readonly HistoryRow[]): SnapshotRecord[] {
  const latest = new Map<string, string>();
  return rows.map((r) => {
    const text = textAfter(latest.get(r.file) ?? "", r);
    latest.set(r.file, text);
    return { ...toSnapshotInfo(r), text };
  });
}

/** What a new version of a file is stored after: the file's latest version. */
export interface FileHead {
  /** The latest row's id. */
  id: number;
  text: string;
  /** Rows after the file's latest keyframe (or, before any, after its first row). */
  sinceKeyframe: number;
}

/** The head a file's chain ends in: `rows` as {@link textOfChain} takes them, the latest last. */
export function headOfChain(rows: readonly ChainRow[]): FileHead | null {
  const last = rows.at(-1);
  return last ? { id: last.id, text: textOfChain(rows), sinceKeyframe: rows.length - 1 } : null;
}

/** The columns of a new version's row. */
export interface NewHistoryRow extends Omit<ChainRow, "id"> {
  at: number;
  run_id: number | null;
  length: number;
}

/** `row` of file `fileId` as the `doc_history` record its table declaration inserts (tables.ts). */
export const docHistoryRecord = (fileId: number, row: NewHistoryRow): Omit<DocHistoryRow, "id"> => ({
  fileId,
  at: row.at,
  runId: row.run_id,
  delta: row.delta,
  length: row.length,
  keyframe: row.keyframe,
});

/**
 * The row to store for `snapshot` after the file's `head` (null: the file has no version yet), and
 * the file's head once it is stored as `id`; null when the text is unchanged and no run is linked
 * (nothing worth a row). The text is made storable first, so what is stored is what
 * {@link textOfChain} gives back. The first version and every {@link KEYFRAME_EVERY}th after a
 * keyframe is a keyframe.
 */
export function nextRow(
  head: FileHead | null,
  snapshot: NewSnapshot,
): { row: NewHistoryRow; headAt: (id: number) => FileHead } | null {
  const text = storableText(snapshot.text);
  const latest = head?.text ?? "";
  if (text === latest && snapshot.runId === null) return null;
  const keyframe = head === null || head.sinceKeyframe >= KEYFRAME_EVERY - 1;
  return {
    row: {
      at: snapshot.at,
      run_id: snapshot.runId,
      length: text.length,
      delta: keyframe ? "" : JSON.stringify(textDelta(latest, text)),
      keyframe: keyframe ? compressText(text) : null,
    },
    headAt: (id) => ({ id, text, sinceKeyframe: keyframe ? 0 : head.sinceKeyframe + 1 }),
  };
}
