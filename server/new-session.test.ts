import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "./new-session.js";
import { startTestServer, stopTestServer, type TestServer } from "../support/server.js";

describe("scratchroom new-session", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ publicUrl: "https://room.example" });
  });
  afterAll(() => stopTestServer(server));

  async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
    const error = vi
      .spyOn(console, "error")
      .mockImplementation((...a: unknown[]) => void err.push(a.join(" ")));
    try {
      return { code: await main(argv), out: out.join("\n"), err: err.join("\n") };
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  }

  it("creates a session on the running server and prints its links", async () => {
    const { code, out } = await run(["demo", "--server", server.url]);
    expect(code).toBe(0);
    const sid = /host\/([^#]+)#key=/.exec(out)![1]!;
    expect(out).toMatch(/Join link: https:\/\/room\.example\/join\/[A-Z0-9]{6}/);
    expect(await server.storage.records.getSession(sid)).not.toBeNull();
  });

  it("fails clearly on an unknown pack, an unreachable server and missing arguments", async () => {
    const unknown = await run(["no-such-pack", "--server", server.url]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("unknown_pack");
    const down = await run(["demo", "--server", "http://127.0.0.1:1"]);
    expect(down.code).toBe(1);
    expect(down.err).toContain("cannot reach");
    expect((await run([])).code).toBe(2);
  });
});
