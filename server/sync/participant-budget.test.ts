import { describe, expect, it } from "vitest";
import { type ApiError, httpError } from "../api/errors.js";
import { DomainError } from "../errors.js";
import { DEFAULT_LIMITS, loadConfig } from "../config.js";
import { CloseCode, type DocAccess } from "./connection.js";
import { ParticipantBudgets } from "./participant-budget.js";

const attendee = (principal: string, doc = "workspace/s1/w1"): DocAccess => ({
  doc,
  role: "attendee",
  principal,
  writable: true,
});
const host = (sessionId: string): DocAccess => ({
  doc: `session/${sessionId}`,
  role: "host",
  principal: "host",
  writable: true,
});

function refusal(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    // The refusal as the upgrade answers it (a domain error mapped to its HTTP status).
    const answer = err instanceof DomainError ? httpError(err) : null;
    if (answer) return answer;
    throw err;
  }
  throw new Error("not refused");
}

describe("ParticipantBudgets", () => {
  const limits = {
    ...DEFAULT_LIMITS,
    participantMessagesPerSecond: 10,
    participantMessageBurst: 20,
    participantCooldownMs: 1000,
    connectionsPerParticipant: 2,
    connectionsPerAddress: 3,
  };

  it("charges all of a participant's connections to one bucket and closes them all past it", () => {
    let now = 0;
    const budgets = new ParticipantBudgets(limits, () => now);
    const closed: [string, number][] = [];
    const a = budgets.admit(attendee("p1"), "a1");
    const b = budgets.admit(attendee("p1", "session/s1"), "a1");
    a.attach({ close: (code) => closed.push(["a", code]) });
    b.attach({ close: (code) => closed.push(["b", code]) });
    const other = budgets.admit(attendee("p2"), "a2");
    for (let i = 0; i < 10; i++) expect(a.take(10) && b.take(10)).toBe(true);
    // The other participant's bucket is its own.
    expect(other.take(10)).toBe(true);
    expect(a.take(10)).toBe(false);
    expect(closed).toEqual([
      ["a", CloseCode.participantRateLimited],
      ["b", CloseCode.participantRateLimited],
    ]);
    a.release();
    b.release();
    // Refused for the cooldown, admitted after it; a repeat within a minute doubles it.
    const cooling = refusal(() => budgets.admit(attendee("p1"), "a1"));
    expect(cooling).toMatchObject({ status: 429, code: "rate_limited", headers: { "Retry-After": "1" } });
    now = 1001;
    const c = budgets.admit(attendee("p1"), "a1");
    now = 3000; // refilled 20 tokens
    for (let i = 0; i < 20; i++) expect(c.take(1)).toBe(true);
    expect(c.take(1)).toBe(false);
    expect(refusal(() => budgets.admit(attendee("p1"), "a1")).headers["Retry-After"]).toBe("2");
  });

  it("caps open connections per participant (the host once per session) and per address", () => {
    const budgets = new ParticipantBudgets(limits);
    const first = budgets.admit(host("s1"), "a1");
    budgets.admit(host("s1"), "a1");
    expect(refusal(() => budgets.admit(host("s1"), "a2"))).toMatchObject({
      status: 429,
      code: "too_many_connections",
    });
    // Another session's host is another participant, but the address has room for one more only.
    budgets.admit(host("s2"), "a1");
    expect(refusal(() => budgets.admit(host("s2"), "a1")).message).toMatch(/this address/);
    first.release();
    first.release(); // idempotent: gives back one place, not two
    budgets.admit(host("s1"), "a1");
    expect(() => budgets.admit(host("s3"), "a1")).toThrow(DomainError);
    expect(budgets.openConnections(host("s1"))).toBe(2);
  });

  it("counts nothing per address when connections are not capped per address", () => {
    const budgets = new ParticipantBudgets({ ...limits, connectionsPerAddress: 0 });
    const admissions = [budgets.admit(host("s1"), null), budgets.admit(host("s2"), null)];
    for (let i = 0; i < 5; i++) admissions.push(budgets.admit(attendee(`p${i}`), "a1"));
    expect(admissions.every((a) => a.address === null)).toBe(true);
    for (const a of admissions) a.release();
    expect(budgets.openConnections(host("s1"))).toBe(0);
  });

  it("forgets idle participants, but not one still remembered for tripping the budget", () => {
    let now = 0;
    const budgets = new ParticipantBudgets(limits, () => now);
    budgets.admit(attendee("idle"), "a").release();
    const hot = budgets.admit(attendee("hot"), "a");
    while (hot.take(1));
    hot.release();
    now = 11_000; // past the sweep interval, the refill (2 s) and the cooldown, not the strike memory
    const other = budgets.admit(attendee("other"), "a");
    expect(budgets.size).toBe(2); // hot, other
    now = 80_000;
    budgets.admit(attendee("late"), "a");
    expect(budgets.size).toBe(2); // other (still open), late
    other.release();
  });

  it("reads its caps and rate from the environment", () => {
    const { limits, verify } = loadConfig({
      CONNECTIONS_PER_PARTICIPANT: "4",
      CONNECTIONS_PER_ADDRESS: "0",
      PARTICIPANT_MESSAGES_PER_SECOND: "50",
      VERIFY_SESSION_MAX_QUEUED: "7",
    });
    expect(limits).toMatchObject({
      connectionsPerParticipant: 4,
      connectionsPerAddress: 0,
      participantMessagesPerSecond: 50,
      participantMessageBurst: 100,
    });
    expect(verify.maxQueuedPerSession).toBe(7);
    expect(() => loadConfig({ CONNECTIONS_PER_ADDRESS: "-1" })).toThrow(/CONNECTIONS_PER_ADDRESS/);
  });
});
