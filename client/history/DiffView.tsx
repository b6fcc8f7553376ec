/**
 * A line diff shown as text (never as HTML): removed lines marked "−", added ones "+", unchanged
 * stretches beyond three lines of context folded into "… N unchanged lines".
 */
import { useMemo } from "preact/hooks";
import { diffCounts, diffHunks, lineDiff } from "./line-diff.js";

const SIGN = { same: " ", removed: "−", added: "+" } as const;

export function DiffView({ before, after, caption }: { before: string; after: string; caption: string }) {
  const diff = useMemo(() => lineDiff(before, after), [before, after]);
  const rows = useMemo(() => diffHunks(diff), [diff]);
  const { removed, added } = diffCounts(diff);
  return (
    <figure class="timeline-diff" data-removed={removed} data-added={added}>
      <figcaption>
        {caption}:{" "}
        {removed + added === 0
          ? "no difference"
          : `${added} line${added === 1 ? "" : "s"} added, ${removed} removed`}
      </figcaption>
      {removed + added > 0 && (
        <pre class="diff-lines" tabIndex={0}>
          {rows.map((row, i) =>
            row.kind === "skip" ? (
              <span key={i} class="diff-line" data-kind="skip">
                … {row.count} unchanged line{row.count === 1 ? "" : "s"}
              </span>
            ) : (
              <span key={i} class="diff-line" data-kind={row.kind}>
                <span class="diff-sign" aria-hidden="true">
                  {SIGN[row.kind]}
                </span>
                {row.kind !== "same" && <span class="sr-only">{row.kind}: </span>}
                {row.text}
              </span>
            ),
          )}
        </pre>
      )}
    </figure>
  );
}
