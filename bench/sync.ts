/**
 * `npm run bench:sync`: Scratchroom vs the stock @y/websocket-server 0.1.1 vs @hocuspocus/server (no
 * extensions), in the same run, with the same clients (bench/sync-client.ts) and the same edits.
 *
 * Each server runs in its own child process pinned to core 0 (`taskset -c 0`), the load generator
 * (this process) to core 1, where taskset exists. Each configuration runs `--rounds` times (the
 * server order rotating) and the median of each figure is reported.
 *
 * Scenarios:
 *   hot room     1 room, N clients of which W type (`--rate` keystrokes/s each), the rest read raw
 *                frames; writer-to-reader latency p50/p95/p99, frames/s delivered, server CPU and
 *                event-loop delay p99. Converged = every reader received every keystroke and every
 *                writer's text is the same.
 *   big doc      a 160 KB doc, 50 clients joining at once: connect-to-synced p50/p99/max.
 *   awareness    50 clients moving cursors at 20 Hz: server CPU, event-loop delay, and the latency of
 *                cursor moves seen by 5 observers.
 *   fan-out CPU  without the network, server CPU per update fanned out to N peers, ours vs
 *                setupWSConnection (bench/sync-fanout-cpu.ts; the least noisy figure here).
 * A run where this process (the load generator) used ≥ 90% of its core is marked "gen-bound": its
 * figures say more about the generator than the server. One where the server got < 50% of its core
 * yet its event loop stalled > 100 ms (p99) is marked "starved": other processes held the core.
 *
 * Options: --quick (one small configuration per scenario, 1 round; < 3 minutes)
 *          --hot 10x1,50x5,200x20 (clients x writers) --rate 10 --seconds 4 --rounds 3
 *          --servers ours,baseline,hocuspocus --out file.md
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import * as Y from "yjs";
import { BenchClient, type ServerInfo } from "./sync-client.js";
import { fanoutCpu } from "./sync-fanout-cpu.js";
import { median, percentile, sleep, until } from "./stats.js";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    hot: { type: "string" },
    idle: { type: "string" },
    rate: { type: "string", default: "10" },
    seconds: { type: "string" },
    rounds: { type: "string" },
    servers: { type: "string", default: "ours,baseline,hocuspocus" },
    out: { type: "string" },
  },
});
const quick = values.quick;
const hot = (values.hot ?? (quick ? "50x5" : "10x1,50x5,200x5,200x20"))
  .split(",")
  .map((s) => s.split("x").map(Number) as [number, number]);
/** Idle capacity configurations: connections x rooms. */
const idle = (values.idle ?? (quick ? "500x100" : "1000x1,1000x100,1000x1000"))
  .split(",")
  .map((s) => s.split("x").map(Number) as [number, number]);
const rate = Number(values.rate);
const seconds = Number(values.seconds ?? (quick ? 3 : 4));
const rounds = Number(values.rounds ?? (quick ? 1 : 3));
type Which = "ours" | "baseline" | "hocuspocus";
const servers = values.servers.split(",") as Which[];
const names: Record<Which, string> = {
  ours: "Scratchroom",
  baseline: "@y/websocket-server 0.1.1",
  hocuspocus: "@hocuspocus/server 3.4.4",
};

const taskset = ["/usr/bin/taskset", "/bin/taskset"].find((p) => existsSync(p)) ?? null;
if (taskset) execFileSync(taskset, ["-a", "-cp", "1", String(process.pid)], { stdio: "ignore" });

interface Stats {
  cpuMicros: number;
  rss: number;
  maxRss: number;
  heapUsed: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

async function spawnServer(which: Which): Promise<{ child: ChildProcess; info: ServerInfo }> {
  const script = resolve(import.meta.dirname, "sync-server.ts");
  // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the servers.
  const extra = process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const node = [process.execPath, ...extra, "--import", "tsx", script, which];
  const [cmd, ...args] = taskset ? [taskset, "-c", "0", ...node] : node;
  const child = spawn(cmd!, args, { stdio: ["ignore", "pipe", "inherit", "ipc"] });
  const info = await new Promise<ServerInfo>((resolveInfo, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) resolveInfo(JSON.parse(line) as ServerInfo);
    });
    child.once("exit", (code) => reject(new Error(`${which} server exited (${code})`)));
  });
  return { child, info };
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once("exit", r));
  child.disconnect();
  await Promise.race([exited, sleep(5000)]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

function stats(child: ChildProcess): Promise<Stats> {
  return new Promise((r) => {
    child.once("message", (m) => r(m as Stats));
    child.send("stats");
  });
}

/** CPU of the server and of this process over a window, and the server's event-loop delay. */
class Window {
  private readonly t0 = performance.now();
  private readonly genCpu0 = process.cpuUsage();
  private constructor(
    private readonly child: ChildProcess,
    private readonly before: Stats,
  ) {}
  static async open(child: ChildProcess): Promise<Window> {
    return new Window(child, await stats(child));
  }
  async close() {
    const after = await stats(this.child);
    const wall = (performance.now() - this.t0) * 1000;
    const gen = process.cpuUsage(this.genCpu0);
    return {
      wallMs: wall / 1000,
      serverCpu: ((after.cpuMicros - this.before.cpuMicros) / wall) * 100,
      genCpu: ((gen.user + gen.system) / wall) * 100,
      loopP99: after.loopDelayP99Ms,
      rssMb: after.maxRss / 2 ** 20,
    };
  }
}

type Row = Record<string, number | string | boolean>;

async function hotRoom(which: Which, clients: number, writers: number): Promise<Row> {
  const { child, info } = await spawnServer(which);
  try {
    const sent = new Map<string, number>();
    const latencies: number[] = [];
    const seen: Set<string>[] = [];
    const readers: BenchClient[] = [];
    for (let i = 0; i < clients - writers; i++) {
      const mine = new Set<string>();
      seen.push(mine);
      readers.push(
        new BenchClient(info, (update, at) => {
          const text = Buffer.from(update.buffer, update.byteOffset, update.byteLength).toString("latin1");
          for (const m of text.matchAll(/#(\d+:\d+)#/g)) {
            const t = sent.get(m[1]!);
            if (t !== undefined && !mine.has(m[1]!)) {
              mine.add(m[1]!);
              latencies.push(at - t);
            }
          }
        }),
      );
      if (i % 25 === 24) await sleep(20);
    }
    const writerClients = Array.from(
      { length: writers },
      () => new BenchClient(info, undefined, new Y.Doc()),
    );
    const all = [...readers, ...writerClients];
    if (!(await until(() => all.every((c) => c.syncedAt !== null), 30_000)))
      throw new Error("clients did not sync");
    await sleep(300);
    const framesBefore = readers.reduce((a, r) => a + r.frames, 0);
    const window = await Window.open(child);
    let seq = 0;
    const timers = writerClients.map((w, k) => {
      const text = w.doc!.getText("bench");
      return setInterval(() => {
        const id = `${k}:${seq++}`;
        sent.set(id, performance.now());
        text.insert(Math.floor(Math.random() * (text.length + 1)), `#${id}#`);
      }, 1000 / rate);
    });
    await sleep(seconds * 1000);
    for (const t of timers) clearInterval(t);
    const typedMs = seconds * 1000;
    const expected = sent.size;
    const delivered = await until(() => seen.every((s) => s.size === expected), 5000);
    const w = await window.close();
    const frames = readers.reduce((a, r) => a + r.frames, 0) - framesBefore;
    const converged =
      delivered &&
      (await until(
        () => new Set(writerClients.map((c) => c.doc!.getText("bench").toString())).size === 1,
        5000,
      ));
    for (const c of all) c.close();
    latencies.sort((a, b) => a - b);
    return {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      framesPerS: frames / (typedMs / 1000),
      serverCpu: w.serverCpu,
      loopP99: w.loopP99,
      rssMb: w.rssMb,
      genCpu: w.genCpu,
      converged,
      delivered: `${seen.reduce((a, s) => a + s.size, 0)}/${expected * readers.length}`,
    };
  } finally {
    await stopServer(child);
  }
}

function roomDocs(child: ChildProcess, rooms: number): Promise<{ docName: string; token: string }[]> {
  return new Promise((r) => {
    const onMessage = (m: unknown) => {
      if (typeof m !== "object" || m === null || !("docs" in m)) return;
      child.off("message", onMessage);
      r((m as { docs: { docName: string; token: string }[] }).docs);
    };
    child.on("message", onMessage);
    child.send({ rooms });
  });
}

async function idleCapacity(which: Which, connections: number, rooms: number): Promise<Row> {
  const { child, info } = await spawnServer(which);
  try {
    const docs = await roomDocs(child, rooms);
    await sleep(500);
    const before = await stats(child);
    const window = await Window.open(child);
    const clients: BenchClient[] = [];
    for (let i = 0; i < connections; i++) {
      clients.push(new BenchClient({ ...info, ...docs[i % rooms]! }));
      if (i % 50 === 49) await sleep(10);
    }
    const converged = await until(() => clients.every((c) => c.syncedAt !== null), 60_000);
    await sleep(1000);
    const w = await window.close();
    const after = await stats(child);
    const times = clients.map((c) => (c.syncedAt ?? NaN) - c.openedAt).sort((a, b) => a - b);
    for (const c of clients) c.close();
    const rssKb = (after.rss - before.rss) / 1024;
    const heapKb = (after.heapUsed - before.heapUsed) / 1024;
    return {
      rssKbPerConn: rssKb / connections,
      heapKbPerConn: heapKb / connections,
      heapKbPerRoom: heapKb / rooms,
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      serverCpu: w.serverCpu,
      loopP99: w.loopP99,
      rssMb: after.rss / 2 ** 20,
      genCpu: w.genCpu,
      converged,
    };
  } finally {
    await stopServer(child);
  }
}

async function bigDoc(which: Which, joiners: number): Promise<Row> {
  const { child, info } = await spawnServer(which);
  try {
    const author = new BenchClient(info, undefined, new Y.Doc());
    await until(() => author.syncedAt !== null, 10_000);
    const text = author.doc!.getText("bench");
    const line = "x".repeat(63) + "\n";
    // 160 KB in 2,560 keystroke-sized inserts, so the doc has a realistic struct count.
    for (let i = 0; i < 2560; i++) text.insert(text.length, line);
    // The server has it all once a fresh reader syncs the full length.
    const size = text.length;
    let probeLength = 0;
    const probeDoc = new Y.Doc();
    const probe = new BenchClient(info, undefined, probeDoc);
    await until(() => (probeLength = probeDoc.getText("bench").length) === size, 30_000);
    probe.close();
    const window = await Window.open(child);
    const t0 = performance.now();
    const clients = Array.from({ length: joiners }, () => new BenchClient(info, undefined, new Y.Doc()));
    const converged = await until(
      () => clients.every((c) => c.syncedAt !== null && c.doc!.getText("bench").length === size),
      60_000,
    );
    const w = await window.close();
    const times = clients.map((c) => (c.syncedAt ?? NaN) - t0).sort((a, b) => a - b);
    for (const c of [author, ...clients]) c.close();
    return {
      docKb: Math.round(Y.encodeStateAsUpdate(author.doc!).byteLength / 1024),
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      max: times.at(-1)!,
      serverCpu: w.serverCpu,
      loopP99: w.loopP99,
      rssMb: w.rssMb,
      genCpu: w.genCpu,
      converged: converged && probeLength === size,
    };
  } finally {
    await stopServer(child);
  }
}

async function awarenessStorm(which: Which, clients: number, hz: number): Promise<Row> {
  const { child, info } = await spawnServer(which);
  try {
    const latencies: number[] = [];
    const observers = 5;
    const sentAt = new Map<string, number>();
    const seen = Array.from({ length: observers }, () => new Set<string>());
    const all = Array.from({ length: clients }, (_, i) => {
      const c = new BenchClient(info);
      if (i < observers) {
        c.ws.on("message", (data: Buffer) => {
          const at = performance.now();
          for (const m of data.toString("latin1").matchAll(/"m":"(\d+):(\d+)"/g)) {
            const id = `${m[1]}:${m[2]}`;
            const t = sentAt.get(id);
            if (t === undefined || Number(m[1]) === i || seen[i]!.has(id)) continue;
            seen[i]!.add(id);
            latencies.push(at - t);
          }
        });
      }
      return c;
    });
    if (!(await until(() => all.every((c) => c.syncedAt !== null), 30_000)))
      throw new Error("clients did not sync");
    await sleep(300);
    const window = await Window.open(child);
    let clock = 0;
    const timers = all.map((c, i) =>
      setInterval(() => {
        const id = `${i}:${++clock}`;
        sentAt.set(id, performance.now());
        c.sendAwareness(1000 + i, clock, {
          user: { name: `u${i}` },
          cursor: { anchor: clock, head: clock },
          m: id,
        });
      }, 1000 / hz),
    );
    await sleep(seconds * 1000);
    for (const t of timers) clearInterval(t);
    await sleep(500);
    const w = await window.close();
    for (const c of all) c.close();
    latencies.sort((a, b) => a - b);
    return {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      serverCpu: w.serverCpu,
      loopP99: w.loopP99,
      rssMb: w.rssMb,
      genCpu: w.genCpu,
      // Every observer saw every move of every other client.
      converged: seen.every(
        (s, i) => s.size === [...sentAt.keys()].filter((id) => !id.startsWith(`${i}:`)).length,
      ),
    };
  } finally {
    await stopServer(child);
  }
}

/** Runs `measure` for every server, `rounds` times (rotating the order), and takes medians. */
async function compare(label: string, measure: (which: Which) => Promise<Row>): Promise<Map<Which, Row>> {
  const runs = new Map<Which, Row[]>(servers.map((s) => [s, []]));
  for (let round = 0; round < rounds; round++) {
    const order = servers.map((_, i) => servers[(i + round) % servers.length]!);
    for (const which of order) {
      const row = await measure(which);
      runs.get(which)!.push(row);
      console.error(
        `${label} round ${round + 1} ${which}: ${JSON.stringify(row, (_k, v) => (typeof v === "number" ? Number(v.toFixed(1)) : v))}`,
      );
    }
  }
  const out = new Map<Which, Row>();
  for (const [which, rows] of runs) {
    const merged: Row = {};
    for (const key of Object.keys(rows[0]!)) {
      const vs = rows.map((r) => r[key]!);
      if (typeof vs[0] === "number") merged[key] = median(vs as number[]);
      else if (typeof vs[0] === "boolean") merged[key] = vs.every(Boolean);
      else merged[key] = vs.join(" ");
    }
    merged.genBound = rows.some((r) => (r.genCpu as number) >= 90);
    // The server got little CPU yet its event loop stalled: other processes held the core.
    merged.starved = rows.some((r) => (r.serverCpu as number) < 50 && (r.loopP99 as number) > 100);
    out.set(which, merged);
  }
  return out;
}

const f = (x: number | string | boolean | undefined, d = 1) =>
  typeof x === "number" ? (Number.isFinite(x) ? x.toFixed(d) : "n/a") : String(x);

function table(title: string, results: Map<Which, Row>, columns: [string, string, number][]): string {
  const head = `| server | ${columns.map((c) => c[1]).join(" | ")} | converged | note |`;
  const rule = `| --- | ${columns.map(() => "---:").join(" | ")} | --- | --- |`;
  const rows = [...results].map(
    ([which, r]) =>
      `| ${names[which]} | ${columns.map(([k, , d]) => f(r[k], d)).join(" | ")} | ${r.converged ? "yes" : "**no**"} | ${[r.genBound ? "gen-bound" : "", r.starved ? "starved" : ""].filter(Boolean).join(", ")} |`,
  );
  const ours = results.get("ours");
  const ratios = ours
    ? [...results]
        .filter(([w]) => w !== "ours")
        .map(
          ([w, r]) =>
            `ours/${names[w]}: ` +
            columns
              .filter(([k]) => typeof ours[k] === "number")
              .map(([k, h]) => `${h} ${f((ours[k] as number) / (r[k] as number), 2)}`)
              .join(", "),
        )
    : [];
  return [`#### ${title}`, "", head, rule, ...rows, "", ...ratios.map((r) => `- ${r}`), ""].join("\n");
}

const sections: string[] = [];
const latencyColumns: [string, string, number][] = [
  ["p50", "p50 ms", 1],
  ["p95", "p95 ms", 1],
  ["p99", "p99 ms", 1],
  ["framesPerS", "frames/s", 0],
  ["serverCpu", "server CPU %", 0],
  ["loopP99", "loop delay p99 ms", 1],
  ["rssMb", "peak RSS MB", 0],
];
for (const [clients, writers] of hot) {
  const results = await compare(`hot ${clients}x${writers}`, (w) => hotRoom(w, clients, writers));
  sections.push(
    table(
      `Hot room: ${clients} clients, ${writers} writers × ${rate} keystrokes/s, ${seconds} s`,
      results,
      latencyColumns,
    ),
  );
}
for (const [connections, rooms] of idle) {
  const results = await compare(`idle ${connections}x${rooms}`, (w) => idleCapacity(w, connections, rooms));
  sections.push(
    table(
      `Idle capacity: ${connections} connections over ${rooms} room(s): memory and connect-to-synced`,
      results,
      [
        ["rssKbPerConn", "RSS KB/conn", 1],
        ["heapKbPerConn", "heap KB/conn", 1],
        ["heapKbPerRoom", "heap KB/room", 1],
        ["p50", "synced p50 ms", 1],
        ["p99", "synced p99 ms", 1],
        ["rssMb", "RSS MB", 0],
      ],
    ),
  );
}
{
  const results = await compare("big doc", (w) => bigDoc(w, 50));
  sections.push(
    table("Big doc: 160 KB of text (2,560 inserts), 50 clients joining at once: time to synced", results, [
      ["docKb", "doc KB", 0],
      ["p50", "p50 ms", 1],
      ["p99", "p99 ms", 1],
      ["max", "max ms", 1],
      ["serverCpu", "server CPU %", 0],
      ["loopP99", "loop delay p99 ms", 1],
      ["rssMb", "peak RSS MB", 0],
    ]),
  );
}
{
  const results = await compare("awareness", (w) => awarenessStorm(w, 50, 20));
  sections.push(
    table(
      `Awareness storm: 50 clients moving cursors at 20 Hz, ${seconds} s (latency seen by 5 observers)`,
      results,
      [
        ["p50", "p50 ms", 1],
        ["p99", "p99 ms", 1],
        ["serverCpu", "server CPU %", 0],
        ["loopP99", "loop delay p99 ms", 1],
        ["rssMb", "peak RSS MB", 0],
      ],
    ),
  );
}

{
  const peers = [...new Set(hot.map(([clients]) => clients))];
  const lines = [
    "#### Server CPU per update fanned out to N peers, in-process, no network (bench/sync-fanout-cpu.ts)",
    "",
    "| peers | Scratchroom µs/update | @y/websocket-server µs/update | ours/baseline |",
    "| ---: | ---: | ---: | ---: |",
  ];
  for (const n of peers) {
    const cpu = await fanoutCpu(n);
    lines.push(`| ${n} | ${f(cpu.ours, 0)} | ${f(cpu.baseline, 0)} | ${f(cpu.ours / cpu.baseline, 2)} |`);
  }
  sections.push(lines.join("\n") + "\n");
}

const header =
  `Node ${process.version}; ${taskset ? "servers pinned to core 0, load generator to core 1 (taskset)" : "no taskset: unpinned"}; ` +
  `median of ${rounds} round(s)${quick ? " (quick mode)" : ""}; load average at the end ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}.`;
const report = [header, "", ...sections].join("\n");
console.log("\n" + report);
if (values.out) writeFileSync(values.out, report + "\n");
process.exit(0);
