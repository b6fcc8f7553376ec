/**
 * The session summary (what the host shares after a session): per task and unit (an attendee, or a
 * pair as one line "Ada & Bob") who completed it (every visible check passed in some run of a member,
 * or the unit's workspace verified) and who is verified, the broadcasts, and the class-wide curves
 * (each participant's latest run's metric series, thinned). Pure: the service gathers the records.
 */
import type {
  SessionSummary,
  SummaryBroadcast,
  SummaryCurve,
  SummaryPerson,
  TaskSummary,
} from "../../contract/summary.js";
import type { Broadcast } from "../../contract/session-doc.js";
import { thin } from "../../contract/run-report.js";
import { unitName, unitsOf } from "../../contract/units.js";
import type { Pack } from "../packs/format.js";
import type { ParticipantRecord, RunRecord, SessionRecord, VerificationRecord } from "../storage/types.js";

/** Points kept per curve: enough to see the shape on a page, small enough to share. */
export const SUMMARY_POINTS = 100;

export type { SessionSummary, SummaryBroadcast, SummaryCurve, SummaryPerson, TaskSummary };

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

/** The session doc's broadcasts as the summary shows them: without their ids. */
export function summaryBroadcasts(broadcasts: Broadcast[]): SummaryBroadcast[] {
  return broadcasts.map(({ at, markdown, code }) =>
    code === undefined ? { at, markdown } : { at, markdown, code },
  );
}

export function buildSummary(input: SummaryInput): SessionSummary {
  const { session, pack, runs, verifications } = input;
  const participants = [...input.participants].sort((a, b) => a.joinedAt - b.joinedAt);
  const nameOf = new Map(
    participants.map((p, i) => [p.id, input.showNames ? p.name : `Participant ${i + 1}`]),
  );
  // One line per unit: an attendee, or a pair (its members' runs together, its workspace's verification).
  const units = unitsOf(participants);
  const latestVerification = new Map<string, VerificationRecord>();
  for (const v of verifications) {
    const key = `${v.workspaceId}\u0000${v.taskId}`;
    const kept = latestVerification.get(key);
    if (!kept || kept.at <= v.at) latestVerification.set(key, v);
  }
  const tasks = pack.tasks.map((task): TaskSummary => {
    const people: SummaryPerson[] = [];
    const curves: Record<string, SummaryCurve[]> = {};
    for (const unit of units) {
      const members = new Set(unit.members.map((m) => m.id));
      const mine = runs.filter((r) => members.has(r.participantId) && r.report.taskId === task.id);
      const verification = latestVerification.get(`${unit.workspaceId}\u0000${task.id}`);
      if (mine.length === 0 && !verification) continue;
      // A verified workspace passed every check, the visible ones included.
      const completed =
        verification?.result.verified === true ||
        mine.some((r) => {
          const visible = r.report.checks.filter((c) => !c.hidden);
          return r.report.status === "ok" && visible.length > 0 && visible.every((c) => c.passed);
        });
      const name = unitName(unit.members.map((m) => nameOf.get(m.id)!));
      const person: SummaryPerson = {
        name,
        runs: mine.length,
        completed,
        verified: verification?.result.verified ?? null,
      };
      // Histories are shown only with names (docs/api.md "History"): no workspace to open otherwise.
      if (input.showNames) person.workspaceId = unit.workspaceId;
      people.push(person);
      const latest = mine.reduce<RunRecord | undefined>((a, r) => (!a || r.at >= a.at ? r : a), undefined);
      if (!latest) continue;
      const metrics = new Set([
        ...Object.keys(latest.report.metrics),
        ...Object.keys(latest.report.nonFinite ?? {}),
      ]);
      for (const metric of metrics) {
        const logged = latest.report.metrics[metric] ?? [];
        const curve: SummaryCurve = { name, values: thin(logged, SUMMARY_POINTS) };
        const steps = latest.report.metricSteps?.[metric] ?? logged.length;
        if (steps > curve.values.length) curve.steps = steps;
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
