/**
 * The progress read model (`GET /api/sessions/:sid/progress`, the CSV export): per participant and
 * task, the latest run in the participant's current workspace (by either member of a pair), checks
 * passed, run count and the latest verification of that workspace. So the two members of a pair read
 * the same, and agree with the pair's verification. Its shape is declared by the contract
 * (contract/progress.ts).
 */
import type { SessionProgress, VerificationSummary } from "../../contract/progress.js";
import type { Packs } from "../packs/shelf.js";
import type { RunRecord, SessionRecord, RecordStore, VerificationRecord } from "../storage/types.js";
import { packOf } from "./packs.js";

/** A verification as the progress view shows it. */
function verificationSummary(v: VerificationRecord | undefined): VerificationSummary | null {
  if (!v) return null;
  return {
    id: v.id,
    at: v.at,
    verified: v.result.verified,
    status: v.result.status,
    checksPassed: v.result.checks.filter((c) => c.passed).length,
    checksTotal: v.result.checks.length,
    checks: v.result.checks,
    ...(v.result.error ? { error: v.result.error } : {}),
  };
}

export class ProgressReadModel {
  constructor(
    private readonly storage: RecordStore,
    private readonly packs: Packs,
  ) {}

  /**
   * Per participant and task: the latest run in the participant's workspace, checks passed, run
   * count there, and the latest server-side verification of that workspace (null when never verified).
   */
  async progress(session: SessionRecord): Promise<SessionProgress> {
    const pack = packOf(this.packs, session);
    const [participants, runs, verifications] = await Promise.all([
      this.storage.listParticipants(session.id),
      this.storage.listRuns(session.id),
      this.storage.listVerifications(session.id),
    ]);
    const verified = new Map<string, VerificationRecord>();
    for (const v of verifications) verified.set(`${v.workspaceId}\u0000${v.taskId}`, v);
    const latest = new Map<string, RunRecord>();
    const counts = new Map<string, number>();
    for (const run of runs) {
      const key = `${run.workspaceId}\u0000${run.report.taskId}`;
      latest.set(key, run);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return {
      sessionId: session.id,
      tasks: pack.tasks.map((t) => ({ id: t.id, title: t.title })),
      participants: participants.map((p) => ({
        participantId: p.id,
        name: p.name,
        workspaceId: p.workspaceId,
        tasks: Object.fromEntries(
          pack.tasks.map((t) => {
            const key = `${p.workspaceId}\u0000${t.id}`;
            const run = latest.get(key);
            return [
              t.id,
              {
                runs: counts.get(key) ?? 0,
                checksPassed: run ? run.report.checks.filter((c) => c.passed).length : 0,
                checksTotal: run ? run.report.checks.length : 0,
                latestRun: run ? { id: run.id, at: run.at, ...run.report } : null,
                verified: verificationSummary(verified.get(`${p.workspaceId}\u0000${t.id}`)),
              },
            ];
          }),
        ),
      })),
    };
  }
}
