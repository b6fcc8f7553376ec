/**
 * Opening a two-hour history (issue 19, `npm run bench:history`): the host opens the follow view of
 * a pair whose workspace holds two hours of history; budget 500 ms.
 *
 *   npx tsx bench/history-follow.ts        HISTORY_FOLLOW_MINUTES (120), HISTORY_FOLLOW_REPEATS (9),
 *                                          HISTORY_FOLLOW_CLASS (15), HISTORY_FOLLOW_DB (sqlite|postgres)
 *
 * Seeding: the real server on a fresh SQLite DATA_DIR (or a throwaway PostgreSQL schema); a session
 * of the demo pack, two attendees joined and paired through the API; then, through a second storage
 * instance on the same database (the real storage code, the server's own tables), the typical session of bench/history-session.ts over the
 * two hours before now: a version at each minute's timed tick and one at each run, and the run
 * itself (its report: some checks failing, sometimes a NaN loss), with the times of then; and the
 * runs of HISTORY_FOLLOW_CLASS (15) other workspaces, a run a minute each, as a class has. The live
 * doc gets the final text through a y-websocket client, as the pair's editors would leave it.
 *
 * Rows (medians of the repeats, after one warm-up):
 *   storage   listSnapshots; getSnapshot of the latest version and of the one farthest from its
 *             keyframe; loadHistory (every text rebuilt, what getSnapshot did before keyframes)
 *   API       the host's GET …/history (versions with run markers) and GET …/history/:vid of the
 *             latest version, one after the other as a timeline opening would: the part that does
 *             not need the UI
 *   browser   Chromium (playwright-core), the host dashboard loaded, click "Follow <pair>" → the
 *             element `.history-timeline[data-state="ready"]` (the timeline UI's contract); also
 *             click → the followed code shown. Without a timeline in the client the row says
 *             "timeline UI not present".
 */
import { performance } from "node:perf_hooks";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { historyTextSchema, workspaceHistorySchema, type WorkspaceHistory } from "../contract/history.js";
import { workspaceFiles } from "../contract/session-doc.js";
import { KEYFRAME_EVERY, textDelta } from "../server/storage/history.js";
import { PostgresStorage } from "../server/storage/postgres.js";
import { SqliteStorage } from "../server/storage/sqlite.js";
import type { Storage } from "../server/storage/types.js";
import { createTestSchema, type TestSchema } from "../support/pg-schema.js";
import type { RunReport } from "../contract/run-report.js";
import { buildClient, launchChromium } from "../support/harness.js";
import {
  connect,
  createSession,
  joinSession,
  startTestServer,
  stopTestServer,
  synced,
  type TestServer,
} from "../support/server.js";
import { typicalSession } from "./history-session.js";
import { median } from "./stats.js";

const MINUTES = Number(process.env.HISTORY_FOLLOW_MINUTES ?? 120);
const REPEATS = Number(process.env.HISTORY_FOLLOW_REPEATS ?? 9);
/** The server's database: "sqlite" (a fresh DATA_DIR) or "postgres" (a throwaway schema of POSTGRES_URL). */
const DB = process.env.HISTORY_FOLLOW_DB === "postgres" ? "postgres" : "sqlite";
/** Other workspaces of the session, each with a run a minute (the rest of a class). */
const CLASS = Number(process.env.HISTORY_FOLLOW_CLASS ?? 15);
const BUDGET_MS = 500;
const TASK = "gradient-descent";
/** How long the browser row waits for the timeline after the followed code is shown. */
const TIMELINE_GRACE_MS = 5000;

const CHECKS = ["moves toward 3", "loss decreases", "converges", "stays finite"];

/** A 100-step loss curve, as a training task plots it. */
const curve = (nan: boolean) =>
  Array.from({ length: 100 }, (_, i) => (nan && i === 99 ? Number.NaN : Math.exp(-i / 30)));

/** Minute `m`'s run report: more checks pass as the session goes on; a NaN loss now and then. */
function reportAt(m: number): RunReport {
  const passing = Math.min(CHECKS.length, Math.floor(m / 20) + (m % 3 === 0 ? 0 : 1));
  const nan = m % 11 === 5;
  return {
    taskId: TASK,
    status: m % 13 === 7 ? "error" : "ok",
    checks: CHECKS.map((name, i) =>
      i < passing ? { name, passed: true } : { name, passed: false, message: "not yet" },
    ),
    metrics: { loss: curve(nan) },
    ...(nan ? { nonFinite: { loss: { step: 99, value: "NaN" as const } } } : {}),
    durationMs: 40,
  };
}

interface Seeded {
  sessionId: string;
  hostKey: string;
  workspaceId: string;
  pairName: string;
  versions: number;
  finalText: string;
}

/** A paired session with MINUTES of history ending now (see the header). */
/** A second storage instance on the server's database. */
type OpenStorage = () => Promise<Storage>;

async function seed(server: TestServer, openStorage: OpenStorage): Promise<Seeded> {
  const hosted = await createSession(server);
  const ada = await joinSession(server, hosted.joinCode, "Ada");
  const bob = await joinSession(server, hosted.joinCode, "Bob");
  const paired = await server.api(`/api/sessions/${hosted.sessionId}/pairs`, {
    method: "POST",
    bearer: hosted.hostKey,
    json: { participantIds: [ada.participantId, bob.participantId] },
  });
  if (paired.status !== 201) throw new Error(`pairing: ${paired.status} ${JSON.stringify(paired.body)}`);
  const workspaceId = ada.workspaceId;
  const history = async () => {
    const res = await server.api(`/api/sessions/${hosted.sessionId}/workspaces/${workspaceId}/history`, {
      bearer: hosted.hostKey,
    });
    return workspaceHistorySchema.parse(res.body).versions;
  };
  // Pairing loaded the workspace doc: the recorder keeps its starter when the doc leaves memory.
  await eventually(async () => (await history()).length > 0, "the starter's version");

  const session = typicalSession(MINUTES, 19);
  const storage = await openStorage();
  const start = Date.now() - MINUTES * 60_000;
  const keep = (at: number, runId: number | null, text: string) =>
    storage.records.addSnapshot({ sessionId: hosted.sessionId, workspaceId, file: TASK, at, runId, text });
  await keep(start, null, session.starter);
  for (const { minute, tick, run } of session.minutes) {
    const t = start + minute * 60_000;
    await keep(t + 30_000, null, tick);
    const stored = await storage.records.addRun({
      sessionId: hosted.sessionId,
      participantId: minute % 2 === 0 ? ada.participantId : bob.participantId,
      workspaceId,
      report: reportAt(minute),
      at: t + 55_000,
    });
    await keep(t + 55_000, stored.id, run);
  }
  // The rest of the class runs too: their runs are the session's, not this workspace's.
  for (let w = 0; w < CLASS; w++) {
    for (let minute = 0; minute < MINUTES; minute++) {
      await storage.records.addRun({
        sessionId: hosted.sessionId,
        participantId: `class-${w}`,
        workspaceId: `class-workspace-${w}`,
        report: reportAt(minute),
        at: start + minute * 60_000 + w * 1000,
      });
    }
  }
  const versions = (await storage.records.listSnapshots(hosted.sessionId, workspaceId)).length;
  await storage.close();

  // The live doc holds the final text, as the pair's editors left it.
  const finalText = session.minutes.at(-1)!.run;
  const provider = connect(server, `workspace/${hosted.sessionId}/${workspaceId}`, ada.token);
  await synced(provider);
  const files = workspaceFiles(provider.doc);
  const ytext = files.get(TASK);
  if (!ytext) throw new Error(`the workspace has no ${TASK}`);
  provider.doc.transact(() => {
    let at = 0;
    for (const op of textDelta(ytext.toString(), finalText)) {
      if (typeof op === "string") {
        ytext.insert(at, op);
        at += op.length;
      } else if (op > 0) at += op;
      else ytext.delete(at, -op);
    }
  });
  provider.destroy();
  // The recorder keeps the doc when it leaves memory: the final text again, which stores nothing.
  await eventually(async () => (await history()).at(-1)?.length === finalText.length, "the final version");
  return {
    sessionId: hosted.sessionId,
    hostKey: hosted.hostKey,
    workspaceId,
    pairName: "Ada & Bob",
    versions,
    finalText,
  };
}

/** Polls `ok` every 100 ms for up to 10 s. */
async function eventually(ok: () => Promise<boolean>, what: string): Promise<void> {
  for (let waited = 0; !(await ok()); waited += 100) {
    if (waited > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Median ms of `repeats` runs of `work`, after one warm-up. */
async function timed(work: () => Promise<unknown>, repeats = REPEATS): Promise<number> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    await work();
    times.push(performance.now() - t);
  }
  return median(times);
}

type Row = [measure: string, result: string, note: string];

async function storageRows(openStorage: OpenStorage, s: Seeded): Promise<Row[]> {
  const storage = await openStorage();
  try {
    const list = await storage.records.listSnapshots(s.sessionId, s.workspaceId);
    const latest = list.at(-1)!;
    // The version just before a keyframe: the most deltas to apply.
    const farthest = list[Math.min(list.length, KEYFRAME_EVERY) - 1]!;
    const rows: Row[] = [
      [
        `storage listSnapshots (${list.length} versions)`,
        ms(await timed(() => storage.records.listSnapshots(s.sessionId, s.workspaceId))),
        "no texts",
      ],
      [
        "storage getSnapshot, latest version",
        ms(await timed(() => storage.records.getSnapshot(s.sessionId, s.workspaceId, latest.id))),
        "from its keyframe",
      ],
      [
        `storage getSnapshot, ${KEYFRAME_EVERY - 1} deltas after a keyframe`,
        ms(await timed(() => storage.records.getSnapshot(s.sessionId, s.workspaceId, farthest.id))),
        "the most any version needs",
      ],
      [
        "storage loadHistory (every text rebuilt)",
        ms(await timed(() => storage.records.loadHistory(s.sessionId, s.workspaceId))),
        "what one version cost before keyframes",
      ],
    ];
    return rows;
  } finally {
    await storage.close();
  }
}

async function apiRows(server: TestServer, s: Seeded): Promise<Row[]> {
  const base = `/api/sessions/${s.sessionId}/workspaces/${s.workspaceId}/history`;
  const get = async (path: string) => {
    const res = await server.api(path, { bearer: s.hostKey });
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
    return res.body as unknown;
  };
  let history: WorkspaceHistory | undefined;
  const list = () => get(base).then((body) => (history = workspaceHistorySchema.parse(body)));
  await list();
  const latest = history!.versions.at(-1)!;
  const markers = history!.versions.filter((v) => v.run).length;
  const text = historyTextSchema.parse(await get(`${base}/${latest.id}`)).text;
  if (text !== s.finalText) throw new Error("the latest version is not the final text");
  const listMs = await timed(list);
  const textMs = await timed(() => get(`${base}/${latest.id}`));
  const openMs = await timed(async () => {
    const { versions } = workspaceHistorySchema.parse(await get(base));
    historyTextSchema.parse(await get(`${base}/${versions.at(-1)!.id}`));
  });
  return [
    [
      `API GET …/history (${history!.versions.length} versions, ${markers} run markers)`,
      ms(listMs),
      "host, parsed with the contract",
    ],
    ["API GET …/history/:vid (latest)", ms(textMs), `${text.length} chars`],
    ["API open: list + latest text", ms(openMs), budget(openMs)],
  ];
}

/**
 * In the page: clicks Follow for `name`, then the follow view's "History" as soon as it is there (as a
 * host would, at once), and resolves with the ms from the Follow click until the followed code is
 * shown and until the timeline is ready (-1: no timeline element within the grace time; -2: a timeline
 * element that never became ready).
 */
const FOLLOW_TO_TIMELINE = (name: string) => `new Promise((resolve) => {
  const button = document.querySelector('button[aria-label=${JSON.stringify(`Follow ${name}`)}]');
  if (!button) throw new Error("no Follow button for ${name}");
  let code = -1;
  let done = false;
  let historyClicked = false;
  let timelineAt = -1;
  const start = performance.now();
  const check = () => {
    if (done) return;
    const now = performance.now() - start;
    if (code < 0) {
      const content = document.querySelector(".follow-view .cm-content");
      if (content && content.textContent.length > 0) code = now;
    }
    if (!historyClicked) {
      const history = [...document.querySelectorAll(".follow-view button")].find((b) => b.textContent.trim() === "History");
      if (history) {
        historyClicked = true;
        history.click();
      }
    }
    if (timelineAt < 0 && document.querySelector('.history-timeline[data-state="ready"]')) timelineAt = now;
    if (timelineAt >= 0 && code >= 0) finish(timelineAt);
  };
  const finish = (timeline) => {
    done = true;
    observer.disconnect();
    resolve({ code, timeline });
  };
  const observer = new MutationObserver(check);
  observer.observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
  const giveUp = () => {
    if (done) return;
    if (code < 0) return setTimeout(giveUp, 100);
    setTimeout(() => {
      if (done) return;
      finish(document.querySelector(".history-timeline") ? -2 : -1);
    }, ${TIMELINE_GRACE_MS});
  };
  setTimeout(giveUp, 100);
  button.click();
})`;

async function browserRows(server: TestServer, s: Seeded): Promise<Row[]> {
  const browser = await launchChromium();
  try {
    const hostUrl = `${server.url}/host/${s.sessionId}#key=${encodeURIComponent(s.hostKey)}`;
    const open = async (page: Page) => {
      // A fresh document each time (the same URL with another fragment would not reload).
      await page.goto("about:blank");
      await page.goto(hostUrl);
      await page.locator(`button[aria-label="Follow ${s.pairName}"]`).waitFor({ timeout: 30_000 });
      return page.evaluate<{ code: number; timeline: number }>(FOLLOW_TO_TIMELINE(s.pairName));
    };
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const first = await open(page); // warm-up: the browser's cache of the client
    const results: { code: number; timeline: number }[] = [];
    if (first.timeline >= 0) for (let i = 0; i < REPEATS; i++) results.push(await open(page));
    else results.push(first);
    await context.close();
    const code = median(results.map((r) => r.code));
    const timeline = results.map((r) => r.timeline);
    const row: Row =
      timeline[0] === -1
        ? [
            "browser: click Follow, then History → timeline ready",
            "timeline UI not present",
            "no .history-timeline in the follow view",
          ]
        : timeline.some((t) => t === -2)
          ? [
              "browser: click Follow, then History → timeline ready",
              "timeline never ready",
              'a .history-timeline without data-state="ready"',
            ]
          : [
              "browser: click Follow, then History → timeline ready",
              ms(median(timeline)),
              budget(median(timeline)),
            ];
    return [
      ["browser: click Follow → followed code shown", ms(code), "the follow view without history"],
      row,
    ];
  } finally {
    await browser.close();
  }
}

const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;
const budget = (n: number) => `${(n / BUDGET_MS).toFixed(2)} of ${BUDGET_MS} ms`;

async function main() {
  await buildClient();
  // No timed versions while seeding: the recorder keeps the live doc only when it leaves memory.
  const schema: TestSchema | null = DB === "postgres" ? await createTestSchema("histbench") : null;
  const server = await startTestServer({
    historyIntervalMs: 3_600_000,
    ...(schema ? { databaseUrl: schema.url } : {}),
  });
  const openStorage: OpenStorage = schema
    ? () => PostgresStorage.connect(schema.url, 2)
    : async () => new SqliteStorage(join(server.dataDir, "scratchroom.db"));
  try {
    const seeded = await seed(server, openStorage);
    const rows: Row[] = [
      [
        `${DB}, seeded: ${MINUTES} min, ${MINUTES} runs (+ ${CLASS * MINUTES} of ${CLASS} other workspaces)`,
        `${seeded.versions} versions`,
        `final text ${seeded.finalText.split("\n").length - 1} lines`,
      ],
      ...(await storageRows(openStorage, seeded)),
      ...(await apiRows(server, seeded)),
      ...(await browserRows(server, seeded)),
    ];
    const header: Row = ["measure (median)", "result", "note"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (r: readonly string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
    console.log([line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n"));
    if (rows.some((r) => r[1] === "timeline never ready")) process.exitCode = 1;
  } finally {
    await stopTestServer(server);
    await schema?.drop();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
