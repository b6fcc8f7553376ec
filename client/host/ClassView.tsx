/**
 * The class view of the current task: everyone's latest curve for one metric overlaid over training
 * steps (uPlot, the hovered curve's name shown; a log scale, off with its reason when a value is ≤ 0), runs flagged for NaN, divergence or a plateau, and runs grouped by
 * their first failure with a "Broadcast a fix" that prefills the composer. Names and messages are
 * text nodes (uPlot's legend sets textContent too).
 */
import { useMemo, useState } from "preact/hooks";
import type { PublicTask } from "../api.js";
import { CurveChart } from "../run/CurveChart.js";
import "./class-view.css";
import {
  classCurves,
  classRuns,
  describeFlag,
  fixDraft,
  flaggedRuns,
  groupRuns,
  recordLatest,
  type LatestRuns,
  metricNames,
  suggestLogScale,
} from "./class-view.js";
import { useRunStream } from "./use-run-stream.js";
import { useHostSession } from "./host-session.js";

export interface ClassViewProps {
  taskId: string | null;
  tasks: PublicTask[];
  /** workspaceId → the unit's name ("Ada", a pair's "Ada & Bob"; the dashboard's rows). */
  names: ReadonlyMap<string, string>;
  /** Prefills the broadcast composer with a fix for a group's mistake. */
  onDraft(markdown: string): void;
}

export function ClassView({ taskId, tasks, names, onDraft }: ClassViewProps) {
  const { sessionId, hostKey } = useHostSession();
  const [latest, setLatest] = useState<LatestRuns>(() => new Map());
  useRunStream(sessionId, hostKey, (batch) => setLatest((l) => batch.reduce(recordLatest, l)));
  const task = tasks.find((t) => t.id === taskId);
  const runs = useMemo(() => (taskId ? classRuns(latest, taskId, names) : []), [latest, taskId, names]);
  const metrics = useMemo(() => metricNames(runs), [runs]);
  const [chosen, setChosen] = useState("loss");
  const metric = metrics.includes(chosen) ? chosen : (metrics[0] ?? chosen);
  const curves = useMemo(() => classCurves(runs, metric), [runs, metric]);
  const flags = useMemo(() => flaggedRuns(runs, metric), [runs, metric]);
  const groups = useMemo(() => groupRuns(runs), [runs]);
  const [hovered, setHovered] = useState<string | null>(null);
  const [logChoice, setLogChoice] = useState<boolean | null>(null);
  const logPossible = curves.every((c) => c.values.every((v) => v > 0));
  const logScale = logPossible && (logChoice ?? suggestLogScale(curves));

  return (
    <section class="class-view" aria-label="Class view">
      <div class="class-view-head">
        <h2>Class view{task ? `: ${task.title}` : ""}</h2>
        {metrics.length > 0 && (
          <label class="inline">
            Metric
            <select value={metric} onChange={(e) => setChosen(e.currentTarget.value)}>
              {metrics.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {!task && <p class="muted">Choose a current task to see the class's runs on it.</p>}
      {task && runs.length === 0 && <p class="muted">No runs on this task yet.</p>}
      {curves.length > 0 && (
        <>
          <label class="inline">
            <input
              type="checkbox"
              checked={logScale}
              disabled={!logPossible}
              aria-describedby={logPossible ? undefined : "log-scale-why"}
              onChange={(e) => setLogChoice(e.currentTarget.checked)}
            />
            Log scale
          </label>
          {!logPossible && (
            <span id="log-scale-why" class="muted log-scale-why">
              off: a log scale needs every value above 0, and {metric} has values ≤ 0
            </span>
          )}
          <CurveChart curves={curves} metric={metric} logScale={logScale} onHover={setHovered} />
          <p class="hovered-curve" aria-live="polite">
            {hovered ? (
              <strong>{hovered}</strong>
            ) : (
              <span class="muted">Hover a curve to see whose it is.</span>
            )}
          </p>
        </>
      )}
      {flags.length > 0 && (
        <>
          <h3>Flagged ({flags.length})</h3>
          <ul class="run-flags">
            {flags.map((f) => (
              <li key={f.workspaceId} data-flag={f.flag.kind}>
                <strong class="name">{f.name}</strong>: {describeFlag(f.flag)}
              </li>
            ))}
          </ul>
        </>
      )}
      {groups.length > 0 && (
        <>
          <h3>Runs by first failure</h3>
          <ol class="run-groups">
            {groups.map((g) => (
              <li key={g.key} data-group={g.kind} class={g.kind === "passing" ? "pass" : "fail"}>
                <span class="group-count" aria-label="runs">
                  {g.members.length}
                </span>{" "}
                <span class="group-label">{g.label}</span>
                {g.message && <div class="group-message muted">{g.message}</div>}
                <div class="group-names">{g.members.map((m) => m.name).join(", ")}</div>
                {g.kind !== "passing" && task && (
                  <button type="button" onClick={() => onDraft(fixDraft(g, task.title))}>
                    Broadcast a fix
                  </button>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
