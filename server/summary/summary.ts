/**
 * The session summary (what the host shares after a session): per task who completed it (every
 * visible check passed in some run) and who is verified, the broadcasts, and the class-wide curves
 * (each participant's latest run's metric series, thinned). Pure: the service gathers the records.
 */
import type { NonFiniteMetric } from "../../sandbox/events.js";
import { thin } from "../api/schemas.js";
import type { Pack } from "../packs/format.js";
import type { ParticipantRecord, RunRecord, SessionRecord, VerificationRecord } from "../storage/types.js";

/** Points kept per curve: enough to see the shape on a page, small enough to share. */
export const SUMMARY_POINTS = 100;

export interface SummaryBroadcast {
  at: number;
  markdown: string;
  code?: string;
}

export interface SummaryPerson {
  name: string;
  runs: number;
  /** Every visible check passed in at least one run. */
  completed: boolean;
  /** The latest server-side verification of the person's workspace; null when never verified. */
  verified: boolean | null;
}

export interface SummaryCurve {
  name: string;
  values: number[];
  nonFinite?: NonFiniteMetric;
}

export interface TaskSummary {
  id: string;
  title: string;
  counts: { attempted: number; completed: number; verified: number };
  /** Everyone who ran or was verified on the task, in join order. */
  people: SummaryPerson[];
  /** metric → one curve per person whose latest run on the task reported it. */
  curves: Record<string, SummaryCurve[]>;
}

export interface SessionSummary {
  sessionId: string;
  title: string;
  pack: { id: string; title: string; track: string };
  createdAt: number;
  generatedAt: number;
  /** "anonymised": names replaced by "Participant 1…" in join order. */
  names: "shown" | "anonymised";
  participants: number;
  tasks: TaskSummary[];
  broadcasts: SummaryBroadcast[];
}

export interface SummaryInput {
  session: SessionRecord;
  pack: Pack;
  participants: ParticipantRecord[];
  runs: RunRecord[];
  verifications: VerificationRecord[];
  broadcasts: SummaryBroadcast[];
  showNames: boolean;
  now: number;
}

/** Broadcasts read from the session doc's `broadcasts` array, skipping anything malformed. */
export function parseBroadcasts(items: unknown[]): SummaryBroadcast[] {
  const out: SummaryBroadcast[] = [];
  for (const item of items) {
    if (typeof item !== "object" || item === null) continue;
    const b = item as Record<string, unknown>;
    if (typeof b.markdown !== "string") continue;
    const broadcast: SummaryBroadcast = { at: typeof b.at === "number" ? b.at : 0, markdown: b.markdown };
    if (typeof b.code === "string" && b.code.trim()) broadcast.code = b.code;
    out.push(broadcast);
  }
  return out;
}

export function buildSummary(input: SummaryInput): SessionSummary {
  const { session, pack, runs, verifications } = input;
  const participants = [...input.participants].sort((a, b) => a.joinedAt - b.joinedAt);
  const nameOf = new Map(
    participants.map((p, i) => [p.id, input.showNames ? p.name : `Participant ${i + 1}`]),
  );
  const latestVerification = new Map<string, VerificationRecord>();
  for (const v of verifications) {
    const key = `${v.workspaceId}\u0000${v.taskId}`;
    const kept = latestVerification.get(key);
    if (!kept || kept.at <= v.at) latestVerification.set(key, v);
  }
  const tasks = pack.tasks.map((task): TaskSummary => {
    const people: SummaryPerson[] = [];
    const curves: Record<string, SummaryCurve[]> = {};
    for (const p of participants) {
      const mine = runs.filter((r) => r.participantId === p.id && r.report.taskId === task.id);
      const verification = latestVerification.get(`${p.workspaceId}\u0000${task.id}`);
      if (mine.length === 0 && !verification) continue;
      const completed = mine.some((r) => {
        const visible = r.report.checks.filter((c) => !c.hidden);
        return r.report.status === "ok" && visible.length > 0 && visible.every((c) => c.passed);
      });
      const name = nameOf.get(p.id)!;
      people.push({ name, runs: mine.length, completed, verified: verification?.result.verified ?? null });
      const latest = mine.reduce<RunRecord | undefined>((a, r) => (!a || r.at >= a.at ? r : a), undefined);
      if (!latest) continue;
      const metrics = new Set([
        ...Object.keys(latest.report.metrics),
        ...Object.keys(latest.report.nonFinite ?? {}),
      ]);
      for (const metric of metrics) {
        const curve: SummaryCurve = {
          name,
          values: thin(latest.report.metrics[metric] ?? [], SUMMARY_POINTS),
        };
        const broken = latest.report.nonFinite?.[metric];
        if (broken) curve.nonFinite = broken;
        (curves[metric] ??= []).push(curve);
      }
    }
    return {
      id: task.id,
      title: task.title,
      counts: {
        attempted: people.filter((p) => p.runs > 0).length,
        completed: people.filter((p) => p.completed).length,
        verified: people.filter((p) => p.verified === true).length,
      },
      people,
      curves,
    };
  });
  return {
    sessionId: session.id,
    title: session.title,
    pack: { id: pack.id, title: pack.title, track: pack.track },
    createdAt: session.createdAt,
    generatedAt: input.now,
    names: input.showNames ? "shown" : "anonymised",
    participants: participants.length,
    tasks,
    broadcasts: input.broadcasts,
  };
}
