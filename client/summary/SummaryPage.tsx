/**
 * The session summary page (`/summary/<sid>#token=<summary token>`): who completed and who is
 * verified on each task, the class-wide curves, and the broadcasts (markdown through the room's
 * sanitiser). A share link's token rides in the fragment, so it never reaches the server's logs; it
 * is sent as a bearer header. Without one, this browser's host key for the session is used.
 * With names shown, each line links to that unit's history timeline of the task
 * (summary/history-link.ts); an anonymised summary shows no histories (nor does the server).
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api } from "../api.js";
import { CodeSnippet, Markdown } from "../common/components.js";
import { hostKeyFor } from "../common/seat.js";
import { suggestLogScale } from "../host/class-view.js";
import { CurveChart } from "../run/CurveChart.js";
import { pointSteps } from "../../contract/run-report.js";
import type { SessionSummary, TaskSummary } from "../../contract/summary.js";
import { Timeline } from "../history/Timeline.js";
import { historySource } from "../history/source.js";
import { historyFragment, historyTarget, type HistoryTarget } from "./history-link.js";
import "./summary.css";

/** The credential the page reads with: a share link's token, or this browser's host key. */
interface Access {
  token: string;
  via: "session" | "summary";
}

/** The summary token in a share link's fragment (`#token=…`), or null. */
export function summaryTokenFromFragment(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("token");
  return token && token.length > 0 ? token : null;
}

const mark = (value: boolean | null) => (value === true ? "✓" : value === false ? "✗" : "—");

/** The hash of the current location, kept up to date. */
function useHash(): string {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return hash;
}

/** A unit's timeline of one task, opened from its line's link; scrolled into sight when opened. */
function HistoryOf({
  sessionId,
  access,
  target,
  name,
  hash,
}: {
  sessionId: string;
  access: Access;
  target: HistoryTarget;
  name: string;
  hash: string;
}) {
  const source = useMemo(
    () => historySource(sessionId, access.token, target.workspaceId, access.via),
    [sessionId, access, target.workspaceId],
  );
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.scrollIntoView({ block: "nearest" }), [target.workspaceId]);
  return (
    <div class="summary-history" ref={box}>
      <Timeline source={source} file={target.taskId} current={null} label={`History of ${name}'s code`} />
      <a href={historyFragment(hash, null)}>Close the history</a>
    </div>
  );
}

function TaskSection({
  task,
  sessionId,
  access,
  histories,
  hash,
}: {
  task: TaskSummary;
  sessionId: string;
  access: Access;
  /** Whether lines link to their histories (names shown). */
  histories: boolean;
  hash: string;
}) {
  const target = historyTarget(hash);
  const opened =
    histories && target?.taskId === task.id
      ? task.people.find((p) => p.workspaceId === target.workspaceId)
      : undefined;
  const metrics = Object.keys(task.curves).sort(
    (a, b) => Number(b === "loss") - Number(a === "loss") || a.localeCompare(b),
  );
  return (
    <section class="summary-task" data-task={task.id} aria-label={task.title}>
      <h2>{task.title}</h2>
      <p class="summary-counts">
        {task.counts.attempted} attempted · {task.counts.completed} completed · {task.counts.verified}{" "}
        verified
      </p>
      {task.people.length === 0 ? (
        <p class="muted">Nobody ran this task.</p>
      ) : (
        <table class="summary-people">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Runs</th>
              <th scope="col">Completed</th>
              <th scope="col">Verified</th>
              {histories && <th scope="col">History</th>}
            </tr>
          </thead>
          <tbody>
            {task.people.map((p, i) => (
              <tr key={i} data-completed={p.completed} data-verified={String(p.verified)}>
                <th scope="row">{p.name}</th>
                <td>{p.runs}</td>
                <td>{mark(p.completed)}</td>
                <td>{mark(p.verified)}</td>
                {histories && (
                  <td>
                    {p.workspaceId && (
                      <a
                        href={historyFragment(hash, { workspaceId: p.workspaceId, taskId: task.id })}
                        aria-label={`History of ${p.name}'s code`}
                      >
                        History
                      </a>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {opened && target && (
        <HistoryOf sessionId={sessionId} access={access} target={target} name={opened.name} hash={hash} />
      )}
      {metrics.map((metric) => (
        <figure key={metric} class="summary-curves" data-metric={metric}>
          <figcaption>
            {metric}, everyone's last run
            {task.curves[metric]!.some((c) => c.nonFinite) &&
              ` (went non-finite: ${task.curves[metric]!.filter((c) => c.nonFinite)
                .map((c) => `${c.name} at step ${c.nonFinite!.step}`)
                .join(", ")})`}
          </figcaption>
          <CurveChart
            curves={task.curves[metric]!.filter((c) => c.values.length > 0).map((c) => ({
              name: c.name,
              values: c.values,
              steps: pointSteps(c.values.length, c.steps),
            }))}
            metric={metric}
            logScale={suggestLogScale(task.curves[metric]!)}
          />
        </figure>
      ))}
    </section>
  );
}

export function SummaryPage({ sessionId }: { sessionId: string }) {
  const [summary, setSummary] = useState<SessionSummary | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [access, setAccess] = useState<Access | null>(null);
  const hash = useHash();
  useEffect(() => {
    const token = summaryTokenFromFragment(window.location.hash);
    const hostKey = token ? null : hostKeyFor(localStorage, sessionId);
    if (!token && !hostKey) {
      setProblem("This link has no summary token. Ask the host for the share link.");
      return;
    }
    setAccess(token ? { token, via: "summary" } : { token: hostKey!, via: "session" });
    const load = token ? api.sharedSummary(sessionId, token) : api.summary(sessionId, hostKey!);
    load.then(
      (data) => setSummary(data),
      (error: unknown) => setProblem(error instanceof Error ? error.message : String(error)),
    );
  }, [sessionId]);

  if (problem)
    return (
      <main class="page narrow">
        <h1>Session summary</h1>
        <p role="alert">{problem}</p>
      </main>
    );
  if (!summary || !access)
    return (
      <main class="page narrow">
        <p role="status">Loading the summary…</p>
      </main>
    );
  return (
    <main class="page summary-page">
      <h1>{summary.title}</h1>
      <p class="muted">
        {summary.pack.title !== summary.title && `${summary.pack.title} · `}
        {new Date(summary.createdAt).toLocaleDateString()} · {summary.participants}{" "}
        {summary.participants === 1 ? "participant" : "participants"}
      </p>
      {summary.tasks.map((task) => (
        <TaskSection
          key={task.id}
          task={task}
          sessionId={sessionId}
          access={access}
          histories={summary.names === "shown"}
          hash={hash}
        />
      ))}
      <section class="summary-broadcasts" aria-label="Broadcasts">
        <h2>Broadcasts ({summary.broadcasts.length})</h2>
        {summary.broadcasts.length === 0 && <p class="muted">The host broadcast nothing.</p>}
        <ol class="broadcasts">
          {summary.broadcasts.map((b, i) => (
            <li key={i} class="broadcast">
              <Markdown source={b.markdown} />
              {b.code && <CodeSnippet code={b.code} />}
            </li>
          ))}
        </ol>
      </section>
    </main>
  );
}
