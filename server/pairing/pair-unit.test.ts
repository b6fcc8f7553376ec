/**
 * A pair is one unit everywhere (issue 17, point 4): after pairing, the progress of both members
 * is their shared workspace's (never a member's older failing run beside the pair's verification),
 * the summary has one line for the pair, the CSV one row, and the zip names every folder by people,
 * the member's workspace left behind included.
 */
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Progress } from "../../contract/progress.js";
import type { SessionSummary } from "../../contract/summary.js";
import {
  type Attendee,
  createSession,
  type HostedSession,
  joinSession,
  startTestServer,
  stopTestServer,
  type TestServer,
  storeVerified,
} from "../../support/server.js";

const TASK = "gradient-descent";

describe("a pair as one unit", () => {
  let server: TestServer;
  let host: HostedSession;
  let ada: Attendee;
  let bob: Attendee;
  let cy: Attendee;
  let pairWorkspace: string;

  const run = (who: Attendee, passed: number, total: number) =>
    server.api(`/api/sessions/${host.sessionId}/runs`, {
      method: "POST",
      bearer: who.token,
      json: {
        taskId: TASK,
        status: "ok",
        checks: Array.from({ length: total }, (_, i) => ({ name: `c${i}`, passed: i < passed })),
        metrics: {},
        durationMs: 5,
      },
    });
  const asHost = (path: string) =>
    fetch(`${server.url}/api/sessions/${host.sessionId}${path}`, {
      headers: { authorization: `Bearer ${host.hostKey}` },
    });

  beforeAll(async () => {
    server = await startTestServer();
    host = await createSession(server);
    ada = await joinSession(server, host.joinCode, "Ada");
    bob = await joinSession(server, host.joinCode, "Bob");
    cy = await joinSession(server, host.joinCode, "Cy");
    // Before pairing Bob fails 2/4 in his own workspace; Cy stays solo and unverified.
    expect((await run(bob, 2, 4)).status).toBe(201);
    expect((await run(cy, 1, 4)).status).toBe(201);
    const paired = await server.api(`/api/sessions/${host.sessionId}/pairs`, {
      method: "POST",
      json: { participantIds: [ada.participantId, bob.participantId] },
      bearer: host.hostKey,
    });
    expect(paired.status).toBe(201);
    pairWorkspace = ada.workspaceId;
    // The pair's workspace is verified (nobody ran it yet since pairing).
    await storeVerified(server, host, pairWorkspace, TASK, [{ name: "c0", passed: true }]);
  });
  afterAll(() => stopTestServer(server));

  it("progress: both members read their shared workspace, not Bob's older failing run", async () => {
    const progress = (await (await asHost("/progress")).json()) as Progress;
    const cell = (name: string) => progress.participants.find((p) => p.name === name)!.tasks[TASK]!;
    expect(cell("Bob")).toEqual(cell("Ada"));
    expect(cell("Bob").latestRun).toBeNull();
    expect(cell("Bob").verified?.verified).toBe(true);
    expect(cell("Cy").checksPassed).toBe(1);

    // A run by either member counts for both.
    expect((await run(bob, 4, 4)).status).toBe(201);
    const after = (await (await asHost("/progress")).json()) as Progress;
    const ada2 = after.participants.find((p) => p.name === "Ada")!.tasks[TASK]!;
    expect(ada2).toMatchObject({ runs: 1, checksPassed: 4, checksTotal: 4 });
  });

  it("summary: one line for the pair, completed and verified agree, counts per unit", async () => {
    const summary = (await (await asHost("/summary")).json()) as SessionSummary;
    const task = summary.tasks.find((t) => t.id === TASK)!;
    expect(task.people.map((p) => p.name)).toEqual(["Ada & Bob", "Cy"]);
    expect(task.people[0]).toMatchObject({ completed: true, verified: true });
    expect(task.counts).toEqual({ attempted: 2, completed: 1, verified: 1 });
  });

  it("CSV: one row per unit and task", async () => {
    const csv = await (await asHost("/export?format=csv")).text();
    const names = csv
      .trim()
      .split("\r\n")
      .slice(1)
      .map((line) => JSON.parse(line.split(",")[0]!) as string);
    expect(names.filter((n) => n === "Ada & Bob").length).toBe(1);
    expect(names.some((n) => n === "Ada" || n === "Bob")).toBe(false);
  });

  it("zip: the pair's folder and Bob's earlier workspace are named by people, never by id", async () => {
    const files = unzipSync(new Uint8Array(await (await asHost("/export?format=zip")).arrayBuffer()));
    const folders = new Set(
      Object.keys(files)
        .filter((n) => n.includes("/"))
        .map((n) => n.split("/")[0]!),
    );
    expect([...folders].sort()).toEqual(["Ada & Bob", "Bob (before pairing)", "Cy"]);
    expect(strFromU8(files[`Bob (before pairing)/${TASK}.js`]!)).toBe(
      server.sessions.packs.get("demo")!.tasks[0]!.starter,
    );
  });
});
