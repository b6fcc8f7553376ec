import { describe, expect, it } from "vitest";
import type { RunReport } from "../../contract/run-report.js";
import { ApiError } from "../api.js";
import { MAX_QUEUED_REPORTS, ReportQueue } from "./report-queue.js";

const report = (taskId: string): RunReport => ({
  taskId,
  status: "ok",
  checks: [],
  metrics: {},
  durationMs: 1,
});

describe("ReportQueue", () => {
  it("keeps reports while the network is down and sends them in order when it is back", async () => {
    let online = false;
    const sent: string[] = [];
    const problems: (string | null)[] = [];
    const queue = new ReportQueue(
      async (r) => {
        if (!online) throw new ApiError(0, "network", "down");
        sent.push(r.taskId);
      },
      (p) => problems.push(p),
    );
    await queue.push(report("a"));
    await queue.push(report("b"));
    expect(queue.size).toBe(2);
    expect(problems.at(-1)).toMatch(/Offline: 2 run report/);
    online = true;
    await queue.flush();
    expect(sent).toEqual(["a", "b"]);
    expect(queue.size).toBe(0);
    expect(problems.at(-1)).toBeNull();
  });

  it("drops a report the server refuses and goes on with the next", async () => {
    const sent: string[] = [];
    const queue = new ReportQueue(async (r) => {
      if (r.taskId === "bad") throw new ApiError(400, "invalid", "no such task");
      sent.push(r.taskId);
    });
    await queue.push(report("bad"));
    await queue.push(report("good"));
    expect(sent).toEqual(["good"]);
    expect(queue.size).toBe(0);
  });

  it("keeps only the newest reports when offline for long", async () => {
    const queue = new ReportQueue(async () => {
      throw new ApiError(0, "network", "down");
    });
    for (let i = 0; i < MAX_QUEUED_REPORTS + 5; i++) await queue.push(report(String(i)));
    expect(queue.size).toBe(MAX_QUEUED_REPORTS);
  });
});
