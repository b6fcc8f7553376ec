/**
 * The dashboard's model of the room: one row per unit (an attendee, or a pair sharing a workspace:
 * contract/units.ts), folded from the session doc's roster,
 * the attendees' presence (awareness on the session doc) and their run reports (initial
 * `GET /progress` plus the live `run` server-sent events). Pure functions, so sorting and the
 * "stuck" filter are tested without a browser. Runs are kept per workspace, so a pair's row shows
 * its shared code's runs, whichever member ran them, beside its one verification.
 */
import type { RunNotice } from "../../contract/events.js";
import type { Progress } from "../../contract/progress.js";
import type { MetricSeries, RunStatus } from "../../contract/run-report.js";
import type { RosterEntry } from "../../contract/session-doc.js";
import { unitName, unitsOf } from "../../contract/units.js";

export type { RosterEntry };

/** What an attendee publishes in the session doc's awareness. */
export interface Presence {
  participantId: string;
  taskId?: string;
  hand: boolean;
  /** Last time the attendee edited or ran code (epoch ms). */
  activeAt?: number;
}

/** One stored run of one participant, in the workspace it ran: a `run` event's fields the dashboard keeps. */
export type RunRecord = Pick<RunNotice, "participantId" | "workspaceId" | "at" | "report">;

/** A `run` event's run. */
export const runOfNotice = (notice: RunNotice): RunRecord => ({
  participantId: notice.participantId,
  workspaceId: notice.workspaceId,
  at: notice.at,
  report: notice.report,
});

/** Every workspace's latest run per task in a `GET /progress` answer (once per pair), oldest first. */
export function runsOfProgress(progress: Progress): RunRecord[] {
  const out: RunRecord[] = [];
  const seen = new Set<number>();
  for (const p of progress.participants) {
    for (const task of Object.values(p.tasks)) {
      if (!task.latestRun || seen.has(task.latestRun.id)) continue;
      seen.add(task.latestRun.id);
      const { id: _id, at, ...report } = task.latestRun;
      out.push({ participantId: p.participantId, workspaceId: p.workspaceId, at, report });
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

export interface TaskProgress {
  passed: number;
  total: number;
  status: RunStatus;
}

export interface RunHistory {
  byTask: Record<string, TaskProgress>;
  /** taskId → the latest run of that task (what Follow shows beside that task's code). */
  lastByTask: Record<string, RunRecord>;
  last?: RunRecord;
}

/** A unit's row: one attendee, or a pair ("Ada & Bob"). */
export interface ParticipantRow {
  /** The first member's id (the row's key; following or opening it opens the shared workspace). */
  participantId: string;
  /** "Ada", or "Ada & Bob". */
  name: string;
  /** Every member in join order: one, or the two of a pair. */
  members: { participantId: string; name: string }[];
  workspaceId: string;
  joinedAt: number;
  online: boolean;
  taskId?: string;
  hand: boolean;
  lastActiveAt: number;
  byTask: Record<string, TaskProgress>;
  last?: {
    taskId: string;
    status: RunStatus;
    passed: number;
    total: number;
    error?: string;
    loss: number[];
    at: number;
  };
}

/** Idle this long (no edit, no run) counts as stuck. */
export const IDLE_STUCK_MS = 3 * 60_000;

/** Folds a run into its workspace's history. */
export function recordRun(histories: Map<string, RunHistory>, record: RunRecord): Map<string, RunHistory> {
  const previous = histories.get(record.workspaceId) ?? { byTask: {}, lastByTask: {} };
  const { report } = record;
  const kept = previous.lastByTask[report.taskId];
  // An older report of a task already reported later (a stored run arriving after a live one).
  if (kept && kept.at > record.at) return histories;
  const next = new Map(histories);
  const visible = report.checks.filter((c) => !c.hidden);
  const byTask = {
    ...previous.byTask,
    [report.taskId]: {
      passed: visible.filter((c) => c.passed).length,
      total: visible.length,
      status: report.status,
    },
  };
  const lastByTask = { ...previous.lastByTask, [report.taskId]: record };
  const last = previous.last && previous.last.at > record.at ? previous.last : record;
  next.set(record.workspaceId, { byTask, lastByTask, last });
  return next;
}

/** The series a sparkline shows: "loss" if reported, else the first metric. */
export function lossSeries(metrics: MetricSeries): number[] {
  if (metrics.loss) return metrics.loss;
  const first = Object.keys(metrics).sort()[0];
  return first === undefined ? [] : (metrics[first] ?? []);
}

/** One row per unit of the roster; `histories` are per workspace. */
export function buildRows(
  roster: Map<string, RosterEntry>,
  presence: Presence[],
  histories: Map<string, RunHistory>,
): ParticipantRow[] {
  const online = new Map<string, Presence>();
  for (const p of presence) online.set(p.participantId, p);
  const rows: ParticipantRow[] = [];
  const people = [...roster].map(([participantId, entry]) => ({ participantId, ...entry }));
  for (const { workspaceId, members } of unitsOf(people)) {
    const here = members.flatMap((m) => online.get(m.participantId) ?? []);
    const history = histories.get(workspaceId);
    const first = members[0]!;
    const row: ParticipantRow = {
      participantId: first.participantId,
      name: unitName(members.map((m) => m.name)),
      members: members.map((m) => ({ participantId: m.participantId, name: m.name })),
      workspaceId,
      joinedAt: first.joinedAt,
      online: here.length > 0,
      hand: here.some((p) => p.hand),
      lastActiveAt: Math.max(first.joinedAt, ...here.map((p) => p.activeAt ?? 0), history?.last?.at ?? 0),
      byTask: history?.byTask ?? {},
    };
    const taskId = here.find((p) => p.taskId !== undefined)?.taskId;
    if (taskId !== undefined) row.taskId = taskId;
    if (history?.last) {
      const { report, at } = history.last;
      const progress = history.byTask[report.taskId];
      row.last = {
        taskId: report.taskId,
        status: report.status,
        passed: progress?.passed ?? 0,
        total: progress?.total ?? 0,
        loss: lossSeries(report.metrics),
        at,
      };
      if (report.error) {
        row.last.error =
          report.error.line !== undefined
            ? `Line ${report.error.line}: ${report.error.message}`
            : report.error.message;
      } else if (progress && progress.passed < progress.total) {
        const failed = report.checks.find((c) => !c.passed && !c.hidden);
        if (failed) row.last.error = failed.message ? `${failed.name}: ${failed.message}` : failed.name;
      }
    }
    rows.push(row);
  }
  return rows;
}

export const idleMs = (row: ParticipantRow, now: number): number => Math.max(0, now - row.lastActiveAt);

/** Failing: the last run errored or failed a check. */
export const isFailing = (row: ParticipantRow): boolean =>
  row.last !== undefined && (row.last.status === "error" || row.last.passed < row.last.total);

/** Stuck: failing, or idle for longer than {@link IDLE_STUCK_MS}. */
export const isStuck = (row: ParticipantRow, now: number): boolean =>
  isFailing(row) || idleMs(row, now) > IDLE_STUCK_MS;

export type SortKey = "name" | "task" | "passed" | "status" | "idle" | "hand";
export type SortDirection = "ascending" | "descending";

function totalPassed(row: ParticipantRow): number {
  return Object.values(row.byTask).reduce((sum, t) => sum + t.passed, 0);
}

function statusRank(row: ParticipantRow): number {
  if (!row.last) return 1;
  return isFailing(row) ? 0 : 2;
}

export function sortRows(
  rows: ParticipantRow[],
  key: SortKey,
  direction: SortDirection,
  now: number,
  taskOrder: string[] = [],
): ParticipantRow[] {
  const byName = (a: ParticipantRow, b: ParticipantRow) =>
    a.name.localeCompare(b.name, undefined, { sensitivity: "base" }) ||
    a.participantId.localeCompare(b.participantId);
  const taskIndex = (row: ParticipantRow) => (row.taskId === undefined ? -1 : taskOrder.indexOf(row.taskId));
  const compare: Record<SortKey, (a: ParticipantRow, b: ParticipantRow) => number> = {
    name: byName,
    task: (a, b) => taskIndex(a) - taskIndex(b),
    passed: (a, b) => totalPassed(a) - totalPassed(b),
    status: (a, b) => statusRank(a) - statusRank(b),
    idle: (a, b) => idleMs(a, now) - idleMs(b, now),
    hand: (a, b) => Number(a.hand) - Number(b.hand),
  };
  const sign = direction === "ascending" ? 1 : -1;
  return [...rows].sort((a, b) => sign * compare[key](a, b) || byName(a, b));
}

/** "12s", "4m", "1h 5m". */
export function formatIdle(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

/**
 * SVG polyline points for a series in a `width`×`height` box (y grows downwards, 1px margin);
 * non-finite values are skipped; null when fewer than two points remain.
 */
export function sparklinePoints(values: number[], width: number, height: number): string | null {
  const points = values.map((v, i) => [i, v] as const).filter(([, v]) => Number.isFinite(v));
  if (points.length < 2) return null;
  let min = Infinity;
  let max = -Infinity;
  for (const [, v] of points) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const span = max > min ? max - min : 1;
  const last = values.length - 1;
  return points
    .map(
      ([i, v]) =>
        `${((i / last) * width).toFixed(1)},${(height - 1 - ((v - min) / span) * (height - 2)).toFixed(1)}`,
    )
    .join(" ");
}
