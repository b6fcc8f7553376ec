/**
 * The classroom scenario of bench/sync.ts: 30 workspaces of 2 clients each (one types at 5–10
 * edits/s, its partner reads), every attendee also reading the session doc, and a host reading all
 * 30 workspaces (watching progress) while broadcasting into the session doc every 2 s.
 *
 * Latency is measured three ways: typist → partner, typist → host, host broadcast → attendees.
 * Converged = every partner and the host's view of every workspace received every keystroke, and
 * every attendee received every broadcast.
 */
import * as Y from "yjs";
import { BenchClient, type ServerInfo } from "./sync-client.js";
import { classroomDocs, markerReader, type Row, type Server, Window } from "./sync-harness.js";
import { SeenMarkers, SentMarkers } from "./markers.js";
import { percentile, sleep, until } from "./stats.js";

export interface ClassroomOptions {
  workspaces: number;
  /** Typing window, in seconds. */
  seconds: number;
  /** Seconds of the same typing and broadcasts before the window, their latencies dropped. */
  warmup: number;
  broadcastEveryMs: number;
}

/** Marker ids of the host's broadcasts ("#1000000:seq#"), apart from the typists' ("#w:seq#"). */
const HOST = 1_000_000;

export async function classroom({ child, info }: Server, options: ClassroomOptions): Promise<Row> {
  const { workspaces, seconds, warmup, broadcastEveryMs } = options;
  const docs = await classroomDocs(child, workspaces);
  const at = (doc: { docName: string; token: string }): ServerInfo => ({ ...info, ...doc });
  const sent = new SentMarkers();
  const partnerLatency: number[] = [];
  const hostLatency: number[] = [];
  const broadcastLatency: number[] = [];
  const partnerSeen = docs.workspaces.map(() => new SeenMarkers());
  const hostSeen = docs.workspaces.map(() => new SeenMarkers());
  const attendeeSeen: SeenMarkers[] = [];
  /**
   * BENCH_CLASSROOM_BROADCASTS=1: each broadcast's latencies at the 60 attendees, printed as one line
   * (first, median, last arrival) to stderr: whether a slow one was slow to leave the server (the
   * first attendee late too) or slow to reach all of them.
   */
  const perBroadcast = process.env.BENCH_CLASSROOM_BROADCASTS === "1" ? new Map<string, number[]>() : null;
  const clients: BenchClient[] = [];
  const typists: BenchClient[] = [];
  for (const [w, doc] of docs.workspaces.entries()) {
    typists.push(new BenchClient(at(doc), undefined, new Y.Doc()));
    clients.push(markerReader(at(doc), sent, partnerLatency, partnerSeen[w]));
    // Both people of the pair follow the session doc (stage, timer, broadcasts).
    for (let k = 0; k < 2; k++) {
      const seen = new SeenMarkers();
      attendeeSeen.push(seen);
      clients.push(
        markerReader(
          at({ ...docs.session, token: doc.token }),
          sent,
          broadcastLatency,
          seen,
          perBroadcast
            ? (id, _at, latency) => {
                const list = perBroadcast.get(id);
                if (list) list.push(latency);
                else perBroadcast.set(id, [latency]);
              }
            : undefined,
        ),
      );
    }
    clients.push(markerReader(at({ ...doc, token: docs.hostToken }), sent, hostLatency, hostSeen[w]));
    if (w % 10 === 9) await sleep(20);
  }
  const host = new BenchClient(at(docs.session), undefined, new Y.Doc());
  const all = [...clients, ...typists, host];
  if (!(await until(() => all.every((c) => c.syncedAt !== null), 30_000)))
    throw new Error("classroom clients did not sync");
  await sleep(300);
  let seq = 0;
  const typed = docs.workspaces.map(() => [] as string[]);
  const timers = typists.map((t, w) => {
    const text = t.doc!.getText("bench");
    // 5–10 edits/s, different per pair.
    return setInterval(
      () => {
        const id = `${w}:${seq++}`;
        typed[w]!.push(id);
        sent.set(id, performance.now());
        text.insert(Math.floor(Math.random() * (text.length + 1)), `#${id}#`);
      },
      1000 / (5 + (w % 6)),
    );
  });
  const broadcasts: string[] = [];
  const board = host.doc!.getText("bench");
  const broadcast = () => {
    const id = `${HOST}:${seq++}`;
    broadcasts.push(id);
    sent.set(id, performance.now());
    board.insert(board.length, `#${id}# Everyone: try the next task\n`);
  };
  // The warm-up: the same traffic, its latencies dropped (bench/sync.ts, --warmup).
  for (let left = warmup * 1000; left > 0;) {
    // None in the last half period: a broadcast still arriving when the latencies are dropped
    // would be half counted (a timer at the warm-up's end did that).
    if (left > broadcastEveryMs / 2) broadcast();
    const step = Math.min(broadcastEveryMs, left);
    await sleep(step);
    left -= step;
  }
  for (const l of [partnerLatency, hostLatency, broadcastLatency]) l.length = 0;
  perBroadcast?.clear();
  const framesBefore = clients.reduce((a, c) => a + c.frames, 0);
  const window = await Window.open(child);
  // Half a period in, then every period: none right after the window's opening (a message to and from
  // the server process; the broadcast sent right after it was 1–6 ms late in 6 of 12 rounds, every
  // server among them) nor at its end.
  const firstBroadcast = setTimeout(() => {
    broadcast();
    timers.push(setInterval(broadcast, broadcastEveryMs));
  }, broadcastEveryMs / 2);
  await sleep(seconds * 1000);
  clearTimeout(firstBroadcast);
  for (const t of timers) clearInterval(t);
  const received = () =>
    typed.every((ids, w) => ids.every((id) => partnerSeen[w]!.has(id) && hostSeen[w]!.has(id))) &&
    attendeeSeen.every((s) => broadcasts.every((id) => s.has(id)));
  const converged = await until(received, 5000);
  const win = await window.close();
  const frames = clients.reduce((a, c) => a + c.frames, 0) - framesBefore;
  for (const c of all) c.close();
  for (const l of [partnerLatency, hostLatency, broadcastLatency]) l.sort((a, b) => a - b);
  for (const [id, l] of perBroadcast ?? []) {
    l.sort((a, b) => a - b);
    const ms = (x: number) => x.toFixed(2);
    console.error(
      `broadcast ${id} at ${(performance.timeOrigin + sent.get(id)!).toFixed(1)}: ${l.length} attendees, first ${ms(l[0]!)} median ${ms(percentile(l, 50))} last ${ms(l.at(-1)!)} ms`,
    );
  }
  return {
    partnerP50: percentile(partnerLatency, 50),
    partnerP95: percentile(partnerLatency, 95),
    partnerP99: percentile(partnerLatency, 99),
    hostP50: percentile(hostLatency, 50),
    hostP99: percentile(hostLatency, 99),
    broadcastP50: percentile(broadcastLatency, 50),
    broadcastP99: percentile(broadcastLatency, 99),
    framesPerS: frames / seconds,
    serverCpu: win.serverCpu,
    loopP99: win.loopP99,
    serverWait: win.serverWait,
    rssMb: win.rssMb,
    genCpu: win.genCpu,
    converged,
  };
}
