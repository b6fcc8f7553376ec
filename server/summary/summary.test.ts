import { describe, expect, it } from "vitest";
import type { RunReport } from "../../contract/run-report.js";
import type { Pack } from "../packs/format.js";
import { emptyPack } from "../packs/test/fixture.js";
import type { ParticipantRecord, RunRecord, VerificationRecord } from "../storage/types.js";
import * as Y from "yjs";
import { readBroadcasts, sessionDoc } from "../../contract/session-doc.js";
import { buildSummary, SUMMARY_POINTS, summaryBroadcasts } from "./summary.js";

const pack: Pack = emptyPack("p", "Pack", ["a", "b"]);
const person = (id: string, name: string, joinedAt: number): ParticipantRecord => ({
  id,
  sessionId: "s",
  name,
  workspaceId: `w-${id}`,
  joinedAt,
});
let runId = 0;
const run = (participantId: string, at: number, report: Partial<RunReport>): RunRecord => ({
  id: ++runId,
  sessionId: "s",
  participantId,
  workspaceId: `w-${participantId}`,
  at,
  report: { taskId: "a", status: "ok", checks: [], metrics: {}, durationMs: 1, ...report },
});
const verification = (workspaceId: string, at: number, verified: boolean): VerificationRecord => ({
  id: at,
  sessionId: "s",
  workspaceId,
  taskId: "a",
  requestedBy: "host",
  at,
  result: { status: "ok", checks: [], durationMs: 1, verified },
});

const pass = [{ name: "c1", passed: true }];
const fail = [
  { name: "c1", passed: true },
  { name: "c2", passed: false },
];

function summary(showNames: boolean) {
  return buildSummary({
    session: { id: "s", packId: "p", title: "Friday", joinCode: "ACDEFG", hostKeyHash: "", createdAt: 5 },
    pack,
    participants: [person("z", "Zed", 3), person("x", "Xia", 1), person("y", "Yan", 2)],
    runs: [
      run("x", 10, { checks: pass, metrics: { loss: [3, 2, 1] } }),
      // Xia's latest run fails again: she still completed the task once.
      run("x", 20, { checks: fail, metrics: { loss: Array.from({ length: 500 }, (_, i) => 500 - i) } }),
      run("y", 15, { checks: fail, metrics: { loss: [4] }, nonFinite: { loss: { step: 1, value: "NaN" } } }),
      // Hidden checks do not count toward completion; an error run is not complete.
      run("z", 11, { checks: [...pass, { name: "h", passed: false, hidden: true }] }),
      run("z", 12, { taskId: "b", status: "error", checks: pass }),
    ],
    verifications: [
      verification("w-x", 30, false),
      verification("w-x", 40, true),
      verification("w-y", 30, false),
    ],
    broadcasts: [{ at: 1, markdown: "**hi**" }],
    showNames,
    now: 99,
  });
}

describe("buildSummary", () => {
  it("says who completed and who is verified per task, with counts, in join order", () => {
    const s = summary(true);
    expect(s).toMatchObject({
      sessionId: "s",
      title: "Friday",
      createdAt: 5,
      generatedAt: 99,
      participants: 3,
    });
    const [a, b] = s.tasks;
    expect(a!.people).toEqual([
      { name: "Xia", runs: 2, completed: true, verified: true, workspaceId: "w-x" },
      { name: "Yan", runs: 1, completed: false, verified: false, workspaceId: "w-y" },
      { name: "Zed", runs: 1, completed: true, verified: null, workspaceId: "w-z" },
    ]);
    expect(a!.counts).toEqual({ attempted: 3, completed: 2, verified: 1 });
    expect(b!.people).toEqual([
      { name: "Zed", runs: 1, completed: false, verified: null, workspaceId: "w-z" },
    ]);
    expect(s.broadcasts).toEqual([{ at: 1, markdown: "**hi**" }]);
  });
  it("keeps each person's latest curve per metric, thinned, with where it went non-finite", () => {
    const loss = summary(true).tasks[0]!.curves.loss!;
    expect(loss.map((c) => c.name)).toEqual(["Xia", "Yan"]);
    expect(loss[0]!.values).toHaveLength(SUMMARY_POINTS);
    expect(loss[0]!.values[0]).toBe(500);
    expect(loss[0]!.values.at(-1)).toBe(1);
    expect(loss[1]).toEqual({ name: "Yan", values: [4], nonFinite: { step: 1, value: "NaN" } });
  });
  it("anonymises names everywhere as Participant N in join order", () => {
    const s = summary(false);
    expect(s.names).toBe("anonymised");
    expect(s.tasks[0]!.people.map((p) => p.name)).toEqual([
      "Participant 1",
      "Participant 2",
      "Participant 3",
    ]);
    expect(s.tasks[0]!.curves.loss!.map((c) => c.name)).toEqual(["Participant 1", "Participant 2"]);
    expect(JSON.stringify(s)).not.toMatch(/Xia|Yan|Zed/);
    // No workspace ids either: an anonymised summary opens no history.
    expect(JSON.stringify(s)).not.toMatch(/w-[xyz]/);
  });
  it("reads broadcasts defensively", () => {
    expect(
      summaryBroadcasts(
        readBroadcasts(
          broadcastsOf([
            { at: 2, markdown: "m", code: " " },
            { markdown: 5 },
            null,
            { markdown: "c", code: "x()" },
          ]),
        ),
      ),
    ).toEqual([
      { at: 2, markdown: "m" },
      { at: 0, markdown: "c", code: "x()" },
    ]);
  });
});

/** A session doc's broadcasts array holding `items` as the host (or a forged client) wrote them. */
function broadcastsOf(items: unknown[]): Y.Array<unknown> {
  const list = sessionDoc.broadcasts(new Y.Doc());
  list.push(items);
  return list;
}
