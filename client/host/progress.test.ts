import { describe, expect, it } from "vitest";
import type { RunReport } from "../../contract/run-report.js";
import {
  runOfNotice,
  runsOfProgress,
  buildRows,
  formatIdle,
  IDLE_STUCK_MS,
  isStuck,
  recordRun,
  sortRows,
  sparklinePoints,
  type RosterEntry,
  type RunHistory,
} from "./progress.js";

const report = (taskId: string, passed: boolean[], extra: Partial<RunReport> = {}): RunReport => ({
  taskId,
  status: "ok",
  checks: passed.map((p, i) => ({
    name: `c${i}`,
    passed: p,
    ...(p ? {} : { message: "expected 1, got 2" }),
  })),
  metrics: { loss: [3, 2, 1] },
  durationMs: 10,
  ...extra,
});

const NOW = 1_000_000;
const roster = new Map<string, RosterEntry>([
  ["p1", { name: "ada", workspaceId: "w1", joinedAt: NOW - 1000 }],
  ["p2", { name: "Bob", workspaceId: "w2", joinedAt: NOW - IDLE_STUCK_MS - 5000 }],
  ["p3", { name: "cy", workspaceId: "w3", joinedAt: NOW - 2000 }],
]);

function histories(): Map<string, RunHistory> {
  let h = new Map<string, RunHistory>();
  h = recordRun(h, {
    participantId: "p1",
    workspaceId: "w1",
    at: NOW - 500,
    report: report("t1", [true, false]),
  });
  h = recordRun(h, {
    participantId: "p1",
    workspaceId: "w1",
    at: NOW - 100,
    report: report("t1", [true, true]),
  });
  h = recordRun(h, {
    participantId: "p3",
    workspaceId: "w3",
    at: NOW - 50,
    report: report("t2", [], {
      status: "error",
      error: { kind: "runtime", message: "x is not defined", line: 4 },
    }),
  });
  return h;
}

describe("participant rows", () => {
  it("fold roster, presence and runs: latest run per task, hand, current task, loss series", () => {
    const rows = buildRows(
      roster,
      [{ participantId: "p1", hand: true, taskId: "t1", activeAt: NOW - 10 }],
      histories(),
    );
    const ada = rows.find((r) => r.participantId === "p1")!;
    expect(ada).toMatchObject({
      name: "ada",
      online: true,
      hand: true,
      taskId: "t1",
      lastActiveAt: NOW - 10,
    });
    expect(ada.byTask.t1).toEqual({ passed: 2, total: 2, status: "ok" });
    expect(ada.last).toMatchObject({ taskId: "t1", status: "ok", passed: 2, total: 2, loss: [3, 2, 1] });
    const cy = rows.find((r) => r.participantId === "p3")!;
    expect(cy.online).toBe(false);
    expect(cy.last?.error).toBe("Line 4: x is not defined");
  });
  it("summarise a failing check when the run itself was fine", () => {
    let h = new Map<string, RunHistory>();
    h = recordRun(h, {
      participantId: "p1",
      workspaceId: "w1",
      at: NOW,
      report: report("t1", [true, false]),
    });
    expect(buildRows(roster, [], h).find((r) => r.participantId === "p1")!.last?.error).toBe(
      "c1: expected 1, got 2",
    );
  });
  it("ignore a report older than the latest one", () => {
    let h = histories();
    h = recordRun(h, {
      participantId: "p1",
      workspaceId: "w1",
      at: NOW - 10_000,
      report: report("t2", [false]),
    });
    expect(h.get("w1")!.last!.report.taskId).toBe("t1");
    expect(h.get("w1")!.byTask.t2).toEqual({ passed: 0, total: 1, status: "ok" });
  });
  it("keep each task's latest run, for Follow to show the run of the task it shows", () => {
    let h = histories();
    h = recordRun(h, { participantId: "p1", workspaceId: "w1", at: NOW - 50, report: report("t2", [false]) });
    expect(h.get("w1")!.lastByTask.t1!.at).toBe(NOW - 100);
    expect(h.get("w1")!.lastByTask.t2!.at).toBe(NOW - 50);
    // A stored report older than a live one of the same task changes nothing.
    const same = recordRun(h, {
      participantId: "p1",
      workspaceId: "w1",
      at: NOW - 900,
      report: report("t1", [false]),
    });
    expect(same).toBe(h);
  });
  it("not count hidden checks", () => {
    const h = recordRun(new Map(), {
      participantId: "p1",
      workspaceId: "w1",
      at: NOW,
      report: {
        ...report("t1", [true]),
        checks: [
          { name: "v", passed: true },
          { name: "h", passed: false, hidden: true },
        ],
      },
    });
    expect(h.get("w1")!.byTask.t1).toEqual({ passed: 1, total: 1, status: "ok" });
  });
});

describe("a pair's row", () => {
  // Dan joined later and was paired into ada's workspace; his own runs before pairing were in w4.
  const paired = new Map(roster).set("p4", { name: "Dan", workspaceId: "w1", joinedAt: NOW - 900 });
  it("is one row named by both members, with the shared workspace's runs whoever ran them", () => {
    let h = histories();
    h = recordRun(h, {
      participantId: "p4",
      workspaceId: "w4",
      at: NOW - 5,
      report: report("t1", [false, false]),
    });
    const rows = buildRows(paired, [{ participantId: "p4", hand: true, taskId: "t2" }], h);
    expect(rows.map((r) => r.name)).toEqual(["Bob", "cy", "ada & Dan"]);
    const pair = rows.find((r) => r.workspaceId === "w1")!;
    expect(pair).toMatchObject({ participantId: "p1", online: true, hand: true, taskId: "t2" });
    expect(pair.members.map((m) => m.name)).toEqual(["ada", "Dan"]);
    // Dan's failing run in his old workspace is not the pair's.
    expect(pair.byTask.t1).toEqual({ passed: 2, total: 2, status: "ok" });
    h = recordRun(h, {
      participantId: "p4",
      workspaceId: "w1",
      at: NOW,
      report: report("t1", [true, false]),
    });
    const after = buildRows(paired, [], h).find((r) => r.workspaceId === "w1")!;
    expect(after.byTask.t1).toEqual({ passed: 1, total: 2, status: "ok" });
  });
});

describe("stuck filter and sorting", () => {
  const rows = buildRows(roster, [], histories());
  it("stuck means failing or idle too long", () => {
    const stuck = rows
      .filter((r) => isStuck(r, NOW))
      .map((r) => r.name)
      .sort();
    expect(stuck).toEqual(["Bob", "cy"]);
  });
  it("sorts by name case-insensitively, both ways", () => {
    expect(sortRows(rows, "name", "ascending", NOW).map((r) => r.name)).toEqual(["ada", "Bob", "cy"]);
    expect(sortRows(rows, "name", "descending", NOW).map((r) => r.name)).toEqual(["cy", "Bob", "ada"]);
  });
  it("sorts by idle time, by checks passed and by status (failing first)", () => {
    expect(sortRows(rows, "idle", "descending", NOW)[0]!.name).toBe("Bob");
    expect(sortRows(rows, "passed", "descending", NOW)[0]!.name).toBe("ada");
    expect(sortRows(rows, "status", "ascending", NOW).map((r) => r.name)).toEqual(["cy", "Bob", "ada"]);
  });
  it("formats idle time", () => {
    expect(formatIdle(12_000)).toBe("12s");
    expect(formatIdle(4 * 60_000)).toBe("4m");
    expect(formatIdle(65 * 60_000)).toBe("1h 5m");
  });
});

describe("sparklinePoints", () => {
  it("scales a series into the box, highest value at the top", () => {
    expect(sparklinePoints([2, 1, 0], 10, 12)).toBe("0.0,1.0 5.0,6.0 10.0,11.0");
  });
  it("skips non-finite values and needs two points", () => {
    expect(sparklinePoints([1, NaN, 0], 10, 12)).toBe("0.0,1.0 10.0,11.0");
    expect(sparklinePoints([1, Infinity], 10, 12)).toBeNull();
    expect(sparklinePoints([], 10, 12)).toBeNull();
  });
});

describe("runs from the contract's answers", () => {
  const report: RunReport = { taskId: "t1", status: "ok", checks: [], metrics: {}, durationMs: 1 };
  it("takes every participant's latest run per task from GET /progress, oldest first", () => {
    const task = (at: number) => ({
      runs: 1,
      checksPassed: 0,
      checksTotal: 0,
      latestRun: { id: at, at, ...report },
      verified: null,
    });
    const none = { runs: 0, checksPassed: 0, checksTotal: 0, latestRun: null, verified: null };
    const runs = runsOfProgress({
      sessionId: "s",
      tasks: [],
      participants: [
        { participantId: "p1", name: "a", workspaceId: "w1", tasks: { t1: task(20), t2: none } },
        { participantId: "p2", name: "b", workspaceId: "w2", tasks: { t1: task(10) } },
      ],
      verifyQueue: { queued: 0, running: 0 },
    });
    expect(runs).toEqual([
      { participantId: "p2", workspaceId: "w2", at: 10, report },
      { participantId: "p1", workspaceId: "w1", at: 20, report },
    ]);
  });
  it("takes a pair's shared run once", () => {
    const task = {
      runs: 1,
      checksPassed: 0,
      checksTotal: 0,
      latestRun: { id: 5, at: 5, ...report },
      verified: null,
    };
    const runs = runsOfProgress({
      sessionId: "s",
      tasks: [],
      participants: [
        { participantId: "p1", name: "a", workspaceId: "w1", tasks: { t1: task } },
        { participantId: "p2", name: "b", workspaceId: "w1", tasks: { t1: task } },
      ],
      verifyQueue: { queued: 0, running: 0 },
    });
    expect(runs).toEqual([{ participantId: "p1", workspaceId: "w1", at: 5, report }]);
  });
  it("takes a run event's run", () => {
    const notice = { id: 3, participantId: "p", workspaceId: "w", taskId: "t1", at: 7, report };
    expect(runOfNotice(notice)).toEqual({ participantId: "p", workspaceId: "w", at: 7, report });
  });
});
