/**
 * The classroom-evening scenario of bench/sync.ts (issue 20): 60 attendees in 30 pairs on a
 * training task for `minutes` of simulated time, compressed `compress` times (the same event
 * counts in 1/compress of the wall time: every rate below is multiplied by it).
 *
 * Per pair, one driver types 2–4 keystrokes/s (different per pair) into the pair's workspace doc
 * and the partner reads it; all 60 attendees follow the session doc, into which the host
 * broadcasts at the start and once a simulated minute. Every attendee runs the training task (train-spirals of
 * w05-neural-networks-2) every 40–80 simulated seconds and its room posts the run report, as
 * the room does (POST /api/sessions/:sid/runs with the attendee's bearer token; a report shaped
 * like client/run/report.ts makes: loss and accuracy curves of 200 points, the checks, the last
 * console lines, the device census). The host's dashboard has the class view open: it follows
 * the session's server-sent events (GET /api/sessions/:sid/events?token=<host key>, the stream
 * client/host/session-events.ts opens) and each `run` event is timed from the POST.
 *
 * For Scratchroom the class is real (and bench/sync.ts runs it a second time, "sync part only",
 * without the reports and the dashboard, to separate what they cost): a session created, 60 joins and a random auto-pairing
 * through the HTTP API, every client on its own token. The baselines have no run reports and
 * no dashboard: they carry the sync part only (the same typing, partners and session doc), so
 * the comparison with them is the partner and broadcast latency and the server CPU.
 *
 * Figures: partner p50/p99 (keystroke → partner), broadcast p99 (host → attendees), dashboard
 * p50/p99 (run report posted → `run` event at the host), POST p99 (the attendee's answer),
 * server CPU over the window, event-loop delay p99, peak RSS. Converged = every partner got
 * every keystroke, every attendee every broadcast, the dashboard every run (each POST a 201).
 */
import { request as httpRequest } from "node:http";
import * as Y from "yjs";
import type { RunReport } from "../contract/run-report.js";
import { BenchClient, type ServerInfo } from "./sync-client.js";
import { classroomDocs, markerReader, type Doc, type Row, type Server, Window } from "./sync-harness.js";
import { SeenMarkers, SentMarkers } from "./markers.js";
import { ascending, percentile, sleep, until } from "./stats.js";

export interface EveningOptions {
  /** Simulated minutes of the evening. */
  minutes: number;
  /** Time compression: simulated seconds per wall second. */
  compress: number;
  /** A Scratchroom server: a real class, run reports and the dashboard's events (else sync only). */
  dashboard: boolean;
  /**
   * Wall seconds of the same traffic (keystrokes, broadcasts, reports) before the window, their
   * latencies dropped; the window then has the counts `minutes` has.
   */
  warmup: number;
}

export const EVENING_PACK = "w05-neural-networks-2";
export const EVENING_TASK = "train-spirals";
const PAIRS = 30;
/** Marker ids of the host's broadcasts, apart from the typists' ("#w:seq#"). */
const HOST = 1_000_000;

/** One attendee: its token and the doc of the workspace it shares with its partner. */
interface Attendee {
  token: string;
  workspace: Doc;
}

interface Evening {
  /** 60 attendees, two per workspace, ordered so attendees 2k and 2k+1 are pair k. */
  attendees: Attendee[];
  session: Doc;
  hostToken: string;
  /** Scratchroom's HTTP base and session id (null for a baseline). */
  api: { base: string; sessionId: string } | null;
}

/** JSON over HTTP with a bearer token; resolves with the status and the parsed body. */
async function call(
  method: string,
  url: string,
  token: string | null,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as unknown) : null };
}

async function ok<T>(method: string, url: string, token: string | null, body?: unknown): Promise<T> {
  const { status, json } = await call(method, url, token, body);
  if (status >= 300) throw new Error(`${method} ${url}: ${status} ${JSON.stringify(json)}`);
  return json as T;
}

/** A real class on Scratchroom: a session, 60 joins through the API, random pairs. */
async function scratchroomClass(info: ServerInfo): Promise<Evening> {
  const base = info.url.replace(/^ws/, "http").replace(/\/sync$/, "") + "/api";
  const created = await ok<{ sessionId: string; hostKey: string; joinCode: string }>(
    "POST",
    `${base}/sessions`,
    null,
    { pack: EVENING_PACK, title: "Classroom evening (bench)" },
  );
  const joined: { participantId: string; token: string }[] = [];
  for (let i = 0; i < PAIRS * 2; i++) {
    joined.push(
      await ok("POST", `${base}/join`, null, { joinCode: created.joinCode, name: `Attendee ${i + 1}` }),
    );
  }
  await ok("POST", `${base}/sessions/${created.sessionId}/pairs/auto`, created.hostKey, { mode: "random" });
  const byWorkspace = new Map<string, Attendee[]>();
  for (const j of joined) {
    const me = await ok<{ workspaceId: string }>("GET", `${base}/sessions/${created.sessionId}/me`, j.token);
    const docName = `workspace/${created.sessionId}/${me.workspaceId}`;
    const pair = byWorkspace.get(docName) ?? [];
    pair.push({ token: j.token, workspace: { docName, token: j.token } });
    byWorkspace.set(docName, pair);
  }
  const attendees = [...byWorkspace.values()].flat();
  if (byWorkspace.size !== PAIRS || attendees.length !== PAIRS * 2)
    throw new Error(`auto-pairing made ${byWorkspace.size} workspaces for ${attendees.length} attendees`);
  return {
    attendees,
    session: { docName: `session/${created.sessionId}`, token: created.hostKey },
    hostToken: created.hostKey,
    api: { base, sessionId: created.sessionId },
  };
}

/** A baseline's class: 30 workspace docs, the pair sharing its workspace's token. */
async function baselineClass({ child }: Server): Promise<Evening> {
  const docs = await classroomDocs(child, PAIRS);
  return {
    attendees: docs.workspaces.flatMap((w) => [
      { token: w.token, workspace: w },
      { token: w.token, workspace: w },
    ]),
    session: docs.session,
    hostToken: docs.hostToken,
    api: null,
  };
}

/** A seeded pseudo-random generator (mulberry32), so every server gets the same reports. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A run report as the room posts one after a training run of train-spirals: the loss and
 * accuracy curves (200 points, the room's cap), the four checks, the last console lines, the
 * device census. `marker` goes into the first console line, so the dashboard's event can be
 * matched to its POST.
 */
export function trainingReport(marker: string, attempt: number, rand: () => number): RunReport {
  const steps = 200;
  const rate = 0.01 + rand() * 0.03;
  const diverged = rand() < 0.05;
  const loss = Array.from({ length: steps }, (_, i) =>
    diverged && i > 150 ? 1e6 * (i - 150) : 1.1 * Math.exp(-rate * i) + 0.05 + rand() * 0.02,
  );
  const accuracy = Array.from({ length: steps }, (_, i) =>
    Math.min(1, 0.33 + (0.6 * i) / steps + rand() * 0.03),
  );
  const passing = Math.min(4, attempt + Math.floor(rand() * 2));
  const names = [
    "initParams shapes and scale",
    "accuracy counts the most probable class",
    "one step moves every parameter against its gradient",
    "training reaches 90% accuracy on the spirals",
  ];
  const output = [
    { level: "log" as const, text: `${marker} training 3 spirals × 100 points, 40 hidden units, lr 1` },
    ...Array.from({ length: 29 }, (_, k) => ({
      level: "log" as const,
      text: `epoch ${(k + 1) * 10}: loss ${loss[Math.min(steps - 1, k * 7)]!.toFixed(4)}, accuracy ${accuracy[Math.min(steps - 1, k * 7)]!.toFixed(3)}`,
    })),
  ];
  return {
    taskId: EVENING_TASK,
    status: passing === 4 ? "ok" : "error",
    checks: names.map((name, k) =>
      k < passing
        ? { name, passed: true }
        : {
            name,
            passed: false,
            message: "expected accuracy ≥ 0.9, got 0.71",
            hint: "looks like the learning rate is too small for 2,000 steps",
          },
    ),
    metrics: { loss, accuracy },
    durationMs: 2000 + Math.round(rand() * 6000),
    output,
    device: {
      backend: "wasm",
      simd: true,
      threads: 1,
      crossOriginIsolated: false,
      msPerStep: 3 + rand() * 4,
    },
  };
}

/**
 * The dashboard's event stream: GET …/events?token=<host key>, server-sent events parsed as they
 * arrive; `onRun` gets each `run` event's data and its arrival time.
 */
function followEvents(
  url: string,
  onRun: (data: { report: RunReport }, at: number) => void,
): Promise<{ close(): void }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { accept: "text/event-stream" } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`events: ${res.statusCode}`));
        return;
      }
      res.setEncoding("utf8");
      let buffer = "";
      res.on("data", (chunk: string) => {
        const at = performance.now();
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = "message";
          const data: string[] = [];
          for (const line of block.split("\n")) {
            if (line.startsWith("event:")) event = line.slice(6).trim();
            else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
          }
          if (event === "ready") resolve({ close: () => req.destroy() });
          if (event === "run") onRun(JSON.parse(data.join("\n")) as { report: RunReport }, at);
        }
      });
    });
    req.on("error", (error) => reject(error));
    req.end();
  });
}

export async function classroomEvening(server: Server, options: EveningOptions): Promise<Row> {
  const { info, child } = server;
  const { minutes, compress } = options;
  const evening = options.dashboard ? await scratchroomClass(info) : await baselineClass(server);
  const wallMs = (minutes * 60_000) / compress;
  const at = (doc: Doc): ServerInfo => ({ ...info, ...doc });
  const sent = new SentMarkers();
  const partnerLatency: number[] = [];
  const broadcastLatency: number[] = [];
  const dashboardLatency: number[] = [];
  const postLatency: number[] = [];
  const partnerSeen: SeenMarkers[] = [];
  const attendeeSeen: SeenMarkers[] = [];
  const typists: BenchClient[] = [];
  const readers: BenchClient[] = [];
  for (let k = 0; k < PAIRS; k++) {
    const [driver, partner] = [evening.attendees[2 * k]!, evening.attendees[2 * k + 1]!];
    typists.push(new BenchClient(at(driver.workspace), undefined, new Y.Doc()));
    const seen = new SeenMarkers();
    partnerSeen.push(seen);
    readers.push(
      markerReader(at({ ...partner.workspace, token: partner.token }), sent, partnerLatency, seen),
    );
    for (const person of [driver, partner]) {
      const mine = new SeenMarkers();
      attendeeSeen.push(mine);
      readers.push(
        markerReader(
          at({ docName: evening.session.docName, token: person.token }),
          sent,
          broadcastLatency,
          mine,
        ),
      );
    }
    if (k % 10 === 9) await sleep(20);
  }
  const host = new BenchClient(at(evening.session), undefined, new Y.Doc());
  const all = [...readers, ...typists, host];
  if (!(await until(() => all.every((c) => c.syncedAt !== null), 30_000)))
    throw new Error("evening clients did not sync");

  // The dashboard: the class view follows the run events.
  const posted = new Map<string, number>();
  const runsSeen = new Set<string>();
  let postsRefused = 0;
  const api = evening.api;
  const events = api
    ? await followEvents(
        `${api.base}/sessions/${api.sessionId}/events?token=${encodeURIComponent(evening.hostToken)}`,
        (data, arrived) => {
          const marker = /#run:\d+#/.exec(data.report.output?.[0]?.text ?? "")?.[0];
          const t = marker === undefined ? undefined : posted.get(marker);
          if (marker === undefined || t === undefined || runsSeen.has(marker)) return;
          runsSeen.add(marker);
          dashboardLatency.push(arrived - t);
        },
      )
    : null;
  await sleep(300);

  let seq = 0;
  const typed = typists.map(() => [] as string[]);
  const texts = typists.map((t) => t.doc!.getText("bench"));
  // 2–4 keystrokes per simulated second, different per pair.
  const keysPerMs = typists.map((_, k) => ((2 + (k % 5) * 0.5) * compress) / 1000);
  const broadcasts: string[] = [];
  const board = host.doc!.getText("bench");
  const broadcastEveryMs = 60_000 / compress;
  let runs = 0;
  const inFlight: Promise<void>[] = [];
  const rand = random(20);
  // Every 40–80 simulated seconds per attendee, the first run somewhere in the first period.
  const schedule = evening.attendees.map((attendee, i) => {
    const periodMs = ((40 + rand() * 40) * 1000) / compress;
    return { attendee, i, periodMs, phaseMs: rand() * periodMs, done: 0 };
  });
  const post = (run: (typeof schedule)[number]) => {
    const marker = `#run:${runs++}#`;
    const report = trainingReport(marker, run.done, random(run.i * 1000 + run.done));
    run.done++;
    const started = performance.now();
    posted.set(marker, started);
    inFlight.push(
      call("POST", `${api!.base}/sessions/${api!.sessionId}/runs`, run.attendee.token, report).then(
        ({ status }) => {
          if (status !== 201) postsRefused++;
          postLatency.push(performance.now() - started);
        },
      ),
    );
  };
  // One clock for every event, each due at a fixed offset from the start: when the generator's
  // timers run late, the events that fell due are sent at once, so every server gets the same
  // number of keystrokes, broadcasts and reports whatever the machine's load.
  const t0 = performance.now();
  const endMs = options.warmup * 1000 + wallMs;
  const tick = (elapsed = Math.min(performance.now() - t0, endMs)) => {
    for (const [k, ids] of typed.entries()) {
      while (ids.length < Math.floor(elapsed * keysPerMs[k]! + 1e-9)) {
        const id = `${k}:${seq++}`;
        ids.push(id);
        sent.set(id, performance.now());
        texts[k]!.insert(Math.floor(Math.random() * (texts[k]!.length + 1)), `#${id}#`);
      }
    }
    while (broadcasts.length < 1 + Math.floor(elapsed / broadcastEveryMs)) {
      const id = `${HOST}:${seq++}`;
      broadcasts.push(id);
      sent.set(id, performance.now());
      board.insert(board.length, `#${id}# Everyone: plot your loss on a log scale\n`);
    }
    if (api) {
      for (const run of schedule) {
        const due = elapsed < run.phaseMs ? 0 : 1 + Math.floor((elapsed - run.phaseMs) / run.periodMs);
        while (run.done < due) post(run);
      }
    }
  };
  tick();
  const clock = setInterval(() => tick(), 5);
  // The warm-up: the same traffic, its latencies dropped (bench/sync.ts, --warmup).
  await sleep(options.warmup * 1000);
  for (const l of [partnerLatency, broadcastLatency, dashboardLatency, postLatency]) l.length = 0;
  const keystrokesBefore = typed.reduce((a, ids) => a + ids.length, 0);
  const runsBefore = posted.size;
  const window = await Window.open(child);
  await sleep(endMs - (performance.now() - t0));
  clearInterval(clock);
  // Everything due in the window (a timer may fire a little before its time).
  tick(endMs);
  await Promise.all(inFlight);
  const received = () =>
    typed.every((ids, k) => ids.every((id) => partnerSeen[k]!.has(id))) &&
    attendeeSeen.every((s) => broadcasts.every((id) => s.has(id))) &&
    runsSeen.size === posted.size;
  const converged = (await until(received, 5000)) && postsRefused === 0;
  const win = await window.close();
  events?.close();
  for (const c of all) c.close();
  const partner = ascending(partnerLatency);
  const dashboard = ascending(dashboardLatency);
  return {
    partnerP50: percentile(partner, 50),
    partnerP99: percentile(partner, 99),
    broadcastP99: percentile(ascending(broadcastLatency), 99),
    dashboardP50: api ? percentile(dashboard, 50) : NaN,
    dashboardP99: api ? percentile(dashboard, 99) : NaN,
    postP99: api ? percentile(ascending(postLatency), 99) : NaN,
    keystrokes: typed.reduce((a, ids) => a + ids.length, 0) - keystrokesBefore,
    runs: posted.size - runsBefore,
    serverCpu: win.serverCpu,
    loopP99: win.loopP99,
    serverWait: win.serverWait,
    rssMb: win.rssMb,
    genCpu: win.genCpu,
    converged,
  };
}
