/**
 * `npm run bench:scale`: the load of bench:sync (one room, W writers typing, the rest reading; see
 * room-load.ts) on Postgres storage, in three setups measured in the same run:
 *
 *   one        one instance, no relay (the baseline)
 *   one+redis  one instance with the Redis relay on (it publishes every update; nobody listens)
 *   two        two instances sharing Postgres and Redis, clients split half and half, so every
 *              update reaches half of the room through the relay
 *
 * Reported: fan-out latency p50/p99 (keystroke to reader), deliveries per second (total
 * throughput), server CPU summed over the instances, CPU per 1000 deliveries, the mean relay hop
 * (publish on one instance → applied on the other, from the servers' own histogram), and the
 * ratios to the baseline: the relay's overhead in latency and in CPU. Loopback only, bounded (< 2 minutes).
 *
 * Needs PostgreSQL (a throwaway schema in TEST_DATABASE_URL's database) and Redis (TEST_REDIS_URL).
 * Options: --clients 100 --writers 6 --rate 10 --seconds 3 --rounds 3 --out file.md
 */
import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Config } from "../server/config.js";
import { createTestSchema } from "../support/pg-schema.js";
import { REDIS_URL } from "../support/services.js";
import { runRoomLoad, type RoomLoadResult } from "./room-load.js";
import { median } from "./stats.js";

const { values } = parseArgs({
  options: {
    clients: { type: "string", default: "100" },
    writers: { type: "string", default: "6" },
    rate: { type: "string", default: "10" },
    seconds: { type: "string", default: "3" },
    rounds: { type: "string", default: "3" },
    out: { type: "string" },
  },
});
const clients = Number(values.clients);
const writers = Number(values.writers);
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);

type Setup = "one" | "one+redis" | "two";
const SETUPS: Setup[] = ["one", "one+redis", "two"];
const LABEL: Record<Setup, string> = {
  one: "1 instance, no relay",
  "one+redis": "1 instance + Redis relay",
  two: "2 instances + Redis relay",
};

interface Instance {
  child: ChildProcess;
  url: string;
}

interface Result extends RoomLoadResult {
  setup: Setup;
  cpuPercent: number;
  /** Mean publish → apply-on-the-other-instance time (the servers' own histogram), NaN if unused. */
  relayHopMs: number;
}

async function spawnInstance(config: Partial<Config>): Promise<Instance> {
  const child = fork(resolve(import.meta.dirname, "scale-server.ts"), [JSON.stringify(config)], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) resolveUrl((JSON.parse(line) as { url: string }).url);
    });
    child.once("exit", (code) => reject(new Error(`instance exited (${code})`)));
  });
  return { child, url };
}

/** Sum and count of the relay hop histogram, over the given instances. */
async function relayHops(instances: Instance[]): Promise<{ sum: number; count: number }> {
  let sum = 0;
  let count = 0;
  for (const i of instances) {
    const text = await (await fetch(`${i.url}/metrics`)).text();
    sum += Number(/^scratchroom_relay_seconds_sum (\S+)/m.exec(text)?.[1] ?? 0);
    count += Number(/^scratchroom_relay_seconds_count (\S+)/m.exec(text)?.[1] ?? 0);
  }
  return { sum, count };
}

function cpuMicros(child: ChildProcess): Promise<number> {
  return new Promise((r) => {
    child.once("message", (m) => r((m as { cpuMicros: number }).cpuMicros));
    child.send("stats");
  });
}

async function post<T>(base: string, path: string, json: unknown): Promise<T> {
  const res = await fetch(base + path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(json),
  });
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface Deployment {
  setup: Setup;
  instances: Instance[];
  dropSchema: () => Promise<void>;
}

/** Starts a setup's instances once; each round then measures a fresh session on them. */
async function deploy(setup: Setup): Promise<Deployment> {
  const schema = await createTestSchema("bench");
  const config: Partial<Config> = {
    databaseUrl: schema.url,
    secret: randomBytes(32).toString("hex"),
    ...(setup === "one"
      ? {}
      : { redisUrl: REDIS_URL, redisChannelPrefix: `bench-${randomBytes(6).toString("hex")}:` }),
  };
  const instances = await Promise.all(
    (setup === "two" ? ["b1", "b2"] : ["b1"]).map((id) => spawnInstance({ ...config, instanceId: id })),
  );
  return { setup, instances, dropSchema: () => schema.drop() };
}

async function undeploy(d: Deployment): Promise<void> {
  for (const i of d.instances) {
    i.child.disconnect();
    await new Promise((r) => i.child.once("exit", r));
  }
  await d.dropSchema();
}

async function measure({ setup, instances }: Deployment): Promise<Result> {
  const host = await post<{ joinCode: string }>(instances[0]!.url, "/api/sessions", { pack: "demo" });
  const seat = await post<{ sessionId: string; workspaceId: string; token: string }>(
    instances[0]!.url,
    "/api/join",
    { joinCode: host.joinCode, name: "bench" },
  );
  let before: number[] = [];
  let after: number[] = [];
  let t0 = 0;
  let t1 = 0;
  const hopsBefore = await relayHops(instances);
  const load = await runRoomLoad({
    urls: instances.map((i) => i.url.replace(/^http/, "ws") + "/sync"),
    docName: `workspace/${seat.sessionId}/${seat.workspaceId}`,
    token: seat.token,
    clients,
    writers,
    rate,
    seconds,
    onWindowStart: async () => {
      before = await Promise.all(instances.map((i) => cpuMicros(i.child)));
      t0 = performance.now();
    },
    onWindowEnd: async () => {
      after = await Promise.all(instances.map((i) => cpuMicros(i.child)));
      t1 = performance.now();
    },
  });
  const cpu = after.reduce((sum, a, k) => sum + a - before[k]!, 0);
  const hops = await relayHops(instances);
  const relayHopMs = ((hops.sum - hopsBefore.sum) / (hops.count - hopsBefore.count)) * 1000;
  return { ...load, setup, cpuPercent: (cpu / ((t1 - t0) * 1000)) * 100, relayHopMs };
}

const started = performance.now();
const deployments = await Promise.all(SETUPS.map(deploy));
const runs: Result[] = [];
for (let round = 0; round < rounds; round++) {
  // Alternate the order so drift on a shared machine does not favour one setup.
  const order = round % 2 === 0 ? deployments : [...deployments].reverse();
  for (const deployment of order) {
    const setup = deployment.setup;
    const r = await measure(deployment);
    runs.push(r);
    console.error(
      `round ${round + 1} ${setup}: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ` +
        `${r.deliveredPerSecond.toFixed(0)} deliveries/s, CPU ${r.cpuPercent.toFixed(0)}%, ` +
        `relay hop ${Number.isFinite(r.relayHopMs) ? r.relayHopMs.toFixed(1) + " ms" : "-"}, ${r.samples}/${r.expected}`,
    );
  }
}

await Promise.all(deployments.map(undeploy));
const results = SETUPS.map((setup) => {
  const mine = runs.filter((r) => r.setup === setup);
  return {
    setup,
    samples: mine.reduce((a, r) => a + r.samples, 0),
    expected: mine.reduce((a, r) => a + r.expected, 0),
    p50: median(mine.map((r) => r.p50)),
    p99: median(mine.map((r) => r.p99)),
    deliveredPerSecond: median(mine.map((r) => r.deliveredPerSecond)),
    cpuPercent: median(mine.map((r) => r.cpuPercent)),
    relayHopMs: median(mine.map((r) => r.relayHopMs)),
  };
});
const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : "n/a");
const cpuPerK = (r: (typeof results)[number]) => (r.cpuPercent * 10_000) / r.deliveredPerSecond; // CPU-ms per 1000
const base = results[0]!;
const lines = [
  `| setup | p50 ms | p99 ms | deliveries/s | CPU % (sum) | CPU ms / 1000 deliveries | relay hop ms (mean) | delivered |`,
  `| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`,
  ...results.map(
    (r) =>
      `| ${LABEL[r.setup]} | ${f(r.p50)} | ${f(r.p99)} | ${f(r.deliveredPerSecond, 0)} | ${f(r.cpuPercent, 0)} | ${f(cpuPerK(r), 2)} | ${Number.isFinite(r.relayHopMs) ? f(r.relayHopMs) : "-"} | ${r.samples}/${r.expected} |`,
  ),
  ``,
  `| setup | p50 / baseline | p99 / baseline | CPU per delivery / baseline |`,
  `| --- | ---: | ---: | ---: |`,
  ...results
    .slice(1)
    .map(
      (r) =>
        `| ${LABEL[r.setup]} | ${f(r.p50 / base.p50, 2)} | ${f(r.p99 / base.p99, 2)} | ${f(cpuPerK(r) / cpuPerK(base), 2)} |`,
    ),
];
const table = lines.join("\n");
console.log(
  `\nOne room of ${clients} clients, ${writers} writers × ${rate} keystrokes/s for ${seconds} s, ` +
    `Postgres storage, median of ${rounds} rounds, node ${process.version}, ` +
    `load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}, ${((performance.now() - started) / 1000).toFixed(0)} s\n\n${table}\n`,
);
if (values.out) writeFileSync(values.out, table + "\n");
process.exit(0);
