/**
 * Sessions, participants and runs: the domain behind the HTTP API and the sync endpoint.
 *
 * The server writes the docs' initial content itself (session meta on create; roster entry and
 * the workspace's starter files on join), once, so clients never race to seed them.
 */
import { newId } from "./ids.js";
import type { RunReport } from "../../contract/run-report.js";
import { forbidden, invalid, notFound, unauthenticated } from "../errors.js";
import { hashHostKey, hostKeyMatches, newHostKey } from "../auth/host-key.js";
import { newJoinCode } from "../auth/join-code.js";
import type { TokenSigner } from "../auth/token.js";
import { type Pack, type PublicTask, publicTask } from "../packs/format.js";
import type {
  ParticipantRecord,
  RunRecord,
  SessionRecord,
  Storage,
  VerificationRecord,
} from "../storage/types.js";
import type { WorkspaceCode } from "../export/export.js";
import type { DocAccess } from "../sync/connection.js";
import type { RoomRegistry } from "../sync/registry.js";
import type { CreatedSession, HostSession, Seat } from "../../contract/api.js";
import { parseDocName, sessionDocName, workspaceDocName } from "../../contract/doc-names.js";
import type { SessionProgress, VerificationSummary } from "../../contract/progress.js";
import {
  readFiles,
  seedFiles,
  seedSessionDoc,
  sessionDoc,
  setRosterEntry,
} from "../../contract/session-doc.js";
import type { SessionEvents } from "./events.js";

/** Who is calling, once their host key or token has been checked. */
export type Principal =
  | { role: "host"; session: SessionRecord }
  | { role: "attendee"; session: SessionRecord; participant: ParticipantRecord };

export interface SessionServiceOptions {
  publicUrl: string;
  tokenTtlMs: number;
}

export type { CreatedSession, SessionProgress };
/** What `POST /api/join` answers: the attendee's seat. */
export type Joined = Seat;

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

export class SessionService {
  constructor(
    private readonly storage: Storage,
    private readonly rooms: RoomRegistry,
    readonly packs: ReadonlyMap<string, Pack>,
    private readonly signer: TokenSigner,
    private readonly events: SessionEvents,
    private readonly options: SessionServiceOptions,
  ) {}

  hostUrl(sessionId: string, hostKey: string): string {
    // The key rides in the fragment, which browsers never send, so it stays out of access logs.
    return `${this.options.publicUrl}/host/${sessionId}#key=${hostKey}`;
  }

  joinUrl(joinCode: string): string {
    return `${this.options.publicUrl}/join/${joinCode}`;
  }

  async create(packId: string, title?: string): Promise<CreatedSession> {
    const pack = this.packs.get(packId);
    if (!pack) throw invalid("unknown_pack", `no pack "${packId}"`);
    const hostKey = newHostKey();
    const session: SessionRecord = {
      id: newId(),
      packId,
      title: title ?? pack.title,
      joinCode: await this.freeJoinCode(),
      hostKeyHash: hashHostKey(hostKey),
      createdAt: Date.now(),
    };
    await this.storage.createSession(session);
    await this.rooms.change(sessionDocName(session.id), (room) => {
      seedSessionDoc(room.doc, {
        title: session.title,
        pack: packId,
        stage: "exposition",
        taskId: pack.tasks[0]?.id ?? null,
        timerEndsAt: null,
        locked: false,
      });
    });
    // Acknowledge only what is stored: a crash right after 201 must not leave an empty session doc.
    await this.rooms.flush();
    return {
      sessionId: session.id,
      hostKey,
      joinCode: session.joinCode,
      hostUrl: this.hostUrl(session.id, hostKey),
      joinUrl: this.joinUrl(session.joinCode),
    };
  }

  async join(joinCode: string, name: string): Promise<Joined> {
    const session = await this.storage.getSessionByJoinCode(joinCode);
    if (!session) throw notFound("unknown_join_code", "no session has this join code");
    const pack = this.packOf(session);
    const now = Date.now();
    const participant: ParticipantRecord = {
      id: newId(),
      sessionId: session.id,
      name,
      workspaceId: newId(),
      joinedAt: now,
    };
    await this.storage.addParticipant(participant, {
      id: participant.workspaceId,
      sessionId: session.id,
      createdAt: now,
    });
    await this.rooms.change(workspaceDocName(session.id, participant.workspaceId), (room) => {
      seedFiles(
        room.doc,
        pack.tasks.map((task) => [task.id, task.starter] as const),
      );
    });
    await this.rooms.change(sessionDocName(session.id), (room) => {
      setRosterEntry(room.doc, participant.id, { name, workspaceId: participant.workspaceId, joinedAt: now });
    });
    await this.rooms.flush();
    this.events.publish(session.id, {
      type: "participant",
      data: { participantId: participant.id, name, workspaceId: participant.workspaceId, joinedAt: now },
    });
    return {
      sessionId: session.id,
      participantId: participant.id,
      workspaceId: participant.workspaceId,
      token: this.signer.sign({
        sid: session.id,
        pid: participant.id,
        exp: now + this.options.tokenTtlMs,
      }),
    };
  }

  /** Checks a host key or attendee token against a session. Throws 404 / 401. */
  async authenticate(sessionId: string, token: string | undefined): Promise<Principal> {
    const session = await this.storage.getSession(sessionId);
    if (!session) throw notFound("unknown_session", "no such session");
    if (!token) throw unauthenticated("a host key or attendee token is required");
    // Attendee tokens always contain a dot; host keys (base64url) never do.
    if (!token.includes(".")) {
      if (hostKeyMatches(token, session.hostKeyHash)) return { role: "host", session };
      throw unauthenticated("invalid host key");
    }
    const check = this.signer.verify(token);
    if (!check.ok) {
      throw unauthenticated(check.reason === "expired" ? "token expired; join again" : "invalid token");
    }
    if (check.claims.sid !== sessionId) throw forbidden("token belongs to another session");
    const participant = await this.storage.getParticipant(sessionId, check.claims.pid);
    // Which workspace the attendee may open is decided from storage (docAccess), not the token:
    // pairing and unpairing move participants between workspaces.
    if (!participant) throw unauthenticated("invalid token");
    return { role: "attendee", session, participant };
  }

  async requireHost(sessionId: string, token: string | undefined): Promise<Principal & { role: "host" }> {
    const p = await this.authenticate(sessionId, token);
    if (p.role !== "host") throw forbidden("only the host may do this");
    return p;
  }

  async requireAttendee(
    sessionId: string,
    token: string | undefined,
  ): Promise<Principal & { role: "attendee" }> {
    const p = await this.authenticate(sessionId, token);
    if (p.role !== "attendee") throw forbidden("only an attendee may do this");
    return p;
  }

  /**
   * What `token` may do with the named doc (design.md §5). Throws 404 for an unknown doc, 401 for a
   * bad token, 403 for a doc the caller may not open.
   */
  async docAccess(docName: string, token: string | undefined): Promise<DocAccess> {
    const parsed = parseDocName(docName);
    if (!parsed) throw notFound("unknown_doc", `no document "${docName.slice(0, 100)}"`);
    const who = await this.authenticate(parsed.sessionId, token);
    const principal = who.role === "host" ? "host" : who.participant.id;
    if (parsed.kind === "session") {
      return { doc: docName, role: who.role, principal, writable: who.role === "host" };
    }
    if (who.role === "attendee" && who.participant.workspaceId !== parsed.workspaceId) {
      throw forbidden("this workspace belongs to someone else");
    }
    if (!(await this.storage.getWorkspace(parsed.sessionId, parsed.workspaceId))) {
      throw notFound("unknown_doc", "no such workspace");
    }
    return who.role === "host"
      ? { doc: docName, role: "host", principal, writable: true }
      : {
          doc: docName,
          role: "attendee",
          principal,
          writable: true,
          lockedBy: sessionDocName(parsed.sessionId),
        };
  }

  /** The host's view: session state from the session doc, participants, workspaces, pack content. */
  async hostView(session: SessionRecord): Promise<HostSession> {
    const pack = this.packOf(session);
    const [participants, workspaces, meta] = await Promise.all([
      this.storage.listParticipants(session.id),
      this.storage.listWorkspaces(session.id),
      this.rooms.read(sessionDocName(session.id), (room) => sessionDoc.meta(room.doc).toJSON()),
    ]);
    return {
      sessionId: session.id,
      title: session.title,
      pack: { id: pack.id, title: pack.title, track: pack.track },
      joinCode: session.joinCode,
      joinUrl: this.joinUrl(session.joinCode),
      createdAt: session.createdAt,
      state: meta,
      participants: participants.map((p) => ({
        participantId: p.id,
        name: p.name,
        workspaceId: p.workspaceId,
        joinedAt: p.joinedAt,
      })),
      workspaces: workspaces.map((w) => ({
        workspaceId: w.id,
        participantIds: participants.filter((p) => p.workspaceId === w.id).map((p) => p.id),
        createdAt: w.createdAt,
      })),
      exposition: pack.exposition.map((s) => ({ id: s.id, markdown: s.markdown })),
      tasks: pack.tasks.map(publicTask),
    };
  }

  tasks(session: SessionRecord): PublicTask[] {
    return this.packOf(session).tasks.map(publicTask);
  }

  async recordRun(principal: Principal & { role: "attendee" }, report: RunReport): Promise<RunRecord> {
    const { session, participant } = principal;
    if (!this.packOf(session).tasks.some((t) => t.id === report.taskId)) {
      throw invalid("unknown_task", `the session's pack has no task "${report.taskId}"`);
    }
    const run = await this.storage.addRun({
      sessionId: session.id,
      participantId: participant.id,
      workspaceId: participant.workspaceId,
      report,
      at: Date.now(),
    });
    this.events.publish(session.id, {
      type: "run",
      data: {
        id: run.id,
        participantId: run.participantId,
        workspaceId: run.workspaceId,
        taskId: report.taskId,
        at: run.at,
        report,
      },
    });
    return run;
  }

  /**
   * Per participant and task: the latest run, checks passed, run count, and the latest server-side
   * verification of the participant's workspace (null when never verified).
   */
  async progress(session: SessionRecord): Promise<SessionProgress> {
    const pack = this.packOf(session);
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
      const key = `${run.participantId}\u0000${run.report.taskId}`;
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
            const key = `${p.id}\u0000${t.id}`;
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

  /** Every workspace's code (taskId → text) with the names of the people editing it, for export. */
  async workspaceCode(session: SessionRecord): Promise<WorkspaceCode[]> {
    const [participants, workspaces] = await Promise.all([
      this.storage.listParticipants(session.id),
      this.storage.listWorkspaces(session.id),
    ]);
    const out: WorkspaceCode[] = [];
    // One at a time: each read may load a doc from storage, and a big class has many.
    for (const w of workspaces) {
      const files = await this.rooms.read(workspaceDocName(session.id, w.id), (room) => readFiles(room.doc));
      const names = participants.filter((p) => p.workspaceId === w.id).map((p) => p.name);
      out.push({ workspaceId: w.id, names, files });
    }
    return out;
  }

  private packOf(session: SessionRecord): Pack {
    const pack = this.packs.get(session.packId);
    // A pack removed from disk after sessions were made with it: the session can't be served.
    if (!pack) throw notFound("unknown_pack", `the session's pack "${session.packId}" is not installed`);
    return pack;
  }

  private async freeJoinCode(): Promise<string> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const code = newJoinCode();
      if (!(await this.storage.getSessionByJoinCode(code))) return code;
    }
    throw new Error("could not find a free join code");
  }
}
