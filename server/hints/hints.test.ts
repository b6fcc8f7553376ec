/**
 * Hints and solutions through the HTTP API: revealed to everyone or one participant, served only to
 * them, signalled in the session doc, and hint requests queued for the host.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionDocName } from "../../contract/doc-names.js";
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

describe("hints and solutions", () => {
  let server: TestServer;
  let host: HostedSession;
  let ada: Attendee;
  let bob: Attendee;
  let hints: string[];
  let solution: string;

  beforeAll(async () => {
    server = await startTestServer();
    host = await createSession(server);
    ada = await joinSession(server, host.joinCode, "Ada");
    bob = await joinSession(server, host.joinCode, "Bob");
    const task = server.sessions.packs.get("demo")!.tasks.find((t) => t.id === TASK)!;
    hints = task.hints;
    solution = task.solution;
    expect(hints.length).toBe(2);
  });
  afterAll(() => stopTestServer(server));

  const reveal = (json: unknown, bearer = host.hostKey) =>
    server.api(`/api/sessions/${host.sessionId}/reveals`, { method: "POST", bearer, json });
  const taskOf = async (who: Attendee) => {
    const res = await server.api(`/api/sessions/${host.sessionId}/tasks`, { bearer: who.token });
    return res.body.tasks.find((t: { id: string }) => t.id === TASK) as {
      revealedHints: string[];
      solution?: string;
      hintCount: number;
    };
  };
  const revealCounters = () =>
    server.rooms.read(sessionDocName(host.sessionId), (room) => room.doc.getMap("reveals").toJSON());

  it("reveals hints in order to everyone, then to one participant only", async () => {
    expect(await taskOf(ada)).toMatchObject({ revealedHints: [], hintCount: 2 });
    const first = await reveal({ taskId: TASK, kind: "hint" });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ kind: "hint", hintIndex: 0, participantId: null, text: hints[0] });
    expect((await taskOf(bob)).revealedHints).toEqual([hints[0]]);
    expect((await revealCounters())["*"]).toBe(first.body.id);

    const second = await reveal({ taskId: TASK, kind: "hint", participantId: ada.participantId });
    expect(second.body).toMatchObject({ hintIndex: 1, participantId: ada.participantId, text: hints[1] });
    expect((await taskOf(ada)).revealedHints).toEqual(hints);
    expect((await taskOf(bob)).revealedHints).toEqual([hints[0]]);
    expect((await revealCounters())[ada.participantId]).toBe(second.body.id);

    const none = await reveal({ taskId: TASK, kind: "hint", participantId: ada.participantId });
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe("no_more_hints");
    // Everyone has seen only the first: the next for everyone is the second.
    expect((await reveal({ taskId: TASK, kind: "hint" })).body.hintIndex).toBe(1);
    expect((await taskOf(bob)).revealedHints).toEqual(hints);
  });

  it("reveals the solution only to whom it is meant for", async () => {
    expect((await taskOf(bob)).solution).toBeUndefined();
    const res = await reveal({ taskId: TASK, kind: "solution", participantId: bob.participantId });
    expect(res.body).toMatchObject({ kind: "solution", hintIndex: null, text: solution });
    expect((await taskOf(bob)).solution).toBe(solution);
    expect((await taskOf(ada)).solution).toBeUndefined();
  });

  it("refuses attendees, unknown tasks and participants, bad bodies", async () => {
    expect((await reveal({ taskId: TASK, kind: "hint" }, ada.token)).status).toBe(403);
    expect((await reveal({ taskId: "nope", kind: "hint" })).body.error.code).toBe("unknown_task");
    expect((await reveal({ taskId: TASK, kind: "hint", participantId: "nope" })).status).toBe(404);
    expect((await reveal({ taskId: TASK, kind: "answer" })).status).toBe(400);
  });

  it("queues an attendee's hint request for the host, answered once a hint reaches them", async () => {
    const fresh = await createSession(server);
    const cleo = await joinSession(server, fresh.joinCode, "Cleo");
    const asked = await server.api(`/api/sessions/${fresh.sessionId}/hint-requests`, {
      method: "POST",
      bearer: cleo.token,
      json: { taskId: TASK },
    });
    expect(asked.status).toBe(201);
    const list = () =>
      server.api(`/api/sessions/${fresh.sessionId}/hint-requests`, { bearer: fresh.hostKey });
    expect((await list()).body.requests).toEqual([
      expect.objectContaining({
        participantId: cleo.participantId,
        name: "Cleo",
        taskId: TASK,
        answered: false,
      }),
    ]);
    expect(
      (await server.api(`/api/sessions/${fresh.sessionId}/hint-requests`, { bearer: cleo.token })).status,
    ).toBe(403);
    await server.api(`/api/sessions/${fresh.sessionId}/reveals`, {
      method: "POST",
      bearer: fresh.hostKey,
      json: { taskId: TASK, kind: "hint", participantId: cleo.participantId },
    });
    expect((await list()).body.requests[0].answered).toBe(true);
  });
});
