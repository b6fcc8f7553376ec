/** The run output: streamed console (text only), plots as they arrive, and the checks panel. */
import { useEffect, useRef } from "preact/hooks";
import type { PlotSpec } from "../../sandbox/events.js";
import { plotNonFinite } from "../../sandbox/non-finite.js";
import { drawPlot } from "../run/plots.js";
import { errorInAttendeeCode, errorSummary, firstFailure, type RunOutcome } from "../run/report.js";

function Plot({ spec }: { spec: PlotSpec }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    return drawPlot(ref.current, spec);
  }, [spec]);
  const nonFinite = plotNonFinite(spec);
  return (
    <figure class="plot-frame" data-non-finite={nonFinite.count}>
      <div class="plot" ref={ref} data-kind={spec.kind} />
      {nonFinite.caption && <figcaption class="non-finite">{nonFinite.caption}</figcaption>}
    </figure>
  );
}

export function Console({ outcome }: { outcome: RunOutcome | null }) {
  const ref = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [outcome?.console.length]);
  return (
    <pre class="console" ref={ref} role="log" aria-label="Console output" tabIndex={0}>
      {outcome && outcome.droppedLines > 0 && (
        <span class="console-note">({outcome.droppedLines} earlier lines not shown)\n</span>
      )}
      {outcome?.console.map((line, i) => (
        <span class={`console-line console-${line.level}`} key={i}>
          {line.text}
          {"\n"}
        </span>
      ))}
    </pre>
  );
}

export function Checks({ outcome }: { outcome: RunOutcome | null }) {
  const checks = outcome?.checks.filter((c) => !c.hidden) ?? [];
  const failure = firstFailure(checks);
  const passed = checks.filter((c) => c.passed).length;
  return (
    <section class="checks" aria-label="Checks">
      <h3>
        Checks{" "}
        {checks.length > 0 && (
          <span class="checks-count">
            {passed}/{checks.length} passed
          </span>
        )}
      </h3>
      {checks.length === 0 ? (
        <p class="muted">
          {!outcome
            ? "Run your code to see the checks."
            : outcome.running
              ? "Running…"
              : outcome.error
                ? "No checks ran: the run stopped with an error."
                : "This task has no visible checks."}
        </p>
      ) : (
        <ul
          class="check-list"
          tabIndex={0}
          aria-label={`Check results: ${passed} of ${checks.length} passed`}
        >
          {checks.map((c, i) => (
            <li key={i} class={c.passed ? "check-pass" : "check-fail"} data-passed={String(c.passed)}>
              <span aria-hidden="true">{c.passed ? "✓" : "✗"}</span>{" "}
              <span class="sr-only">{c.passed ? "passed:" : "failed:"}</span> {c.name}
              {!c.passed && c.message && <div class="check-message">{c.message}</div>}
            </li>
          ))}
        </ul>
      )}
      {failure?.hint && (
        <p class="hint">
          <strong>Hint:</strong> {failure.hint}
        </p>
      )}
    </section>
  );
}

export function RunError({
  outcome,
  onGoToLine,
}: {
  outcome: RunOutcome | null;
  onGoToLine(line: number): void;
}) {
  const error = outcome?.error;
  if (!error) return null;
  return (
    <div class="run-error" role="alert">
      <span>{errorSummary(error)}</span>
      {errorInAttendeeCode(error) && error.line !== undefined && (
        <button type="button" class="link" onClick={() => onGoToLine(error.line!)}>
          Go to line {error.line}
        </button>
      )}
    </div>
  );
}

export function Plots({ outcome }: { outcome: RunOutcome | null }) {
  if (!outcome || outcome.plots.length === 0) return null;
  return (
    <section class="plots" aria-label="Plots">
      {outcome.plots.map((p) => (
        <Plot key={p.id} spec={p} />
      ))}
    </section>
  );
}
