/**
 * A session's lifecycle: creating it (and seeding its session doc), attendees joining (each with
 * a workspace seeded with the starters), the host's view, recording runs, and the code for export.
 * Who may do what is decided by access.ts; the progress view is progress.ts.
 *
 * The server writes the docs' initial content itself (session meta on create; roster entry and
 * the workspace's starter files on join), once, so clients never race to seed them.
 */
import { newId } from "./ids.js";
import type { Principal } from "./access.js";
import { packOf } from "./packs.js";
import type { RunReport } from "../../contract/run-report.js";
import { invalid, notFound } from "../errors.js";
import { hashHostKey, newHostKey } from "../auth/host-key.js";
import { newJoinCode } from "../auth/join-code.js";
import type { TokenSigner } from "../auth/token.js";
import { type Pack, type PublicTask, publicTask } from "../packs/format.js";
import type { Packs } from "../packs/shelf.js";
import type { ParticipantRecord, RunRecord, SessionRecord, RecordStore } from "../storage/types.js";
import type { WorkspaceCode } from "../export/export.js";
import type { RoomRegistry } from "../sync/registry.js";
import type { CreatedSession, HostSession, Seat } from "../../contract/api.js";
import { sessionDocName, workspaceDocName } from "../../contract/doc-names.js";
import {
  readFiles,
  seedFiles,
  seedSessionDoc,
  sessionDoc,
  setRosterEntry,
} from "../../contract/session-doc.js";
import type { SessionEvents } from "./events.js";
import { seatName } from "./seat-name.js";
import { SerialQueues } from "./serial.js";
import { unitName } from "../../contract/units.js";
import type { HistoryRecorder } from "../history/recorder.js";

export type { Principal };

export interface SessionServiceOptions {
  publicUrl: string;
  tokenTtlMs: number;
}

export type { CreatedSession };
/** What `POST /api/join` answers: the attendee's seat. */
export type Joined = Seat;

export class SessionService {
  private readonly joins = new SerialQueues();

  constructor(
    private readonly storage: RecordStore,
    private readonly rooms: RoomRegistry,
    readonly packs: Packs,
    private readonly signer: TokenSigner,
    private readonly events: SessionEvents,
    private readonly options: SessionServiceOptions,
    /** Keeps the version of the code each run was made at (server/history). */
    private readonly history: Pick<HistoryRecorder, "atRun"> | null = null,
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

  /**
   * Seats an attendee. A name somebody in the session already has gets a suffix ("Ada (2)",
   * seat-name.ts); the answer carries the name as seated. Joins of one session choose names one at
   * a time, so two "Ada"s arriving together still differ.
   */
  async join(joinCode: string, wanted: string): Promise<Joined> {
    const session = await this.storage.getSessionByJoinCode(joinCode);
    if (!session) throw notFound("unknown_join_code", "no session has this join code");
    const pack = this.packOf(session);
    const participant = await this.joins.run(session.id, async () => {
      const taken = (await this.storage.listParticipants(session.id)).map((p) => p.name);
      const now = Date.now();
      const seated: ParticipantRecord = {
        id: newId(),
        sessionId: session.id,
        name: seatName(wanted, taken),
        workspaceId: newId(),
        joinedAt: now,
      };
      await this.storage.addParticipant(seated, {
        id: seated.workspaceId,
        sessionId: session.id,
        createdAt: now,
      });
      return seated;
    });
    const { name, joinedAt: now } = participant;
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
      name,
      token: this.signer.sign({
        sid: session.id,
        pid: participant.id,
        exp: now + this.options.tokenTtlMs,
      }),
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
    // The dashboard hears of the run as soon as it is stored; the history version linked to it
    // (another storage round trip, a delta against the last version) is kept before the POST
    // answers, so the reporter can open it, but nobody watching the class waits for it.
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
    await this.history?.atRun(session.id, run.workspaceId, report.taskId, run.id);
    return run;
  }

  /**
   * Every workspace's code (taskId → text) with the names of the people editing it, for export. A
   * workspace nobody edits any more (a pair member's own, left when pairing) is named after who ran
   * code in it, else after whoever joined with it, as "Bob (before pairing)".
   */
  async workspaceCode(session: SessionRecord): Promise<WorkspaceCode[]> {
    const [participants, workspaces, runs] = await Promise.all([
      this.storage.listParticipants(session.id),
      this.storage.listWorkspaces(session.id),
      this.storage.listRuns(session.id),
    ]);
    const nameOf = new Map(participants.map((p) => [p.id, p.name]));
    const out: WorkspaceCode[] = [];
    // One at a time: each read may load a doc from storage, and a big class has many.
    for (const w of workspaces) {
      const files = await this.rooms.read(workspaceDocName(session.id, w.id), (room) => readFiles(room.doc));
      let names = participants.filter((p) => p.workspaceId === w.id).map((p) => p.name);
      if (names.length === 0) {
        const ran = new Set(runs.filter((r) => r.workspaceId === w.id).map((r) => r.participantId));
        // A joining attendee's workspace is created in the same instant as its seat.
        if (ran.size === 0) for (const p of participants) if (p.joinedAt === w.createdAt) ran.add(p.id);
        const former = [...ran].flatMap((id) => nameOf.get(id) ?? []);
        if (former.length > 0) names = [`${unitName(former)} (before pairing)`];
      }
      out.push({ workspaceId: w.id, names, files });
    }
    return out;
  }

  private packOf(session: SessionRecord): Pack {
    return packOf(this.packs, session);
  }

  private async freeJoinCode(): Promise<string> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const code = newJoinCode();
      if (!(await this.storage.getSessionByJoinCode(code))) return code;
    }
    throw new Error("could not find a free join code");
  }
}
