/**
 * Pairing: two participants share one workspace doc (a workspace doc holds the code of one attendee
 * or one pair; docs/api.md, "Pairing"). Pairing A with B keeps A's workspace and points B at it (B's own stays stored);
 * unpairing gives B a new workspace seeded with a copy of every file, so both keep the code.
 *
 * Membership lives in storage (each participant's current workspace decides what it may open);
 * the session doc mirrors it for the clients: each roster entry's `workspaceId`, and
 * `Y.Map "pairs"`: workspaceId → {@link PairState}. Only the server writes either.
 *
 * Changes to one session's pairs run one at a time on this instance (room affinity keeps a session
 * on one instance), so two requests cannot pair the same person twice.
 */
import { newId } from "../session/ids.js";
import { SerialQueues } from "../session/serial.js";
import { conflict, invalid, notFound } from "../errors.js";
import type { Logger } from "../logger.js";
import type { Packs } from "../packs/shelf.js";
import type { SessionEvents } from "../session/events.js";
import type { AutoPairResult, PairState, PairView, PlannedPair } from "../../contract/api.js";
import { sessionDocName, workspaceDocName } from "../../contract/doc-names.js";
import {
  deletePair,
  readFiles,
  readMeta,
  readPairState,
  seedFiles,
  sessionDoc,
  setPair,
  setRosterWorkspace,
} from "../../contract/session-doc.js";
import type { PairPlan, ParticipantRecord, SessionRecord, RecordStore } from "../storage/types.js";
import { CloseCode } from "../sync/connection.js";
import { disconnectPrincipal } from "../sync/disconnect.js";
import type { RoomRegistry } from "../sync/registry.js";
import { pairEnds, pairNeighbours, progressOn, rankByProgress, shuffled, type Pairing } from "./auto.js";
import { normaliseName } from "./name-list.js";

export type { AutoPairResult, PairState, PairView };
/** One line of the pair plan with how far it got. */
export type PlannedPairView = PlannedPair;

export class PairingService {
  private readonly queues = new SerialQueues();

  constructor(
    private readonly storage: RecordStore,
    private readonly rooms: RoomRegistry,
    private readonly packs: Packs,
    private readonly events: SessionEvents,
    private readonly log: Logger,
  ) {
    // A moved member's connections to the workspace it left are closed wherever they are held:
    // here, and (through the relay) on every other instance.
    events.subscribeAll((sessionId, event) => {
      if (event.type !== "pairs" || !event.data.moved) return;
      const { participantId, fromWorkspaceId } = event.data.moved;
      disconnectPrincipal(
        this.rooms,
        workspaceDocName(sessionId, fromWorkspaceId),
        participantId,
        CloseCode.workspaceChanged,
        event.data.change === "paired"
          ? "paired: you now work in your pair's workspace"
          : "unpaired: your copy of the code is in a new workspace",
      );
    });
  }

  /** Every pair of the session with its members' names. */
  async list(session: SessionRecord): Promise<PairView[]> {
    const [pairs, participants] = await Promise.all([
      this.readPairs(session.id),
      this.storage.listParticipants(session.id),
    ]);
    return [...pairs].map(([workspaceId, state]) => this.view(workspaceId, state, participants));
  }

  /** Pairs two participants by hand: the first one's workspace is kept, the first one drives. */
  pair(session: SessionRecord, ids: [string, string], swapEveryMinutes: number | null): Promise<PairView> {
    return this.serial(session.id, async () => {
      const [a, b] = await this.pairable(session, ids);
      return this.join(session, a, b, a.id, swapEveryMinutes);
    });
  }

  /**
   * Pairs every unpaired participant: "random", or "mixed" (by progress on `taskId`, by default the
   * room's current task: the fastest with the slowest, the slower one driving in the faster one's
   * workspace). With an odd count one stays solo.
   */
  auto(
    session: SessionRecord,
    mode: "random" | "mixed",
    taskId: string | undefined,
    swapEveryMinutes: number | null,
  ): Promise<AutoPairResult> {
    return this.serial(session.id, async () => {
      const [participants, pairs] = await Promise.all([
        this.storage.listParticipants(session.id),
        this.readPairs(session.id),
      ]);
      const paired = new Set([...pairs.values()].flatMap((p) => p.members));
      const solo = participants.filter((p) => !paired.has(p.id));
      let pairing: Pairing<ParticipantRecord>;
      let rankedTask: string | undefined;
      if (mode === "random") {
        pairing = pairNeighbours(shuffled(solo));
      } else {
        rankedTask = await this.taskFor(session, taskId);
        const progress = progressOn(solo, await this.storage.listRuns(session.id), rankedTask);
        pairing = pairEnds(rankByProgress(solo, progress));
      }
      const made: PairView[] = [];
      for (const [fast, slow] of pairing.pairs) {
        // Mixed: keep the further code, and let the one who needs the practice type.
        made.push(
          await this.join(session, fast, slow, mode === "mixed" ? slow.id : fast.id, swapEveryMinutes),
        );
      }
      return {
        mode,
        ...(rankedTask ? { taskId: rankedTask } : {}),
        pairs: made,
        solo: pairing.solo ? { participantId: pairing.solo.id, name: pairing.solo.name } : null,
      };
    });
  }

  /** Ends the pair working in `workspaceId`: the first member keeps it, the other gets a copy. */
  unpair(session: SessionRecord, workspaceId: string): Promise<{ workspaceIds: Record<string, string> }> {
    return this.serial(session.id, async () => {
      const state = (await this.readPairs(session.id)).get(workspaceId);
      if (!state) throw notFound("not_paired", "no pair works in this workspace");
      const [keeper, leaver] = state.members;
      const pairDoc = workspaceDocName(session.id, workspaceId);
      const files = await this.rooms.read(pairDoc, (room) => Object.entries(readFiles(room.doc)));
      const copyId = newId();
      const moved = await this.storage.moveParticipant(session.id, leaver, copyId, {
        id: copyId,
        sessionId: session.id,
        createdAt: Date.now(),
      });
      if (!moved) throw notFound("unknown_participant", "the pair's second member is not in this session");
      await this.rooms.change(workspaceDocName(session.id, copyId), (room) => {
        seedFiles(room.doc, files);
      });
      await this.rooms.change(sessionDocName(session.id), (room) => {
        setRosterWorkspace(room.doc, leaver, copyId);
        deletePair(room.doc, workspaceId);
      });
      await this.rooms.flush();
      this.events.publish(session.id, {
        type: "pairs",
        data: {
          change: "unpaired",
          workspaceId,
          moved: { participantId: leaver, fromWorkspaceId: workspaceId },
        },
      });
      this.log.info({ sessionId: session.id, workspaceId, copyId }, "pair ended");
      return { workspaceIds: { [keeper]: workspaceId, [leaver]: copyId } };
    });
  }

  /** The navigator drives now, and the swap reminder starts again. */
  swap(session: SessionRecord, workspaceId: string): Promise<PairView> {
    return this.serial(session.id, async () => {
      const state = (await this.readPairs(session.id)).get(workspaceId);
      if (!state) throw notFound("not_paired", "no pair works in this workspace");
      const next: PairState = {
        ...state,
        driver: state.members[0] === state.driver ? state.members[1] : state.members[0],
        swappedAt: Date.now(),
      };
      await this.rooms.change(sessionDocName(session.id), (room) => setPair(room.doc, workspaceId, next));
      await this.rooms.flush();
      this.events.publish(session.id, { type: "pairs", data: { change: "swapped", workspaceId } });
      return this.view(workspaceId, next, await this.storage.listParticipants(session.id));
    });
  }

  /** Replaces the plan and pairs whoever of it is already here. */
  async setPlan(session: SessionRecord, plan: PairPlan): Promise<PlannedPairView[]> {
    await this.storage.setPairPlan(session.id, plan);
    await this.applyPlan(session);
    return this.plan(session);
  }

  /** The plan with who is paired and who is still missing. */
  async plan(session: SessionRecord): Promise<PlannedPairView[]> {
    const [plan, participants, pairs] = await Promise.all([
      this.storage.getPairPlan(session.id),
      this.storage.listParticipants(session.id),
      this.readPairs(session.id),
    ]);
    const pairOf = new Map<string, string>();
    for (const [workspaceId, state] of pairs) for (const m of state.members) pairOf.set(m, workspaceId);
    return plan.map((names) => {
      const found = names.map((n) => participants.filter((p) => normaliseName(p.name) === normaliseName(n)));
      const missing = names.filter((_, i) => found[i]!.length === 0);
      // Both here and working in the same pair, under any of their same-named seats.
      let workspaceId: string | null = null;
      for (const a of found[0]!)
        for (const b of found[1]!)
          if (pairOf.has(a.id) && pairOf.get(a.id) === pairOf.get(b.id)) workspaceId = pairOf.get(a.id)!;
      const status = workspaceId ? "paired" : missing.length > 0 ? "waiting" : "taken";
      return { names, status, missing, workspaceId };
    });
  }

  /**
   * Pairs every planned pair whose members have both joined and are still unpaired (called after
   * each join and when the plan changes). Returns the participants it paired.
   */
  applyPlan(session: SessionRecord): Promise<string[]> {
    return this.serial(session.id, async () => {
      const plan = await this.storage.getPairPlan(session.id);
      if (plan.length === 0) return [];
      const [participants, pairs] = await Promise.all([
        this.storage.listParticipants(session.id),
        this.readPairs(session.id),
      ]);
      const taken = new Set([...pairs.values()].flatMap((p) => p.members));
      // The earliest unpaired seat under a name (two browsers may have joined as "Ada").
      const seat = (name: string) =>
        participants.find((p) => !taken.has(p.id) && normaliseName(p.name) === normaliseName(name));
      const paired: string[] = [];
      for (const [first, second] of plan) {
        const a = seat(first);
        const b = seat(second);
        if (!a || !b) continue;
        // Whoever joined first keeps their workspace (they may have typed); the plan's first name drives.
        const [owner, joiner] = a.joinedAt <= b.joinedAt ? [a, b] : [b, a];
        await this.join(session, owner, joiner, a.id, null);
        taken.add(a.id).add(b.id);
        paired.push(a.id, b.id);
      }
      return paired;
    });
  }

  /**
   * Applies the plan once `participantId` has joined; returns its workspace when that changed (it
   * was paired into a partner's), else null.
   */
  async afterJoin(sessionId: string, participantId: string): Promise<string | null> {
    const session = await this.storage.getSession(sessionId);
    if (!session) return null;
    if (!(await this.applyPlan(session)).includes(participantId)) return null;
    return (await this.storage.getParticipant(sessionId, participantId))?.workspaceId ?? null;
  }

  /** The two participants, if they can be paired now. */
  private async pairable(
    session: SessionRecord,
    [first, second]: [string, string],
  ): Promise<[ParticipantRecord, ParticipantRecord]> {
    if (first === second) throw invalid("same_participant", "a pair needs two different participants");
    const [a, b] = await Promise.all([
      this.storage.getParticipant(session.id, first),
      this.storage.getParticipant(session.id, second),
    ]);
    for (const [id, p] of [
      [first, a],
      [second, b],
    ] as const) {
      if (!p) throw notFound("unknown_participant", `the session has no participant "${id.slice(0, 64)}"`);
    }
    const pairs = await this.readPairs(session.id);
    for (const p of [a!, b!]) {
      if ([...pairs.values()].some((s) => s.members.includes(p.id))) {
        throw conflict("already_paired", `${p.name} is already paired; unpair them first`);
      }
    }
    return [a!, b!];
  }

  /** Points `joiner` at `owner`'s workspace and records the pair (caller holds the session's turn). */
  private async join(
    session: SessionRecord,
    owner: ParticipantRecord,
    joiner: ParticipantRecord,
    driver: string,
    swapEveryMinutes: number | null,
  ): Promise<PairView> {
    const workspaceId = owner.workspaceId;
    if (!(await this.storage.moveParticipant(session.id, joiner.id, workspaceId))) {
      throw notFound("unknown_participant", `the session has no participant "${joiner.id}"`);
    }
    const state: PairState = {
      members: [owner.id, joiner.id],
      driver,
      swapEveryMinutes,
      swappedAt: Date.now(),
    };
    await this.rooms.change(sessionDocName(session.id), (room) => {
      setRosterWorkspace(room.doc, joiner.id, workspaceId);
      setPair(room.doc, workspaceId, state);
    });
    await this.rooms.flush();
    // The joiner's room follows its roster entry to the pair's doc; its old connection goes.
    this.events.publish(session.id, {
      type: "pairs",
      data: {
        change: "paired",
        workspaceId,
        moved: { participantId: joiner.id, fromWorkspaceId: joiner.workspaceId },
      },
    });
    this.log.info({ sessionId: session.id, workspaceId }, "pair made");
    return {
      workspaceId,
      ...state,
      names: [owner.name, joiner.name],
    };
  }

  private async readPairs(sessionId: string): Promise<Map<string, PairState>> {
    return this.rooms.read(sessionDocName(sessionId), (room) => {
      const out = new Map<string, PairState>();
      for (const [workspaceId, value] of sessionDoc.pairs(room.doc)) {
        const state = readPairState(value);
        if (state) out.set(workspaceId, state);
      }
      return out;
    });
  }

  private view(workspaceId: string, state: PairState, participants: ParticipantRecord[]): PairView {
    const name = (id: string) => participants.find((p) => p.id === id)?.name ?? "";
    return { workspaceId, ...state, names: [name(state.members[0]), name(state.members[1])] };
  }

  private async taskFor(session: SessionRecord, taskId: string | undefined): Promise<string> {
    const pack = this.packs.get(session.packId);
    const current = await this.rooms.read(
      sessionDocName(session.id),
      (room) => readMeta(sessionDoc.meta(room.doc)).taskId,
    );
    const chosen = taskId ?? current ?? pack?.tasks[0]?.id;
    if (!chosen || !pack?.tasks.some((t) => t.id === chosen)) {
      throw invalid("unknown_task", `the session's pack has no task "${String(chosen).slice(0, 64)}"`);
    }
    return chosen;
  }

  /** Runs `work` after every earlier change to the session's pairs has finished. */
  private serial<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    return this.queues.run(sessionId, work);
  }
}
