import { describe, expect, it } from "vitest";
import { emptyOutcome } from "../run/report.js";
import { broadcastAnnouncement, runAnnouncement, stageAnnouncement } from "./announcements.js";

const done = { ...emptyOutcome(), running: false, status: "ok" as const };

describe("room announcements", () => {
  it("tells a run's checks, the first failing one, or why it stopped", () => {
    const checks = [
      { name: "shape", passed: true },
      { name: "gradient", passed: false },
      { name: "secret", passed: false, hidden: true },
    ];
    expect(runAnnouncement({ ...done, checks })).toBe(
      "Run finished: 1 of 2 checks passed; first failing: gradient.",
    );
    expect(runAnnouncement({ ...done, checks: [checks[0]!] })).toBe("Run finished: 1 of 1 checks passed.");
    expect(
      runAnnouncement({
        ...done,
        status: "error",
        error: { kind: "runtime", message: "x is not defined", line: 4 },
      }),
    ).toBe("The run stopped with an error on line 4: x is not defined. no visible checks ran.");
  });
  it("tells broadcasts and stages", () => {
    expect(broadcastAnnouncement("  Look at\n the sign ", false)).toBe("The host says: Look at the sign");
    expect(broadcastAnnouncement("Try this", true)).toBe("The host says: Try this (with code)");
    expect(broadcastAnnouncement("", true)).toBe("The host says: a code snippet");
    expect(broadcastAnnouncement("a".repeat(400), false)).toHaveLength("The host says: ".length + 301);
    expect(stageAnnouncement("review")).toBe("Stage: review");
  });
});
