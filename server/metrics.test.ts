import { Counter, Histogram, Registry } from "prom-client";
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
import { UpdateTally } from "./metrics.js";

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

describe("UpdateTally", () => {
  it("hands prom-client the same buckets, count, sum and sources as one observation per update", async () => {
    const bounds = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1];
    const registers = [new Registry()];
    const direct = new Histogram({ name: "direct", help: "h", buckets: bounds, registers });
    const directCounter = new Counter({ name: "direct_total", help: "c", labelNames: ["source"], registers });
    const tally = new UpdateTally(bounds);
    const tallied = new Histogram({
      name: "tallied",
      help: "h",
      buckets: bounds,
      registers,
      collect() {
        tally.drainTimes(this);
      },
    });
    const talliedCounter = new Counter({
      name: "tallied_total",
      help: "c",
      labelNames: ["source"],
      registers,
      collect() {
        tally.drainCounts(this);
      },
    });
    // On the bounds, between them, below the first and past the last; twice, with a scrape between.
    const values = [0, 0.00005, 0.0001, 0.0001, 0.00017, 0.0003, 0.001, 0.0031, 0.0999, 0.1, 0.2, 3];
    for (let round = 0; round < 2; round++) {
      for (const [i, v] of values.entries()) {
        const relayed = i % 3 === 0;
        direct.observe(v);
        directCounter.inc({ source: relayed ? "relay" : "local" });
        tally.add(relayed, v);
      }
      const [d, t, dc, tc] = await Promise.all([
        direct.get(),
        tallied.get(),
        directCounter.get(),
        talliedCounter.get(),
      ]);
      const strip = (values: { value: number; labels: object; metricName?: string }[]) =>
        values.map(({ value, labels, metricName }) => ({
          value: metricName?.endsWith("_sum") ? Number(value.toFixed(12)) : value,
          labels,
          metricName: metricName?.replace(/^(direct|tallied)/, ""),
        }));
      expect(strip(t.values)).toEqual(strip(d.values));
      // The same series and values (in the order each first appeared: not part of the format).
      const bySource = (values: { labels: { source?: string | number } }[]) =>
        [...values].sort((a, b) => String(a.labels.source).localeCompare(String(b.labels.source)));
      expect(bySource(tc.values)).toEqual(bySource(dc.values));
    }
  });
});
