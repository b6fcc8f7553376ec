/**
 * Duplicate names are resolved at join (issue 17, point 5): the second "Ada" is seated as
 * "Ada (2)", told so in the join answer, and the roster never holds two identical names, even when
 * the joins arrive together.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seatSchema } from "../../contract/api.js";
import { normaliseName } from "../pairing/name-list.js";
import {
  createSession,
  type HostedSession,
  startTestServer,
  stopTestServer,
  type TestServer,
} from "../../support/server.js";

describe("names at join", () => {
  let server: TestServer;
  let host: HostedSession;
  beforeAll(async () => {
    server = await startTestServer();
    host = await createSession(server);
  });
  afterAll(() => stopTestServer(server));

  const join = async (name: string) => {
    const res = await server.api("/api/join", { method: "POST", json: { joinCode: host.joinCode, name } });
    expect(res.status).toBe(201);
    return seatSchema.parse(res.body);
  };

  it("seats a taken name with a suffix and says so; /me and the roster agree", async () => {
    expect((await join("Ada")).name).toBe("Ada");
    const second = await join("  ada ");
    expect(second.name).toBe("ada (2)");
    const me = await server.api(`/api/sessions/${host.sessionId}/me`, { bearer: second.token });
    expect(me.body).toMatchObject({ name: "ada (2)" });
    expect((await join("Ada")).name).toBe("Ada (3)");
  });

  it("never seats two identical names, even for joins arriving together", async () => {
    const seats = await Promise.all(Array.from({ length: 6 }, () => join("Grace")));
    expect(new Set(seats.map((s) => s.name)).size).toBe(6);
    const names = (await server.storage.records.listParticipants(host.sessionId)).map((p) =>
      normaliseName(p.name),
    );
    expect(new Set(names).size).toBe(names.length);
  });
});
