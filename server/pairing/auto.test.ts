import { describe, expect, it } from "vitest";
import type { RunReport } from "../../contract/run-report.js";
import type { ParticipantRecord, RunRecord } from "../storage/types.js";
import { pairEnds, pairNeighbours, progressOn, rankByProgress, shuffled } from "./auto.js";

const person = (id: string, joinedAt: number): ParticipantRecord => ({
  id,
  sessionId: "s",
  name: id.toUpperCase(),
  workspaceId: `w-${id}`,
  joinedAt,
});

let runId = 0;
const run = (participantId: string, taskId: string, passed: number): RunRecord => {
  const report: RunReport = {
    taskId,
    status: "ok",
    checks: Array.from({ length: 4 }, (_, i) => ({ name: `c${i}`, passed: i < passed })),
    metrics: {},
    durationMs: 1,
  };
  return { id: ++runId, sessionId: "s", participantId, workspaceId: `w-${participantId}`, report, at: runId };
};

describe("auto-pairing orders", () => {
  it("pairs neighbours; the last of an odd count stays solo", () => {
    expect(pairNeighbours([1, 2, 3, 4])).toEqual({
      pairs: [
        [1, 2],
        [3, 4],
      ],
      solo: null,
    });
    expect(pairNeighbours([1, 2, 3])).toEqual({ pairs: [[1, 2]], solo: 3 });
    expect(pairNeighbours([])).toEqual({ pairs: [], solo: null });
  });

  it("pairs the ends inwards; the middle of an odd count stays solo", () => {
    expect(pairEnds([1, 2, 3, 4])).toEqual({
      pairs: [
        [1, 4],
        [2, 3],
      ],
      solo: null,
    });
    expect(pairEnds([1, 2, 3, 4, 5])).toEqual({
      pairs: [
        [1, 5],
        [2, 4],
      ],
      solo: 3,
    });
    expect(pairEnds([1])).toEqual({ pairs: [], solo: 1 });
  });

  it("shuffles into a permutation driven by the random source", () => {
    const items = [1, 2, 3, 4, 5];
    // Always picking index 0 rotates each element to the end in turn.
    expect(shuffled(items, () => 0)).toEqual([2, 3, 4, 5, 1]);
    expect(shuffled(items, (n) => n - 1)).toEqual(items);
    expect([...shuffled(items)].sort()).toEqual(items);
    expect(items).toEqual([1, 2, 3, 4, 5]);
  });

  it("ranks by checks passed in the latest run of the task, then by runs, then join order", () => {
    const people = [person("a", 1), person("b", 2), person("c", 3), person("d", 4), person("e", 5)];
    const runs = [
      run("a", "t1", 4), // a: later run passes fewer; the latest counts
      run("a", "t1", 1),
      run("b", "t1", 3),
      run("c", "t2", 4), // another task: ignored
      run("d", "t1", 1),
      run("d", "t1", 1),
      run("d", "t1", 1), // d: as many checks as a, more runs
      run("x", "t1", 4), // not among the participants
    ];
    const progress = progressOn(people, runs, "t1");
    expect(progress.get("a")).toEqual({ checksPassed: 1, runs: 2 });
    expect(progress.get("c")).toEqual({ checksPassed: 0, runs: 0 });
    // c and e tie at nothing: join order.
    expect(rankByProgress(people, progress).map((p) => p.id)).toEqual(["b", "d", "a", "c", "e"]);
  });
});
