/**
 * A line diff for the history timeline: which lines of a kept version are gone from the current
 * code, which are new, and which stayed, folded into hunks with a few lines of context. Pure, so it
 * is tested in Node; the view renders every line as text.
 */

export type DiffKind = "same" | "removed" | "added";

/** One line of the diff: `removed` is only in the old text, `added` only in the new one. */
export interface DiffLine {
  kind: DiffKind;
  text: string;
}

/** What a hunk view shows: diff lines, and unchanged stretches folded into a count. */
export type DiffRow = DiffLine | { kind: "skip"; count: number };

/** Above this many cells (old × new changed lines) the changed middle is one replacement. */
export const MAX_DIFF_CELLS = 4_000_000;

const splitLines = (text: string): string[] => (text === "" ? [] : text.split("\n"));

/**
 * The line diff from `before` to `after`: common head and tail kept as they are, the middle by a
 * longest common subsequence (or, past {@link MAX_DIFF_CELLS}, removed and added whole).
 */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  const same = (text: string): DiffLine => ({ kind: "same", text });
  const middle = middleDiff(a.slice(head, a.length - tail), b.slice(head, b.length - tail));
  return [...a.slice(0, head).map(same), ...middle, ...a.slice(a.length - tail).map(same)];
}

/** The diff of two line lists with nothing in common at either end. */
function middleDiff(a: string[], b: string[]): DiffLine[] {
  const removed = (text: string): DiffLine => ({ kind: "removed", text });
  const added = (text: string): DiffLine => ({ kind: "added", text });
  if (a.length === 0 || b.length === 0 || a.length * b.length > MAX_DIFF_CELLS) {
    return [...a.map(removed), ...b.map(added)];
  }
  // lcs[i * width + j]: the longest common subsequence of a[i..] and b[j..].
  const width = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * width + j] =
        a[i] === b[j]
          ? lcs[(i + 1) * width + j + 1]! + 1
          : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ kind: "same", text: a[i]! });
      i++;
      j++;
    } else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) out.push(removed(a[i++]!));
    else out.push(added(b[j++]!));
  }
  while (i < a.length) out.push(removed(a[i++]!));
  while (j < b.length) out.push(added(b[j++]!));
  return out;
}

/** How many lines a diff removes and adds. */
export function diffCounts(diff: readonly DiffLine[]): { removed: number; added: number } {
  let removed = 0;
  let added = 0;
  for (const line of diff) {
    if (line.kind === "removed") removed++;
    else if (line.kind === "added") added++;
  }
  return { removed, added };
}

/**
 * The diff as hunks: every changed line with up to `context` unchanged lines either side; longer
 * unchanged stretches become one `skip` row. An unchanged text is all one skip.
 */
export function diffHunks(diff: readonly DiffLine[], context = 3): DiffRow[] {
  const near = new Uint8Array(diff.length);
  diff.forEach((line, at) => {
    if (line.kind === "same") return;
    for (let k = Math.max(0, at - context); k <= Math.min(diff.length - 1, at + context); k++) near[k] = 1;
  });
  const rows: DiffRow[] = [];
  let skipped = 0;
  diff.forEach((line, at) => {
    if (near[at]) {
      if (skipped > 0) rows.push({ kind: "skip", count: skipped });
      skipped = 0;
      rows.push(line);
    } else skipped++;
  });
  if (skipped > 0) rows.push({ kind: "skip", count: skipped });
  return rows;
}
