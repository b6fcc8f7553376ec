/**
 * Flood fairness (issue 14, finding 5): one attendee token on many sockets, each just under the
 * per-connection message limit, while an honest pair in another session types; measures how long
 * the honest edits take to reach the other side, with the per-participant limits on (the defaults)
 * and off (as before they existed). The server runs in a child process (`scratchroom serve`), the
 * flood in another (this file with `--flood URL`), so neither starves the honest probe's timing.
 *
 *   npx tsx bench/sync-flood.ts            FLOOD_CONNECTIONS (100), FLOOD_RATE per socket (190/s),
 *                                          FLOOD_SECONDS (30), FLOOD_MODES ("limits,unlimited")
 *
 * The flooder reconnects every socket that was refused or closed once a second, as a determined
 * one would. Prints one line per mode: upgrades accepted / refused, sockets closed (by code), frames sent, the honest edits' delivery latency (median, p99, max) and how many took over 5 s.
 */
import { fork } from "node:child_process";
import { rmSync } from "node:fs";
import * as encoding from "lib0/encoding";
import WebSocket from "ws";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import {
  connect,
  createSession,
  joinSession,
  remote,
  spawnServe,
  synced,
  tempDataDir,
} from "../support/server.js";

const connections = Number(process.env.FLOOD_CONNECTIONS ?? 100);
const rate = Number(process.env.FLOOD_RATE ?? 190);
const seconds = Number(process.env.FLOOD_SECONDS ?? 30);
const modes = (process.env.FLOOD_MODES ?? "limits,unlimited").split(",");

/** Environment of each mode: "unlimited" turns the per-participant and per-address limits off. */
const MODE_ENV: Record<string, NodeJS.ProcessEnv> = {
  limits: {},
  unlimited: {
    CONNECTIONS_PER_PARTICIPANT: "0",
    CONNECTIONS_PER_ADDRESS: "0",
    PARTICIPANT_MESSAGES_PER_SECOND: "1000000000",
  },
};

function typedFrame(doc: Y.Doc): Uint8Array {
  let update: Uint8Array | null = null;
  doc.once("update", (u: Uint8Array) => (update = u));
  doc.getText("flood").insert(0, "x");
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeUpdate(encoder, update!);
  return encoding.toUint8Array(encoder);
}

interface FloodSocket {
  ws: WebSocket;
  doc: Y.Doc;
  status: "connecting" | "open" | "refused" | "closed";
}

/** Upgrades accepted and refused, and sockets closed by the server per close code, over the run. */
const tally = { accepted: 0, refused: 0, closed: {} as Record<number, number> };

/** What the flood process reports when told to stop. */
interface FloodReport {
  tally: typeof tally;
  sent: number;
}

function openFlood(url: string): FloodSocket {
  const socket: FloodSocket = { ws: new WebSocket(url), doc: new Y.Doc(), status: "connecting" };
  socket.ws.on("open", () => {
    socket.status = "open";
    tally.accepted++;
  });
  socket.ws.on("unexpected-response", (_req, res) => {
    res.resume();
    socket.status = "refused";
    tally.refused++;
  });
  socket.ws.on("close", (code) => {
    if (socket.status === "open") {
      socket.status = "closed";
      tally.closed[code] = (tally.closed[code] ?? 0) + 1;
    }
  });
  socket.ws.on("error", () => {});
  // The flood does not read what the server fans out to it.
  socket.ws.on("message", () => {});
  return socket;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function run(mode: string): Promise<void> {
  const dataDir = tempDataDir();
  const server = await spawnServe(dataDir, { env: { ...MODE_ENV[mode], LOG_LEVEL: "error" } });
  const api = remote(server.url);
  try {
    const flooding = await createSession(api);
    const eve = await joinSession(api, flooding.joinCode, "Eve");
    const honest = await createSession(api);
    const bob = await joinSession(api, honest.joinCode, "Bob");
    const bobDoc = `workspace/${bob.sessionId}/${bob.workspaceId}`;
    const typist = connect(api, bobDoc, bob.token);
    const watcher = connect(api, bobDoc, honest.hostKey);
    await Promise.all([synced(typist), synced(watcher)]);
    const typed = typist.doc.getText("probe");
    const seen = watcher.doc.getText("probe");

    const url = `${api.wsUrl}/workspace/${eve.sessionId}/${eve.workspaceId}?token=${encodeURIComponent(eve.token)}`;
    const flooder = fork(import.meta.filename, ["--flood", url], { execArgv: ["--import", "tsx"] });
    const report = new Promise<FloodReport>((resolve) =>
      flooder.once("message", (m) => resolve(m as FloodReport)),
    );
    const started = performance.now();

    // The honest probe: one character every 200 ms, each timed until the watcher has it.
    const latencies: number[] = [];
    const sentAt = new Map<number, number>();
    seen.observe(() => {
      const length = seen.length;
      for (const [n, t] of sentAt) {
        if (n <= length) {
          latencies.push(performance.now() - t);
          sentAt.delete(n);
        }
      }
    });
    const deadline = started + seconds * 1000;
    while (performance.now() < deadline) {
      typed.insert(typed.length, "b");
      sentAt.set(typed.length, performance.now());
      await new Promise((r) => setTimeout(r, 200));
    }
    flooder.send("stop");
    const { tally, sent } = await report;
    // Edits still in flight count as their wait so far.
    const end = performance.now();
    for (const t of sentAt.values()) latencies.push(end - t);
    latencies.sort((a, b) => a - b);

    const closed =
      Object.entries(tally.closed)
        .map(([code, n]) => `${n}×${code}`)
        .join(", ") || "none";
    console.log(
      `${mode.padEnd(9)} flood: ${connections} sockets × ${rate}/s for ${seconds} s: upgrades ` +
        `${tally.accepted} accepted, ${tally.refused} refused; closed ${closed}; ${sent} frames sent | ` +
        `honest edits: ${latencies.length}, ` +
        `median ${percentile(latencies, 0.5).toFixed(0)} ms, p99 ${percentile(latencies, 0.99).toFixed(0)} ms, ` +
        `max ${(latencies.at(-1) ?? NaN).toFixed(0)} ms, over 5 s: ${latencies.filter((l) => l > 5000).length}`,
    );
    typist.destroy();
    watcher.destroy();
  } finally {
    server.process.kill("SIGTERM");
    await server.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The flood process: floods `url` until told to stop, then reports. */
function floodProcess(url: string): void {
  const flood = Array.from({ length: connections }, () => openFlood(url));
  const started = performance.now();
  let due = 0;
  let sent = 0;
  const pump = setInterval(() => {
    const next = Math.floor(((performance.now() - started) / 1000) * rate);
    for (const socket of flood) {
      if (socket.status !== "open") continue;
      // Catching up at most 100 ms' worth per tick: an overloaded flooder sends less, never bursts.
      for (let k = 0; k < Math.min(next - due, Math.ceil(rate / 10)); k++) {
        socket.ws.send(typedFrame(socket.doc));
        sent++;
      }
    }
    due = next;
  }, 20);
  const reconnect = setInterval(() => {
    flood.forEach((socket, i) => {
      if (socket.status === "refused" || socket.status === "closed") flood[i] = openFlood(url);
    });
  }, 1000);

  process.on("message", () => {
    clearInterval(pump);
    clearInterval(reconnect);
    for (const socket of flood) socket.ws.terminate();
    process.send!({ tally, sent } satisfies FloodReport, () => process.exit(0));
  });
}

if (process.argv[2] === "--flood") floodProcess(process.argv[3]!);
else
  for (const mode of modes) {
    if (!(mode in MODE_ENV)) throw new Error(`unknown mode "${mode}" (limits, unlimited)`);
    await run(mode);
  }
