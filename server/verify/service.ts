/**
 * Verify (docs/api.md): `POST /api/sessions/:sid/verify` runs a workspace's current code (its
 * Y.Text for the task, from the room registry) with the task's visible and hidden checks in a
 * sandbox worker pool on the server, stores the result, and tells the host's dashboard.
 *
 * The worker pool is started on the first verification, not with the server: most sessions never
 * verify, and each warm worker holds a QuickJS instance and the scratch library.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { busy, forbidden, invalid, notFound } from "../errors.js";
import type { Task } from "../packs/format.js";
import type { TaskRunner } from "../packs/verify.js";
import type { Principal } from "../session/access.js";
import { workspaceDocName } from "../../contract/doc-names.js";
import { workspaceFiles } from "../../contract/session-doc.js";
import type { SessionEvents } from "../session/events.js";
import type { Packs } from "../packs/shelf.js";
import type { SessionRecord, RecordStore, VerificationRecord } from "../storage/types.js";
import type { RoomRegistry } from "../sync/registry.js";
import { QueueFullError, type QueueState, VerifyQueue } from "./queue.js";
import { attendeeResult, verifyCode } from "./verification.js";

/** A runner the service can close when the server stops. */
export type ClosableRunner = TaskRunner & { close(): Promise<void> };

export interface VerifyOptions {
  /** Sandbox workers (verifications running at once over all sessions). */
  workers: number;
  /** Verifications of one session running at once. */
  perSession: number;
  /** Verifications waiting at once over all sessions; beyond it, 429. */
  maxQueued: number;
  /** Verifications of one session waiting at once; beyond it, 429. */
  maxQueuedPerSession: number;
}

export interface VerifyRequest {
  workspaceId?: string;
  taskId: string;
}

/** The answer to a verify request: one finished verification, or the workspaces queued by "verify all". */
export type VerifyOutcome =
  { kind: "one"; verification: VerificationRecord } | { kind: "all"; queued: number; queue: QueueState };

const queueFull = (err: QueueFullError) => busy("queue_full", err.message, 5);

export class VerifyService {
  private readonly queue: VerifyQueue;
  private runner: ClosableRunner | null = null;

  constructor(
    private readonly storage: RecordStore,
    private readonly rooms: RoomRegistry,
    private readonly packs: Packs,
    private readonly events: SessionEvents,
    private readonly startRunner: () => ClosableRunner,
    options: VerifyOptions,
    gauge?: { set(value: number): void },
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {
    this.queue = new VerifyQueue({
      concurrency: options.workers,
      perSession: options.perSession,
      maxQueued: options.maxQueued,
      perSessionQueued: options.maxQueuedPerSession,
      ...(gauge ? { gauge } : {}),
      onChange: (sessionId) =>
        this.events.publish(sessionId, { type: "verify-queue", data: this.queue.state(sessionId) }),
    });
  }

  /**
   * Checks who may verify what, then verifies. An attendee verifies its own workspace (naming
   * another is 403) and waits for the result (see attendeeResult: its run time only as a coarse
   * bucket, and the answer held until that bucket is over); the host names a workspace and waits, or names none
   * to queue every workspace someone works in for the task ("verify all") and gets the count back.
   */
  async verify(principal: Principal, body: VerifyRequest): Promise<VerifyOutcome> {
    const { session } = principal;
    const task = this.taskOf(session, body.taskId);
    if (principal.role === "attendee") {
      const own = principal.participant.workspaceId;
      if (body.workspaceId !== undefined && body.workspaceId !== own) {
        throw forbidden("an attendee may verify only its own workspace");
      }
      const verification = await this.verifyWorkspace(session, own, task, principal.participant.id);
      const result = attendeeResult(verification.result);
      // The answer leaves when the bucket it reports is over, so its latency tells no more than it.
      await sleep(Math.max(0, result.durationMs - verification.result.durationMs));
      return { kind: "one", verification: { ...verification, result } };
    }
    if (body.workspaceId !== undefined) {
      if (!(await this.storage.getWorkspace(session.id, body.workspaceId))) {
        throw notFound("unknown_workspace", "the session has no such workspace");
      }
      return {
        kind: "one",
        verification: await this.verifyWorkspace(session, body.workspaceId, task, "host"),
      };
    }
    // Workspaces someone works in: one left behind by pairing (the second member's first one) is
    // kept for the export but not verified again and again.
    const [all, participants] = await Promise.all([
      this.storage.listWorkspaces(session.id),
      this.storage.listParticipants(session.id),
    ]);
    const inUse = new Set(participants.map((p) => p.workspaceId));
    const workspaces = all.filter((w) => inUse.has(w.id));
    // All or none: a host told "queued 30" must not silently get 12.
    const free = this.queue.freeFor(session.id);
    if (workspaces.length > free) {
      throw busy(
        "queue_full",
        `the verify queue has room for ${free} more of this session's, not ${workspaces.length}; try again shortly`,
        5,
      );
    }
    for (const w of workspaces) {
      this.verifyWorkspace(session, w.id, task, "host").catch(this.onError);
    }
    return { kind: "all", queued: workspaces.length, queue: this.queue.state(session.id) };
  }

  /** Queues one verification and resolves with the stored record once it has run. */
  async verifyWorkspace(
    session: SessionRecord,
    workspaceId: string,
    task: Task,
    requestedBy: string,
  ): Promise<VerificationRecord> {
    const work = this.queue.submit(session.id, `${workspaceId}\u0000${task.id}`, async () => {
      // Read when a worker is free, so the run sees the code as it is now, not as it was queued.
      const source = await this.rooms.read(workspaceDocName(session.id, workspaceId), (room) =>
        workspaceFiles(room.doc).get(task.id)?.toString(),
      );
      const result = await verifyCode(this.runnerNow(), task, source ?? "");
      const verification = await this.storage.addVerification({
        sessionId: session.id,
        workspaceId,
        taskId: task.id,
        requestedBy,
        result,
        at: Date.now(),
      });
      this.events.publish(session.id, { type: "verify", data: verification });
      return verification;
    });
    try {
      return await work;
    } catch (err) {
      throw err instanceof QueueFullError ? queueFull(err) : err;
    }
  }

  /** The session's waiting and running verifications. */
  queueState(sessionId: string): QueueState {
    return this.queue.state(sessionId);
  }

  async close(): Promise<void> {
    this.queue.close();
    await this.runner?.close();
    this.runner = null;
  }

  private runnerNow(): ClosableRunner {
    this.runner ??= this.startRunner();
    return this.runner;
  }

  private taskOf(session: SessionRecord, taskId: string): Task {
    const pack = this.packs.get(session.packId);
    if (!pack) throw notFound("unknown_pack", `the session's pack "${session.packId}" is not installed`);
    const task = pack.tasks.find((t) => t.id === taskId);
    if (!task) throw invalid("unknown_task", `the session's pack has no task "${taskId}"`);
    return task;
  }
}
