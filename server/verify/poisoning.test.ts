/**
 * Pool poisoning through verify (issue 14, finding 3), end to end on a real server with one
 * sandbox worker shared by two sessions: an attendee of one session verifies the reported kernel
 * exploits four times and more (slice past the end, out-of-range gatherBackward, 1e5 × 1e5
 * broadcast and matmul); none of them ends `ok`, and afterwards an attendee of another session
 * still verifies a solution whose tensor arithmetic must be right.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Y from "yjs";
import { workspaceDocName } from "../../contract/doc-names.js";
import {
  type Attendee,
  createSession,
  type HostedSession,
  joinSession,
  startTestServer,
  stopTestServer,
  type TestServer,
} from "../../support/server.js";

const TASK = "gradient-descent";
const REFERENCE = readFileSync(
  join(import.meta.dirname, "..", "..", "sessions", "demo", "tasks", TASK, "solution.js"),
  "utf8",
);
/** The reference solution, refusing to load unless tensor arithmetic is right (the task's imports hold no tensors, the host's kernels do). */
const HONEST = `${REFERENCE}
const t = __host.k("tensor", [1, 2, 3], [3], "float32");
const sum = JSON.stringify(Array.from(new Float32Array(__host.k("read", __host.k("addNumber", t, 1)))));
if (sum !== "[2,3,4]") throw new Error("tensor arithmetic is broken: " + sum);`;

const EXPLOITS = [
  `__host.k("add", __host.k("fill", [100000, 1], 1, "float32"), __host.k("fill", [1, 100000], 1, "float32"));`,
  `__host.k("matmul", __host.k("fill", [100000, 1], 1, "float32"), __host.k("fill", [1, 100000], 1, "float32"), false, false);`,
  `const t = __host.k("fill", [5, 2], 1, "float32"); new Float32Array(__host.k("read", __host.k("slice", t, [3, 0], [4, 2])));`,
  `const i = __host.k("tensor", [0, 100000], [2], "float32"); __host.k("gatherBackward", __host.k("fill", [2, 2], 1, "float32"), i, [4, 2], 0);`,
  `__host.k("broadcastTo", __host.k("fill", [1], 1, "float32"), [100000, 100000]);`,
];

async function setCode(server: TestServer, attendee: Attendee, code: string): Promise<void> {
  await server.rooms.change(workspaceDocName(attendee.sessionId, attendee.workspaceId), (room) => {
    const text = room.doc.getMap<Y.Text>("files").get(TASK)!;
    text.delete(0, text.length);
    text.insert(0, code);
  });
}

describe("verify pool poisoning", { timeout: 120_000 }, () => {
  let server: TestServer;
  let hostA: HostedSession;
  let hostB: HostedSession;
  let eve: Attendee;
  let ada: Attendee;

  beforeAll(async () => {
    server = await startTestServer({ verify: { workers: 1, perSession: 1, maxQueued: 50 } });
    hostA = await createSession(server);
    hostB = await createSession(server);
    eve = await joinSession(server, hostA.joinCode, "Eve");
    ada = await joinSession(server, hostB.joinCode, "Ada");
  });
  afterAll(() => stopTestServer(server));

  const verify = (host: HostedSession, who: Attendee) =>
    server.api(`/api/sessions/${host.sessionId}/verify`, {
      method: "POST",
      bearer: who.token,
      json: { taskId: TASK },
    });

  it("hostile verifies never end ok, and the next session's tensor verify is right", async () => {
    for (const exploit of [...EXPLOITS, ...EXPLOITS]) {
      await setCode(server, eve, exploit);
      const res = await verify(hostA, eve);
      expect(res.status, exploit).toBe(200);
      expect(res.body.result.status, exploit).toBe("error");
      expect(res.body.result.error.message, exploit).toMatch(
        /(add|matmul|slice|gatherBackward|broadcastTo): /,
      );
    }
    await setCode(server, ada, HONEST);
    const res = await verify(hostB, ada);
    expect(res.status).toBe(200);
    expect(res.body.result.error).toBeUndefined();
    expect(res.body.result).toMatchObject({ status: "ok", verified: true });
  });
});
