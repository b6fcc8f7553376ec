/**
 * The behaviour every Storage implementation must have, as a reusable suite:
 * `storageContract("sqlite", () => new SqliteStorage(":memory:"))`, and later the same for Postgres.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { RunReport } from "../../../contract/run-report.js";
import { KEYFRAME_EVERY } from "../history.js";
import type { SessionRecord, Storage } from "../types.js";

let counter = 0;
/** Ids unique across runs, so a shared database (Postgres) needs no cleanup between tests. */
const uid = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

const report = (taskId: string): RunReport => ({
  taskId,
  status: "ok",
  checks: [{ name: "c1", passed: true }],
  metrics: { loss: [1, 0.5] },
  durationMs: 12,
});

export function storageContract(name: string, makeStorage: () => Promise<Storage> | Storage): void {
  describe(`Storage contract: ${name}`, () => {
    let storage: Storage;
    let session: SessionRecord;

    beforeEach(async () => {
      storage = await makeStorage();
      session = {
        id: uid("s"),
        packId: "demo",
        title: "Demo",
        joinCode: uid("J").slice(-12).toUpperCase(),
        hostKeyHash: "ab".repeat(32),
        createdAt: 1000,
      };
      await storage.records.createSession(session);
    });

    afterEach(async () => {
      await storage.close();
    });

    it("stores sessions and finds them by id and by join code", async () => {
      expect(await storage.records.getSession(session.id)).toEqual(session);
      expect(await storage.records.getSessionByJoinCode(session.joinCode)).toEqual(session);
      expect(await storage.records.getSession("nope")).toBeNull();
      expect(await storage.records.getSessionByJoinCode("NOPE42")).toBeNull();
    });

    it("refuses a second session with the same join code", async () => {
      await expect(storage.records.createSession({ ...session, id: uid("s") })).rejects.toThrow();
    });

    it("adds participants with their workspaces and lists them in join order", async () => {
      const sid = session.id;
      await storage.records.addParticipant(
        { id: "p1", sessionId: sid, name: "Ada", workspaceId: "w1", joinedAt: 1 },
        { id: "w1", sessionId: sid, createdAt: 1 },
      );
      await storage.records.addParticipant(
        { id: "p2", sessionId: sid, name: "Alan", workspaceId: "w2", joinedAt: 2 },
        { id: "w2", sessionId: sid, createdAt: 2 },
      );
      expect((await storage.records.listParticipants(sid)).map((p) => p.name)).toEqual(["Ada", "Alan"]);
      expect(await storage.records.getParticipant(sid, "p2")).toMatchObject({
        name: "Alan",
        workspaceId: "w2",
      });
      expect(await storage.records.getParticipant(sid, "p3")).toBeNull();
      expect(await storage.records.getWorkspace(sid, "w1")).toEqual({
        id: "w1",
        sessionId: sid,
        createdAt: 1,
      });
      expect(await storage.records.getWorkspace(sid, "w9")).toBeNull();
      expect((await storage.records.listWorkspaces(sid)).map((w) => w.id)).toEqual(["w1", "w2"]);
      expect(await storage.records.listParticipants(uid("other"))).toEqual([]);
    });

    it("reads a credential check's session, participant and workspace in one call", async () => {
      const sid = session.id;
      await storage.records.addParticipant(
        { id: "p1", sessionId: sid, name: "Ada", workspaceId: "w1", joinedAt: 1 },
        { id: "w1", sessionId: sid, createdAt: 1 },
      );
      const p1 = await storage.records.getParticipant(sid, "p1");
      const w1 = await storage.records.getWorkspace(sid, "w1");
      expect(await storage.records.getAccessRecords(sid, "p1", "w1")).toEqual({
        session,
        participant: p1,
        workspace: w1,
      });
      expect(await storage.records.getAccessRecords(sid, null, null)).toEqual({
        session,
        participant: null,
        workspace: null,
      });
      expect(await storage.records.getAccessRecords(sid, "p9", "w9")).toEqual({
        session,
        participant: null,
        workspace: null,
      });
      // Participant and workspace only of the session asked for.
      expect(await storage.records.getAccessRecords(uid("other"), "p1", "w1")).toEqual({
        session: null,
        participant: null,
        workspace: null,
      });
    });

    it("adds a participant and its workspace all or nothing", async () => {
      const sid = session.id;
      await storage.records.addParticipant(
        { id: "p1", sessionId: sid, name: "Ada", workspaceId: "w1", joinedAt: 1 },
        { id: "w1", sessionId: sid, createdAt: 1 },
      );
      // Same participant id again: the workspace insert must roll back too.
      await expect(
        storage.records.addParticipant(
          { id: "p1", sessionId: sid, name: "Ada", workspaceId: "w2", joinedAt: 2 },
          { id: "w2", sessionId: sid, createdAt: 2 },
        ),
      ).rejects.toThrow();
      expect(await storage.records.getWorkspace(sid, "w2")).toBeNull();
    });

    it("moves a participant to another workspace, creating it when asked, all or nothing", async () => {
      const sid = session.id;
      await storage.records.addParticipant(
        { id: "p1", sessionId: sid, name: "Ada", workspaceId: "w1", joinedAt: 1 },
        { id: "w1", sessionId: sid, createdAt: 1 },
      );
      await storage.records.addParticipant(
        { id: "p2", sessionId: sid, name: "Alan", workspaceId: "w2", joinedAt: 2 },
        { id: "w2", sessionId: sid, createdAt: 2 },
      );
      // A credential check reads Alan in his own workspace (a store may keep what it read)...
      expect((await storage.records.getAccessRecords(sid, "p2", "w2")).participant).toMatchObject({
        workspaceId: "w2",
      });
      // Pairing: Alan moves into Ada's workspace; his own stays stored.
      expect(await storage.records.moveParticipant(sid, "p2", "w1")).toBe(true);
      expect(await storage.records.getParticipant(sid, "p2")).toMatchObject({ workspaceId: "w1" });
      // ...and the next check sees the move.
      expect((await storage.records.getAccessRecords(sid, "p2", "w2")).participant).toMatchObject({
        workspaceId: "w1",
      });
      expect((await storage.records.listWorkspaces(sid)).map((w) => w.id)).toEqual(["w1", "w2"]);
      // Unpairing: Alan gets a new workspace.
      expect(
        await storage.records.moveParticipant(sid, "p2", "w3", { id: "w3", sessionId: sid, createdAt: 3 }),
      ).toBe(true);
      expect(await storage.records.getParticipant(sid, "p2")).toMatchObject({ workspaceId: "w3" });
      expect((await storage.records.getAccessRecords(sid, "p2", "w1")).participant).toMatchObject({
        workspaceId: "w3",
      });
      expect(await storage.records.getParticipant(sid, "p1")).toMatchObject({ workspaceId: "w1" });
      expect(await storage.records.getWorkspace(sid, "w3")).toEqual({
        id: "w3",
        sessionId: sid,
        createdAt: 3,
      });
      // No such participant: false, and the workspace is not created.
      expect(
        await storage.records.moveParticipant(sid, "p9", "w4", { id: "w4", sessionId: sid, createdAt: 4 }),
      ).toBe(false);
      expect(await storage.records.getWorkspace(sid, "w4")).toBeNull();
      expect(await storage.records.moveParticipant(uid("other"), "p1", "w2")).toBe(false);
      expect(await storage.records.getParticipant(sid, "p1")).toMatchObject({ workspaceId: "w1" });
      // A workspace id already taken: the move is rolled back too.
      await expect(
        storage.records.moveParticipant(sid, "p1", "w2", { id: "w2", sessionId: sid, createdAt: 5 }),
      ).rejects.toThrow();
      expect(await storage.records.getParticipant(sid, "p1")).toMatchObject({ workspaceId: "w1" });
    });

    it("stores and replaces a session's pair plan", async () => {
      const sid = session.id;
      expect(await storage.records.getPairPlan(sid)).toEqual([]);
      await storage.records.setPairPlan(sid, [
        ["Ada", "Grace"],
        ["Alan", "Édouard"],
      ]);
      expect(await storage.records.getPairPlan(sid)).toEqual([
        ["Ada", "Grace"],
        ["Alan", "Édouard"],
      ]);
      await storage.records.setPairPlan(sid, [["Ken", "Barbara"]]);
      expect(await storage.records.getPairPlan(sid)).toEqual([["Ken", "Barbara"]]);
      await storage.records.setPairPlan(sid, []);
      expect(await storage.records.getPairPlan(sid)).toEqual([]);
      expect(await storage.records.getPairPlan(uid("other"))).toEqual([]);
    });

    it("stores run reports in order with ids", async () => {
      const sid = session.id;
      const a = await storage.records.addRun({
        sessionId: sid,
        participantId: "p1",
        workspaceId: "w1",
        report: report("t1"),
        at: 5,
      });
      const b = await storage.records.addRun({
        sessionId: sid,
        participantId: "p1",
        workspaceId: "w1",
        report: report("t2"),
        at: 6,
      });
      expect(b.id).toBeGreaterThan(a.id);
      const runs = await storage.records.listRuns(sid);
      expect(runs.map((r) => r.report.taskId)).toEqual(["t1", "t2"]);
      expect(runs[0]).toEqual(a);
      const other = await storage.records.addRun({
        sessionId: sid,
        participantId: "p2",
        workspaceId: "w2",
        report: report("t1"),
        at: 7,
      });
      const c = await storage.records.addRun({
        sessionId: sid,
        participantId: "p2",
        workspaceId: "w1",
        report: report("t3"),
        at: 8,
      });
      expect(await storage.records.listWorkspaceRuns(sid, "w1")).toEqual([a, b, c]);
      expect(await storage.records.listWorkspaceRuns(sid, "w2")).toEqual([other]);
      expect(await storage.records.listWorkspaceRuns(sid, "w9")).toEqual([]);
      expect(await storage.records.listWorkspaceRuns("another session", "w1")).toEqual([]);
    });

    it("stores verifications in order with ids, per session", async () => {
      const sid = session.id;
      const failed = await storage.records.addVerification({
        sessionId: sid,
        workspaceId: "w1",
        taskId: "t1",
        requestedBy: "host",
        result: {
          status: "ok",
          checks: [
            { name: "visible", passed: true },
            { name: "hidden", passed: false, message: "expected 4, got 4.6", hidden: true },
          ],
          durationMs: 30,
          verified: false,
        },
        at: 7,
      });
      const passed = await storage.records.addVerification({
        sessionId: sid,
        workspaceId: "w1",
        taskId: "t1",
        requestedBy: "p1",
        result: {
          status: "error",
          checks: [],
          error: { kind: "limit", limit: "time", message: "too slow" },
          durationMs: 5000,
          verified: false,
        },
        at: 8,
      });
      expect(passed.id).toBeGreaterThan(failed.id);
      const all = await storage.records.listVerifications(sid);
      expect(all).toEqual([failed, passed]);
      expect(await storage.records.listVerifications(uid("other"))).toEqual([]);
    });

    it("stores reveals and hint requests in order, per session", async () => {
      const sid = session.id;
      const toAll = await storage.records.addReveal({
        sessionId: sid,
        taskId: "t1",
        kind: "hint",
        hintIndex: 0,
        participantId: null,
        at: 1,
      });
      const toOne = await storage.records.addReveal({
        sessionId: sid,
        taskId: "t1",
        kind: "solution",
        hintIndex: null,
        participantId: "p1",
        at: 2,
      });
      expect(toOne.id).toBeGreaterThan(toAll.id);
      expect(await storage.records.listReveals(sid)).toEqual([toAll, toOne]);
      const asked = await storage.records.addHintRequest({
        sessionId: sid,
        participantId: "p1",
        taskId: "t1",
        at: 3,
      });
      expect(await storage.records.listHintRequests(sid)).toEqual([asked]);
      expect(await storage.records.listReveals(uid("other"))).toEqual([]);
      expect(await storage.records.listHintRequests(uid("other"))).toEqual([]);
    });

    it("stores questions and marks them done once", async () => {
      const sid = session.id;
      const q1 = await storage.records.addQuestion({
        sessionId: sid,
        participantId: "p1",
        text: "Why 2?",
        at: 1,
      });
      const q2 = await storage.records.addQuestion({
        sessionId: sid,
        participantId: "p2",
        text: "lr?",
        at: 2,
      });
      expect(q1).toMatchObject({ doneAt: null, text: "Why 2?" });
      expect(q2.id).toBeGreaterThan(q1.id);
      expect(await storage.records.markQuestionDone(sid, q1.id, 10)).toEqual({ ...q1, doneAt: 10 });
      // Marking again keeps the first time.
      expect(await storage.records.markQuestionDone(sid, q1.id, 20)).toEqual({ ...q1, doneAt: 10 });
      expect(await storage.records.markQuestionDone(uid("other"), q2.id, 10)).toBeNull();
      expect(await storage.records.markQuestionDone(sid, 999_999_999, 10)).toBeNull();
      expect(await storage.records.listQuestions(sid)).toEqual([{ ...q1, doneAt: 10 }, q2]);
    });

    it("appends, loads and compacts a doc's update log", async () => {
      const doc = `workspace/${session.id}/w1`;
      const other = `workspace/${session.id}/w2`;
      const ydoc = new Y.Doc();
      const updates: Uint8Array[] = [];
      ydoc.on("update", (u: Uint8Array) => updates.push(u));
      const text = ydoc.getText("t");
      for (const ch of "hello") text.insert(text.length, ch);
      await storage.documents.appendUpdates(updates.map((update) => ({ doc, update })));
      await storage.documents.appendUpdates([{ doc: other, update: updates[0]! }]);
      expect(await storage.documents.countUpdates(doc)).toBe(5);

      const log = await storage.documents.loadDoc(doc);
      expect(log.updates.map((u) => Array.from(u))).toEqual(updates.map((u) => Array.from(u)));

      await storage.documents.compactDoc(doc, Y.mergeUpdates(log.updates), log.lastSeq);
      text.insert(5, "!");
      await storage.documents.appendUpdates([{ doc, update: updates[5]! }]);
      expect(await storage.documents.countUpdates(doc)).toBe(2);

      const restored = new Y.Doc();
      for (const u of (await storage.documents.loadDoc(doc)).updates) Y.applyUpdate(restored, u);
      expect(restored.getText("t").toString()).toBe("hello!");
      expect(await storage.documents.countUpdates(other)).toBe(1);
      expect(await storage.documents.loadDoc("never/written")).toEqual({ updates: [], lastSeq: 0 });
    });

    it("compacts a doc's whole log into one row where it is stored, keeping later appends after it", async () => {
      const doc = `workspace/${session.id}/w1`;
      const other = `workspace/${session.id}/w2`;
      const ydoc = new Y.Doc();
      const updates: Uint8Array[] = [];
      ydoc.on("update", (u: Uint8Array) => updates.push(u));
      const text = ydoc.getText("t");
      for (const ch of "compact me") text.insert(text.length, ch);
      await storage.documents.appendUpdates(updates.map((update) => ({ doc, update })));
      await storage.documents.appendUpdates([{ doc: other, update: updates[0]! }]);

      expect(await storage.documents.compactLog(doc)).toBe(10);
      expect(await storage.documents.countUpdates(doc)).toBe(1);
      // Nothing left to merge; another doc's log is untouched.
      expect(await storage.documents.compactLog(doc)).toBe(0);
      expect(await storage.documents.compactLog("never/written")).toBe(0);
      expect(await storage.documents.countUpdates(other)).toBe(1);

      text.insert(0, ">");
      await storage.documents.appendUpdates([{ doc, update: updates.at(-1)! }]);
      const log = await storage.documents.loadDoc(doc);
      expect(log.updates).toHaveLength(2);
      // The new row still sorts after the merged one.
      expect(Array.from(log.updates[1]!)).toEqual(Array.from(updates.at(-1)!));
      const restored = new Y.Doc();
      for (const u of log.updates) Y.applyUpdate(restored, u);
      expect(restored.getText("t").toString()).toBe(">compact me");
    });

    it("compacts with the writer's live state without losing any row's content", async () => {
      const doc = `workspace/${session.id}/w3`;
      const ydoc = new Y.Doc();
      const updates: Uint8Array[] = [];
      ydoc.on("update", (u: Uint8Array) => updates.push(u));
      for (const ch of "state") ydoc.getText("t").insert(ydoc.getText("t").length, ch);
      await storage.documents.appendUpdates(updates.map((update) => ({ doc, update })));
      expect(await storage.documents.compactLog(doc, Y.encodeStateAsUpdate(ydoc))).toBe(5);
      expect(await storage.documents.countUpdates(doc)).toBe(1);
      const restored = new Y.Doc();
      for (const u of (await storage.documents.loadDoc(doc)).updates) Y.applyUpdate(restored, u);
      expect(restored.getText("t").toString()).toBe("state");
    });

    it("keeps a workspace's history as versions, each file's text rebuilt, unchanged texts only with a run", async () => {
      const sid = session.id;
      const snap = (file: string, text: string, at: number, runId: number | null = null) =>
        storage.records.addSnapshot({ sessionId: sid, workspaceId: "w1", file, at, runId, text });
      const first = await snap("t1", "line one\nline two\n", 10);
      expect(first).toMatchObject({
        sessionId: sid,
        workspaceId: "w1",
        file: "t1",
        at: 10,
        runId: null,
        length: 18,
      });
      expect(await snap("t1", "line one\nline two\n", 20)).toBeNull();
      const atRun = await snap("t1", "line one\nline two\n", 30, 7);
      expect(atRun).toMatchObject({ runId: 7, at: 30 });
      await snap("t2", "other", 35);
      // NUL and a lone surrogate become U+FFFD; an astral character is never split between versions.
      await snap("t1", "line one\nline 😀 two\u0000\n", 40, 8);
      await snap("t1", "line one\nline 😃 two\ud800\n", 50);
      await storage.records.addSnapshot({
        sessionId: sid,
        workspaceId: "w2",
        file: "t1",
        at: 60,
        runId: null,
        text: "w2",
      });

      const list = await storage.records.listSnapshots(sid, "w1");
      expect(list.map((s) => [s.file, s.at, s.runId])).toEqual([
        ["t1", 10, null],
        ["t1", 30, 7],
        ["t2", 35, null],
        ["t1", 40, 8],
        ["t1", 50, null],
      ]);
      expect(list.every((s) => s.sessionId === sid && s.workspaceId === "w1")).toBe(true);
      const history = await storage.records.loadHistory(sid, "w1");
      expect(history.map((s) => s.text)).toEqual([
        "line one\nline two\n",
        "line one\nline two\n",
        "other",
        "line one\nline 😀 two\uFFFD\n",
        "line one\nline 😃 two\uFFFD\n",
      ]);
      expect(history.map((s) => s.length)).toEqual(history.map((s) => s.text.length));
      expect(await storage.records.getSnapshot(sid, "w1", list[3]!.id)).toEqual(history[3]);
      expect(await storage.records.getSnapshot(sid, "w2", list[3]!.id)).toBeNull();
      expect((await storage.records.loadHistory(sid, "w2")).map((s) => s.text)).toEqual(["w2"]);
      expect(await storage.records.listSnapshots(sid, "w9")).toEqual([]);
    });

    it("rebuilds each version of a long history, keyframes and deltas alike, and lists versions without texts", async () => {
      const sid = session.id;
      const expected = new Map<number, string>();
      let lines = Array.from({ length: 40 }, (_, i) => `  const v${i} = ${i};\n`);
      // Three keyframes of t1, t2's versions interleaved, unchanged ones at runs.
      for (let v = 0; v < 2 * KEYFRAME_EVERY + 10; v++) {
        if (v % 9 !== 4) {
          lines = [...lines];
          lines[(v * 7) % lines.length] = `  const edited${v} = ${v};\n`;
          if (v % 3 === 0) lines.push(`  const added${v} = ${v};\n`);
        }
        const text = lines.join("");
        const kept = await storage.records.addSnapshot({
          sessionId: sid,
          workspaceId: "w1",
          file: "t1",
          at: v,
          runId: v % 9 === 4 ? v : null,
          text,
        });
        expect(kept?.length).toBe(text.length);
        expected.set(kept!.id, text);
        if (v % 20 === 0) {
          const other = `t2 at ${v}\n`;
          expected.set(
            (await storage.records.addSnapshot({
              sessionId: sid,
              workspaceId: "w1",
              file: "t2",
              at: v,
              runId: null,
              text: other,
            }))!.id,
            other,
          );
        }
      }
      const list = await storage.records.listSnapshots(sid, "w1");
      expect(list.map((s) => s.id)).toEqual([...expected.keys()]);
      expect(list.map((s) => s.length)).toEqual([...expected.values()].map((t) => t.length));
      const texts = await Promise.all(
        [...expected.keys()].map((id) => storage.records.getSnapshot(sid, "w1", id)),
      );
      expect(texts.map((s) => s?.text)).toEqual([...expected.values()]);
      expect((await storage.records.loadHistory(sid, "w1")).map((s) => s.text)).toEqual([
        ...expected.values(),
      ]);
      // The latest text again stores nothing; with a run, only the link.
      const latest = [...expected.values()].filter((t) => !t.startsWith("t2")).at(-1)!;
      expect(
        await storage.records.addSnapshot({
          sessionId: sid,
          workspaceId: "w1",
          file: "t1",
          at: 999,
          runId: null,
          text: latest,
        }),
      ).toBeNull();
      const linked = await storage.records.addSnapshot({
        sessionId: sid,
        workspaceId: "w1",
        file: "t1",
        at: 999,
        runId: 1,
        text: latest,
      });
      expect((await storage.records.getSnapshot(sid, "w1", linked!.id))?.text).toBe(latest);
    });

    it("keeps every version when several writers add them at once", async () => {
      const sid = session.id;
      const texts = Array.from({ length: 12 }, (_, i) => `version ${i}\n`.repeat(i + 1));
      await Promise.all(
        texts.map((text, i) =>
          storage.records.addSnapshot({
            sessionId: sid,
            workspaceId: "w1",
            file: "t1",
            at: i,
            runId: null,
            text,
          }),
        ),
      );
      const stored = (await storage.records.loadHistory(sid, "w1")).map((s) => s.text);
      expect([...stored].sort()).toEqual([...texts].sort());
    });
  });
}
