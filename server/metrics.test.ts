import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Y from "yjs";
import {
  connect,
  createSession,
  joinSession,
  startTestServer,
  stopTestServer,
  synced,
  type TestServer,
  until,
} from "../support/server.js";

/** Value of one sample in Prometheus text format (`name{labels} value`), 0 when absent. */
function sample(body: string, series: string): number {
  const line = body.split("\n").find((l) => l.startsWith(series + " "));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe("GET /metrics", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await stopTestServer(server);
  });

  const scrape = async () => {
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    return res.text();
  };

  it("moves when clients connect and edit", async () => {
    const before = await scrape();
    expect(sample(before, "scratchroom_connections")).toBe(0);
    expect(before).toContain("# TYPE scratchroom_fanout_seconds histogram");
    expect(before).toContain("# TYPE scratchroom_storage_flush_seconds histogram");
    expect(before).toContain("scratchroom_sandbox_verifications_queued 0");

    const host = await createSession(server);
    const ada = await joinSession(server, host.joinCode, "Ada");
    const doc = `workspace/${host.sessionId}/${ada.workspaceId}`;
    const p1 = connect(server, doc, ada.token);
    const p2 = connect(server, doc, host.hostKey);
    try {
      await Promise.all([synced(p1), synced(p2)]);
      const connected = await scrape();
      expect(sample(connected, "scratchroom_connections")).toBe(2);
      // The workspace doc and the session doc that can lock it.
      expect(sample(connected, "scratchroom_docs_loaded")).toBeGreaterThanOrEqual(2);

      const updatesBefore = sample(connected, 'scratchroom_doc_updates_total{source="local"}');
      const fanOutsBefore = sample(connected, "scratchroom_fanout_seconds_count");
      const flushesBefore = sample(connected, "scratchroom_storage_flush_seconds_count");
      const text = p1.doc.getMap<Y.Text>("files").get("gradient-descent")!;
      for (const ch of "abc") text.insert(text.length, ch);
      await until(
        () => p2.doc.getMap<Y.Text>("files").get("gradient-descent")!.toString().endsWith("abc"),
        5000,
        "edits reach the second client",
      );
      await server.rooms.flush();
      const edited = await scrape();
      expect(sample(edited, 'scratchroom_doc_updates_total{source="local"}')).toBe(updatesBefore + 3);
      expect(sample(edited, "scratchroom_fanout_seconds_count")).toBe(fanOutsBefore + 3);
      expect(sample(edited, "scratchroom_storage_flush_seconds_count")).toBeGreaterThan(flushesBefore);
    } finally {
      p1.destroy();
      p2.destroy();
    }
    await until(() => server.rooms.loadedNames().length === 0, 5000, "rooms evicted");
    const after = await scrape();
    expect(sample(after, "scratchroom_connections")).toBe(0);
    expect(sample(after, "scratchroom_docs_loaded")).toBe(0);
  });

  it("reports the sandbox verification queue the verify pool sets", async () => {
    server.metrics.verificationsQueued.set(3);
    expect(sample(await scrape(), "scratchroom_sandbox_verifications_queued")).toBe(3);
    server.metrics.verificationsQueued.set(0);
  });
});
