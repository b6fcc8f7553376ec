/**
 * Hints and solutions: the host reveals a task's next hint or its reference solution to everyone
 * or to one participant; attendees ask for a hint and the host sees the request.
 *
 * Reveals are stored server-side and only ever served to the attendees they were meant for, through
 * `GET /api/sessions/:sid/tasks`. So the room knows when to fetch again, the server bumps a counter
 * in the session doc's `reveals` map (key: the participant id, or "*" for everyone); the counter
 * says nothing about the content, which stays off the session doc every attendee can read.
 */
import { conflict, invalid, notFound } from "../errors.js";
import type { HintRequestView, RevealedTask, RevealRequest } from "../../contract/api.js";
import { signalReveal } from "../../contract/session-doc.js";
import { type Pack, publicTask, type Task } from "../packs/format.js";
import type { Packs } from "../packs/shelf.js";
import { sessionDocName } from "../../contract/doc-names.js";
import type { SessionEvents } from "../session/events.js";
import type { Principal } from "../session/access.js";
import type { HintRequestRecord, RevealRecord, SessionRecord, RecordStore } from "../storage/types.js";
import type { RoomRegistry } from "../sync/registry.js";

export type { HintRequestView, RevealedTask, RevealRequest };

const seenBy = (reveal: RevealRecord, participantId: string | null) =>
  reveal.participantId === null || reveal.participantId === participantId;

export class HintService {
  constructor(
    private readonly storage: RecordStore,
    private readonly rooms: RoomRegistry,
    private readonly packs: Packs,
    private readonly events: SessionEvents,
  ) {}

  /** Reveals the next hint (409 `no_more_hints` past the last) or the solution; returns what was revealed. */
  async reveal(session: SessionRecord, body: RevealRequest): Promise<RevealRecord & { text: string }> {
    const task = this.taskOf(session, body.taskId);
    const participantId = body.participantId ?? null;
    if (participantId !== null && !(await this.storage.getParticipant(session.id, participantId))) {
      throw notFound("unknown_participant", "the session has no such participant");
    }
    let hintIndex: number | null = null;
    if (body.kind === "hint") {
      const reveals = await this.storage.listReveals(session.id);
      hintIndex = this.hintsSeen(reveals, task.id, participantId);
      if (hintIndex >= task.hints.length) {
        throw conflict(
          "no_more_hints",
          task.hints.length === 0
            ? "this task has no hints"
            : `all ${task.hints.length} hints are already revealed${participantId ? " to this participant" : ""}`,
        );
      }
    }
    const reveal = await this.storage.addReveal({
      sessionId: session.id,
      taskId: task.id,
      kind: body.kind,
      hintIndex,
      participantId,
      at: Date.now(),
    });
    await this.rooms.change(sessionDocName(session.id), (room) => {
      signalReveal(room.doc, participantId ?? null, reveal.id);
    });
    this.events.publish(session.id, { type: "reveal", data: reveal });
    return { ...reveal, text: hintIndex === null ? task.solution : task.hints[hintIndex]! };
  }

  /** The pack's tasks as `principal` may see them: the host gets what everyone has been shown. */
  async tasksFor(principal: Principal): Promise<RevealedTask[]> {
    const pack = this.packOf(principal.session);
    const reveals = await this.storage.listReveals(principal.session.id);
    const who = principal.role === "attendee" ? principal.participant.id : null;
    return pack.tasks.map((task) => {
      const mine = reveals.filter((r) => r.taskId === task.id && seenBy(r, who));
      const shown = this.hintsSeen(reveals, task.id, who);
      return {
        ...publicTask(task),
        revealedHints: task.hints.slice(0, shown),
        ...(mine.some((r) => r.kind === "solution") ? { solution: task.solution } : {}),
      };
    });
  }

  async requestHint(principal: Principal & { role: "attendee" }, taskId: string): Promise<HintRequestRecord> {
    const { session, participant } = principal;
    const task = this.taskOf(session, taskId);
    const request = await this.storage.addHintRequest({
      sessionId: session.id,
      participantId: participant.id,
      taskId: task.id,
      at: Date.now(),
    });
    this.events.publish(session.id, { type: "hint-request", data: { ...request, name: participant.name } });
    return request;
  }

  /** Every hint request of the session, oldest first, with the asker's name and whether it was answered. */
  async hintRequests(session: SessionRecord): Promise<HintRequestView[]> {
    const [requests, reveals, participants] = await Promise.all([
      this.storage.listHintRequests(session.id),
      this.storage.listReveals(session.id),
      this.storage.listParticipants(session.id),
    ]);
    const names = new Map(participants.map((p) => [p.id, p.name]));
    return requests.map((r) => ({
      ...r,
      name: names.get(r.participantId) ?? "",
      answered: reveals.some((v) => v.taskId === r.taskId && v.at >= r.at && seenBy(v, r.participantId)),
    }));
  }

  /** How many of a task's hints `participantId` (null: everyone) has been shown. */
  private hintsSeen(reveals: readonly RevealRecord[], taskId: string, participantId: string | null): number {
    let seen = 0;
    for (const r of reveals) {
      if (r.taskId !== taskId || r.kind !== "hint" || r.hintIndex === null) continue;
      if (participantId === null ? r.participantId === null : seenBy(r, participantId)) {
        seen = Math.max(seen, r.hintIndex + 1);
      }
    }
    return seen;
  }

  private packOf(session: SessionRecord): Pack {
    const pack = this.packs.get(session.packId);
    if (!pack) throw notFound("unknown_pack", `the session's pack "${session.packId}" is not installed`);
    return pack;
  }

  private taskOf(session: SessionRecord, taskId: string): Task {
    const task = this.packOf(session).tasks.find((t) => t.id === taskId);
    if (!task) throw invalid("unknown_task", `the session's pack has no task "${taskId}"`);
    return task;
  }
}
