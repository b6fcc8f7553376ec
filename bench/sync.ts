/**
 * `npm run bench:sync`: update fan-out in one room, Scratchroom vs the stock
 * @y/websocket-server 0.1.1, in the same run.
 *
 * For each server (each in its own child process) and each room size N (50, 200): N clients join
 * one workspace doc; W of them are stock y-websocket providers typing at a steady rate, the rest
 * are bare WebSocket readers (so the bench process can keep up with 200 of them). Every keystroke
 * carries a marker "#writer:seq#"; a reader finds it in the raw update frame and records the
 * latency from the keystroke. Reported: fan-out latency p50/p99, server CPU (% of one core over
 * the typing window) and peak RSS, and the ratios ours/baseline.
 *
 * The machine is shared and noisy, so each configuration is measured in several rounds (the order
 * of the two servers alternating) and the median of each figure over the rounds is reported.
 *
 * Then, without the network, the server CPU per update fanned out to N peers (sync-fanout-cpu.ts).
 *
 * Options: --sizes 50,200 --writers 5 --rate 10 (keystrokes/s per writer) --seconds 3 --rounds 3
 */
import { type ChildProcess, fork } from "node:child_process";
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { fanoutCpu } from "./sync-fanout-cpu.js";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "50,200" },
    writers: { type: "string", default: "5" },
    rate: { type: "string", default: "10" },
    seconds: { type: "string", default: "3" },
    rounds: { type: "string", default: "3" },
    out: { type: "string" },
  },
});
const sizes = values.sizes.split(",").map(Number);
const writers = Number(values.writers);
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);

interface ServerInfo {
  url: string;
  docName: string;
  token: string;
}

interface Stats {
  cpuMicros: number;
  rss: number;
  maxRss: number;
}

interface Result {
  server: "ours" | "baseline";
  clients: number;
  samples: number;
  expected: number;
  p50: number;
  p99: number;
  cpuPercent: number;
  maxRssMb: number;
}

async function spawnServer(which: "ours" | "baseline"): Promise<{ child: ChildProcess; info: ServerInfo }> {
  const child = fork(resolve(import.meta.dirname, "sync-server.ts"), [which], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
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

function stats(child: ChildProcess): Promise<Stats> {
  return new Promise((r) => {
    child.once("message", (m) => r(m as Stats));
    child.send("stats");
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(which: "ours" | "baseline", n: number): Promise<Result> {
  const { child, info } = await spawnServer(which);
  const sent = new Map<string, number>();
  const latencies: number[] = [];
  const url = `${info.url}/${info.docName}?token=${encodeURIComponent(info.token)}`;

  // Readers: bare sockets; each decodes markers from the raw frames it receives.
  const readers: WebSocket[] = [];
  for (let i = 0; i < n - writers; i++) {
    const ws = new WebSocket(url);
    ws.binaryType = "nodebuffer";
    ws.on("message", (data: Buffer) => {
      const now = performance.now();
      if (data[0] !== 0) return; // sync messages only
      const text = data.toString("latin1");
      for (const m of text.matchAll(/#(\d+:\d+)#/g)) {
        const t = sent.get(m[1]!);
        if (t !== undefined) latencies.push(now - t);
      }
    });
    readers.push(ws);
    if (i % 25 === 24) await sleep(20);
  }
  await Promise.all(
    readers.map((ws) => new Promise((r) => (ws.readyState === ws.OPEN ? r(null) : ws.once("open", r)))),
  );

  const providers = Array.from({ length: writers }, () => {
    const p = new WebsocketProvider(info.url, info.docName, new Y.Doc(), {
      params: { token: info.token },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    return p;
  });
  await Promise.all(providers.map((p) => new Promise((r) => (p.synced ? r(null) : p.once("sync", r)))));
  await sleep(300);

  const before = await stats(child);
  const t0 = performance.now();
  let seq = 0;
  const interval = 1000 / rate;
  const timers = providers.map((p, w) => {
    const text = p.doc.getText("bench");
    return setInterval(() => {
      const id = `${w}:${seq++}`;
      sent.set(id, performance.now());
      text.insert(Math.floor(Math.random() * (text.length + 1)), `#${id}#`);
    }, interval);
  });
  await sleep(seconds * 1000);
  for (const t of timers) clearInterval(t);
  await sleep(1000); // let the last updates arrive
  const after = await stats(child);
  const wallMicros = (performance.now() - t0) * 1000;

  for (const p of providers) p.destroy();
  for (const ws of readers) ws.terminate();
  child.disconnect();
  await new Promise((r) => child.once("exit", r));

  latencies.sort((a, b) => a - b);
  return {
    server: which,
    clients: n,
    samples: latencies.length,
    expected: sent.size * (n - writers),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpuPercent: ((after.cpuMicros - before.cpuMicros) / wallMicros) * 100,
    maxRssMb: after.maxRss / 1024 / 1024,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const runs: Result[] = [];
for (let round = 0; round < rounds; round++) {
  for (const n of sizes) {
    const order = round % 2 === 0 ? (["ours", "baseline"] as const) : (["baseline", "ours"] as const);
    for (const which of order) {
      const r = await measure(which, n);
      runs.push(r);
      console.error(
        `round ${round + 1} ${which} N=${n}: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ` +
          `CPU ${r.cpuPercent.toFixed(0)}%, ${r.samples}/${r.expected} deliveries`,
      );
    }
  }
}
const results: Result[] = [];
for (const n of sizes) {
  for (const which of ["ours", "baseline"] as const) {
    const mine = runs.filter((r) => r.server === which && r.clients === n);
    results.push({
      server: which,
      clients: n,
      samples: mine.reduce((a, r) => a + r.samples, 0),
      expected: mine.reduce((a, r) => a + r.expected, 0),
      p50: median(mine.map((r) => r.p50)),
      p99: median(mine.map((r) => r.p99)),
      cpuPercent: median(mine.map((r) => r.cpuPercent)),
      maxRssMb: median(mine.map((r) => r.maxRssMb)),
    });
  }
}

const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : "n/a");
const lines = [
  `| clients | server | p50 ms | p99 ms | CPU % | peak RSS MB | delivered |`,
  `| ---: | --- | ---: | ---: | ---: | ---: | ---: |`,
];
for (const r of results) {
  lines.push(
    `| ${r.clients} | ${r.server === "ours" ? "Scratchroom" : "@y/websocket-server 0.1.1"} | ${f(r.p50)} | ${f(r.p99)} | ${f(r.cpuPercent, 0)} | ${f(r.maxRssMb, 0)} | ${r.samples}/${r.expected} |`,
  );
}
lines.push(
  ``,
  `| clients | p50 ours/baseline | p99 ours/baseline | CPU ours/baseline | RSS ours/baseline |`,
  `| ---: | ---: | ---: | ---: | ---: |`,
);
for (const n of sizes) {
  const o = results.find((r) => r.server === "ours" && r.clients === n)!;
  const b = results.find((r) => r.server === "baseline" && r.clients === n)!;
  lines.push(
    `| ${n} | ${f(o.p50 / b.p50, 2)} | ${f(o.p99 / b.p99, 2)} | ${f(o.cpuPercent / b.cpuPercent, 2)} | ${f(o.maxRssMb / b.maxRssMb, 2)} |`,
  );
}
lines.push(
  ``,
  `Server CPU per update fanned out to N peers, in-process, no network (bench/sync-fanout-cpu.ts):`,
  ``,
  `| peers | Scratchroom µs/update | @y/websocket-server µs/update | ours/baseline |`,
  `| ---: | ---: | ---: | ---: |`,
);
for (const n of sizes) {
  const cpu = await fanoutCpu(n);
  lines.push(`| ${n} | ${f(cpu.ours, 0)} | ${f(cpu.baseline, 0)} | ${f(cpu.ours / cpu.baseline, 2)} |`);
}
const table = lines.join("\n");
console.log(
  `\nOne room, ${writers} writers × ${rate} keystrokes/s for ${seconds} s, median of ${rounds} rounds, ` +
    `node ${process.version}\n\n${table}\n`,
);
if (values.out) writeFileSync(values.out, table + "\n");
process.exit(0);
