/**
 * Workspace history for the API (docs/api.md "History"): who may read which workspace's versions,
 * the versions with their runs' outcomes, one version's text, restoring a version as a new edit,
 * and the JSON lines the export keeps.
 *
 * Roles: the host reads any workspace of its session; an attendee only the workspace it edits now
 * (its own, or its pair's), and restores only there. History is never rewritten: a restore is an
 * ordinary edit of the live doc, which the pair partner receives like any other and which the
 * recorder keeps as a new version.
 */
import { sessionDocName, workspaceDocName } from "../../contract/doc-names.js";
import {
  historyRun,
  type HistoryLine,
  type HistoryText,
  type HistoryVersion,
  type Restored,
  type WorkspaceHistory,
} from "../../contract/history.js";
import { isLocked, workspaceFiles } from "../../contract/session-doc.js";
import { conflict, forbidden, notFound } from "../errors.js";
import type { Principal } from "../session/access.js";
import { textDelta } from "../storage/history.js";
import type { RunRecord, SessionRecord, SnapshotInfo, RecordStore } from "../storage/types.js";
import type { RoomRegistry } from "../sync/registry.js";
import * as Y from "yjs";

export class HistoryService {
  constructor(
    private readonly storage: RecordStore,
    private readonly rooms: RoomRegistry,
  ) {}

  /** The workspace's versions, oldest first, each with its run's outcome. */
  async versions(caller: Principal, workspaceId: string): Promise<WorkspaceHistory> {
    await this.mayRead(caller, workspaceId);
    return this.versionsOf(caller.session, workspaceId);
  }

  /** The same for a summary share link's reader (checked by the summary service). */
  async versionsOf(session: SessionRecord, workspaceId: string): Promise<WorkspaceHistory> {
    await this.workspaceOf(session, workspaceId);
    const [snapshots, runs] = await Promise.all([
      this.storage.listSnapshots(session.id, workspaceId),
      this.storage.listWorkspaceRuns(session.id, workspaceId),
    ]);
    const byId = new Map(runs.map((r) => [r.id, r]));
    return { workspaceId, versions: snapshots.map((s) => version(s, byId)) };
  }

  /** One version with its text. */
  async text(caller: Principal, workspaceId: string, versionId: number): Promise<HistoryText> {
    await this.mayRead(caller, workspaceId);
    return this.textOf(caller.session, workspaceId, versionId);
  }

  async textOf(session: SessionRecord, workspaceId: string, versionId: number): Promise<HistoryText> {
    await this.workspaceOf(session, workspaceId);
    const snapshot = await this.storage.getSnapshot(session.id, workspaceId, versionId);
    if (!snapshot) throw notFound("unknown_version", "the workspace has no such version");
    const runs = snapshot.runId === null ? [] : await this.storage.listWorkspaceRuns(session.id, workspaceId);
    const byId = new Map(runs.map((r) => [r.id, r]));
    return { ...version(snapshot, byId), text: snapshot.text };
  }

  /**
   * Makes the version's text the file's current text, as one server edit of the live doc (the
   * changed lines only, so concurrent edits to other lines survive). Attendees only, in
   * their own workspace, and not while the host has locked editing.
   */
  async restore(
    caller: Principal & { role: "attendee" },
    workspaceId: string,
    versionId: number,
  ): Promise<Restored> {
    await this.mayRead(caller, workspaceId);
    const { session } = caller;
    const snapshot = await this.storage.getSnapshot(session.id, workspaceId, versionId);
    if (!snapshot) throw notFound("unknown_version", "the workspace has no such version");
    if (await this.rooms.read(sessionDocName(session.id), (room) => isLocked(room.doc))) {
      throw conflict("locked", "the host has locked editing");
    }
    let length = 0;
    await this.rooms.change(workspaceDocName(session.id, workspaceId), (room) => {
      const files = workspaceFiles(room.doc);
      let text = files.get(snapshot.file);
      if (!text) {
        text = new Y.Text();
        files.set(snapshot.file, text);
      }
      let at = 0;
      for (const op of textDelta(text.toString(), snapshot.text)) {
        if (typeof op === "string") {
          text.insert(at, op);
          at += op.length;
        } else if (op > 0) at += op;
        else text.delete(at, -op);
      }
      length = text.length;
    });
    return { versionId, file: snapshot.file, length };
  }

  /** Every version of a workspace as export lines (time, run id, file, text), oldest first. */
  async lines(session: SessionRecord, workspaceId: string): Promise<HistoryLine[]> {
    return (await this.storage.loadHistory(session.id, workspaceId)).map((s) => ({
      at: s.at,
      runId: s.runId,
      file: s.file,
      text: s.text,
    }));
  }

  /** 404 for a workspace the session does not have; 403 for an attendee's other workspace. */
  private async mayRead(caller: Principal, workspaceId: string): Promise<void> {
    if (caller.role === "attendee" && caller.participant.workspaceId !== workspaceId) {
      throw forbidden("this workspace belongs to someone else");
    }
    await this.workspaceOf(caller.session, workspaceId);
  }

  private async workspaceOf(session: SessionRecord, workspaceId: string): Promise<void> {
    if (!(await this.storage.getWorkspace(session.id, workspaceId))) {
      throw notFound("unknown_workspace", "the session has no such workspace");
    }
  }
}

function version(s: SnapshotInfo, runs: ReadonlyMap<number, RunRecord>): HistoryVersion {
  const run = s.runId === null ? undefined : runs.get(s.runId);
  return {
    id: s.id,
    file: s.file,
    at: s.at,
    runId: s.runId,
    run: run ? historyRun(run.id, run.report) : null,
    length: s.length,
  };
}
