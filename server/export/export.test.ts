/**
 * Export through the HTTP API: the CSV parsed back, the zip unpacked, hostile names kept harmless.
 */
import { unzipSync, strFromU8 } from "fflate";
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
  storeVerified,
} from "../../support/server.js";
import { pathSegment } from "./export.js";

const TASK = "gradient-descent";

/** A strict RFC 4180 reader for the test: quoted fields, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      let value = "";
      i++;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else {
          value += text[i++];
        }
      }
      row.push(value);
    } else {
      let end = i;
      while (end < text.length && text[end] !== "," && text[end] !== "\r") end++;
      row.push(text.slice(i, end));
      i = end;
    }
    if (text[i] === ",") i++;
    else if (text.startsWith("\r\n", i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else throw new Error(`unexpected character at ${i}: ${JSON.stringify(text[i])}`);
  }
  return rows;
}

describe("export", () => {
  let server: TestServer;
  let host: HostedSession;
  let ada: Attendee;
  let evil: Attendee;

  beforeAll(async () => {
    server = await startTestServer();
    host = await createSession(server);
    ada = await joinSession(server, host.joinCode, 'Ada "the, first"');
    evil = await joinSession(server, host.joinCode, '=HYPERLINK("http://x","y")');
    await joinSession(server, host.joinCode, "../../etc/passwd");
    await joinSession(server, host.joinCode, 'Ada "the, first"');
    await server.rooms.change(workspaceDocName(host.sessionId, ada.workspaceId), (room) => {
      const text = room.doc.getMap<Y.Text>("files").get(TASK)!;
      text.delete(0, text.length);
      text.insert(0, "export const step = (x, lr) => x - lr * 2 * (x - 3);\n");
    });
    const run = (who: Attendee, passed: boolean) =>
      server.api(`/api/sessions/${host.sessionId}/runs`, {
        method: "POST",
        bearer: who.token,
        json: {
          taskId: TASK,
          status: "ok",
          checks: [
            { name: "a", passed: true },
            { name: "b", passed },
          ],
          metrics: {},
          durationMs: 5,
        },
      });
    await run(ada, false);
    await run(ada, true);
    await run(evil, false);
    await storeVerified(server, host, ada.workspaceId, TASK, [{ name: "a", passed: true }]);
  });
  afterAll(() => stopTestServer(server));

  const exportAs = (format: string, bearer = host.hostKey) =>
    fetch(`${server.url}/api/sessions/${host.sessionId}/export?format=${format}`, {
      headers: { authorization: `Bearer ${bearer}` },
    });

  it("gives the progress as CSV, one row per participant and task, formulas neutralised", async () => {
    const res = await exportAs("csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="scratchroom-.*\.csv"$/);
    const rows = parseCsv(await res.text());
    expect(rows[0]).toEqual([
      "participant",
      "task",
      "latest run status",
      "checks passed",
      "checks total",
      "verified",
      "last run at",
      "runs",
    ]);
    expect(rows.length).toBe(5);
    const [, adaRow, evilRow, slashRow] = rows;
    expect(adaRow!.slice(0, 6)).toEqual(['Ada "the, first"', TASK, "ok", "2", "2", "true"]);
    expect(new Date(adaRow![6]!).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(adaRow![7]).toBe("2");
    expect(evilRow!.slice(0, 6)).toEqual([`'=HYPERLINK("http://x","y")`, TASK, "ok", "1", "2", ""]);
    expect(slashRow).toEqual(["../../etc/passwd", TASK, "none", "", "", "", "", "0"]);
  });

  it("gives every workspace's code as a zip, one folder per participant, names made safe", async () => {
    const res = await exportAs("zip");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const names = Object.keys(files).filter((n) => !n.endsWith("/"));
    const adaFolder = pathSegment('Ada "the, first"');
    expect(names.sort()).toEqual(
      [
        "progress.csv",
        "summary.json",
        ...[
          adaFolder,
          `${adaFolder} (2)`,
          pathSegment('=HYPERLINK("http://x","y")'),
          "_.._etc_passwd",
        ].flatMap((folder) => [`${folder}/${TASK}.js`, `${folder}/history.jsonl`]),
      ].sort(),
    );
    expect(names.every((n) => !n.split("/").includes("..") && !n.startsWith("/"))).toBe(true);
    expect(strFromU8(files[`${adaFolder}/${TASK}.js`]!)).toBe(
      "export const step = (x, lr) => x - lr * 2 * (x - 3);\n",
    );
    const starter = strFromU8(files[`${adaFolder} (2)/${TASK}.js`]!);
    expect(starter).toBe(server.sessions.packs.get("demo")!.tasks[0]!.starter);
    expect(parseCsv(strFromU8(files["progress.csv"]!)).length).toBe(5);
    const summary = JSON.parse(strFromU8(files["summary.json"]!));
    expect(summary).toMatchObject({ sessionId: host.sessionId, names: "shown", participants: 4 });
  });

  it("is for the host only, and only csv or zip", async () => {
    expect((await exportAs("csv", ada.token)).status).toBe(403);
    expect((await fetch(`${server.url}/api/sessions/${host.sessionId}/export`)).status).toBe(401);
    const bad = await exportAs("xlsx");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("invalid_format");
  });
});
