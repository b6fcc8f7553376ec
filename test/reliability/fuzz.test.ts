/**
 * Protocol fuzzer: seeded random and mutated y-protocol frames from many raw WebSocket connections
 * against a running server, while honest y-websocket clients keep editing the same doc.
 *
 * Asserts: the server stays up (/healthz), the honest clients keep syncing and converge (with each
 * other and with a client that joins afterwards), and every connection the server refused is logged
 * exactly once ("closing sync connection" for the frames the sync layer refuses, "sync connection
 * error" for frames `ws` itself rejects, e.g. over the frame size limit).
 *
 * FUZZ_SECONDS (default 20) bounds the run; FUZZ_SEED replays a run (the seed is printed): each
 * attacker's frame sequence follows from the seed alone; how far each gets depends on the machine.
 */
import * as encoding from "lib0/encoding";
import * as prng from "lib0/prng";
import { afterAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { WebsocketProvider } from "y-websocket";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import {
  capturedLogger,
  connect,
  createSession,
  joinSession,
  startTestServer,
  stopTestServer,
  synced,
  type TestServer,
  until,
} from "../../support/server.js";
import { encodeSyncStep1, encodeUpdate, messageAwareness } from "../../server/sync/protocol.js";
import { DEFAULT_LIMITS } from "../../server/config.js";

const seconds = Number(process.env.FUZZ_SECONDS ?? 20);
const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const maxFrameBytes = 64 * 1024;
/** Concurrent attacking connections. */
const attackers = 12;

type Frame = Uint8Array | string;

/** Generates the hostile frames: every kind the brief names, from one seeded generator. */
class FrameGenerator {
  /** Valid frames to mutate: updates, state vectors and awareness from a doc of the attacker's own. */
  private readonly valid: Uint8Array[] = [];
  /** Updates whose dependencies are never sent: "valid-looking updates for the wrong doc". */
  private readonly orphans: Uint8Array[] = [];

  constructor(private readonly gen: prng.PRNG) {
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on("update", (u: Uint8Array) => updates.push(u));
    const text = doc.getText("fuzz");
    for (let i = 0; i < 40; i++) text.insert(prng.uint32(gen, 0, text.length), prng.word(gen, 1, 12));
    doc.getMap("scratch").set("k", prng.word(gen));
    for (const u of updates) this.valid.push(encodeUpdate(u));
    this.orphans.push(...updates.slice(1).map((u) => encodeUpdate(u)));
    this.valid.push(encodeSyncStep1(doc));
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState({ user: { name: prng.word(gen) }, cursor: prng.uint32(gen, 0, 100) });
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, messageAwareness);
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]));
    this.valid.push(encoding.toUint8Array(e));
    awareness.destroy();
  }

  next(): Frame {
    const g = this.gen;
    const kind = prng.uint32(g, 0, 11);
    switch (kind) {
      case 0:
        return new Uint8Array(0);
      case 1: // truncated varint: continuation bit set, nothing follows
        return Uint8Array.from([...this.prefix(), 0x80 | prng.uint32(g, 0, 127)]);
      case 2: {
        // a length that claims far more bytes than the frame holds
        const e = encoding.createEncoder();
        encoding.writeVarUint(e, prng.oneOf(g, [0, 1]));
        if (prng.bool(g)) encoding.writeVarUint(e, prng.uint32(g, 0, 2));
        encoding.writeVarUint(e, prng.uint32(g, 2 ** 20, 2 ** 31));
        encoding.writeUint8Array(e, prng.uint8Array(g, prng.uint32(g, 0, 16)));
        return encoding.toUint8Array(e);
      }
      case 3: {
        // unknown message type, or unknown sync sub-type
        const e = encoding.createEncoder();
        if (prng.bool(g)) encoding.writeVarUint(e, prng.uint32(g, 4, 2 ** 20));
        else {
          encoding.writeVarUint(e, 0);
          encoding.writeVarUint(e, prng.uint32(g, 3, 300));
        }
        encoding.writeUint8Array(e, prng.uint8Array(g, prng.uint32(g, 0, 8)));
        return encoding.toUint8Array(e);
      }
      case 4:
        return prng.oneOf(g, this.orphans);
      case 5:
        return prng.uint8Array(g, prng.uint32(g, 1, 300));
      case 6:
      case 7:
        return this.flipped();
      case 8:
        return prng.oneOf(g, this.valid);
      case 9: {
        // awareness entry whose state is not JSON
        const e = encoding.createEncoder();
        encoding.writeVarUint(e, messageAwareness);
        const inner = encoding.createEncoder();
        encoding.writeVarUint(inner, 1);
        encoding.writeVarUint(inner, prng.uint32(g, 0, 2 ** 30));
        encoding.writeVarUint(inner, prng.uint32(g, 1, 100));
        encoding.writeVarString(inner, "{" + prng.word(g));
        encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
        return encoding.toUint8Array(e);
      }
      case 10:
        return prng.word(g, 0, 30);
      default:
        return this.truncated();
    }
  }

  /** Over the frame size limit: `ws` refuses it before the sync layer sees it. */
  oversized(): Uint8Array {
    return new Uint8Array(maxFrameBytes + 1 + prng.uint32(this.gen, 0, 1000));
  }

  private prefix(): number[] {
    return prng.oneOf(this.gen, [[], [0], [0, 1], [0, 2], [1]]);
  }

  private truncated(): Uint8Array {
    const frame = prng.oneOf(this.gen, this.valid);
    return frame.slice(0, prng.uint32(this.gen, 0, Math.max(0, frame.length - 1)));
  }

  private flipped(): Uint8Array {
    const frame = prng.oneOf(this.gen, this.valid).slice();
    const flips = prng.uint32(this.gen, 1, 3);
    for (let i = 0; i < flips; i++) {
      const bit = prng.uint32(this.gen, 0, frame.length * 8 - 1);
      frame[bit >> 3]! ^= 1 << (bit & 7);
    }
    return frame;
  }
}

interface Attack {
  /** Close code the server sent, or null when the attacker closed first. */
  serverClose: number | null;
  /** Frames sent while the socket was open. */
  sent: number;
  oversized: boolean;
  /** We closed first and received no verdict: the server may still have refused (and logged) us. */
  crossed: boolean;
}

/** One attacking connection: a few hostile frames, then it waits briefly for a verdict and leaves. */
async function attack(url: string, frames: Frame[], oversized = false): Promise<Attack> {
  const ws = new WebSocket(url);
  let closeCode: number | null = null;
  let weClosed = false;
  const closed = new Promise<void>((resolve) =>
    ws.on("close", (code) => {
      closeCode = code;
      resolve();
    }),
  );
  ws.on("error", () => {}); // the server may cut us off mid-send
  await new Promise<void>((resolve) => {
    ws.once("open", () => resolve());
    ws.once("close", () => resolve());
  });
  let sent = 0;
  for (const frame of frames) {
    if (ws.readyState !== WebSocket.OPEN) break;
    ws.send(frame);
    sent++;
    await new Promise((r) => setTimeout(r, 2));
  }
  await Promise.race([closed, new Promise((r) => setTimeout(r, 500))]);
  if (closeCode === null) {
    weClosed = true;
    ws.close(1000, "done");
    await Promise.race([closed, new Promise((r) => setTimeout(r, 2000))]);
  }
  // When our close crossed the server's, the code we received is still the server's verdict.
  const serverClose = weClosed && (closeCode === 1000 || closeCode === 1005) ? null : closeCode;
  return { serverClose, sent, oversized, crossed: weClosed && serverClose === null };
}

const text = (p: WebsocketProvider) => p.doc.getMap<Y.Text>("files").get("gradient-descent")!;

describe("protocol fuzzer", () => {
  let server: TestServer;
  afterAll(async () => {
    if (server) await stopTestServer(server);
  });

  it(
    `survives ${seconds} s of hostile frames while honest clients converge (FUZZ_SEED=${seed})`,
    async () => {
      console.log(`protocol fuzzer: FUZZ_SEED=${seed} FUZZ_SECONDS=${seconds}`);
      const gen = prng.create(seed);
      const { log, entries } = capturedLogger("warn");
      // The attackers share Ada's token with her honest tabs: the budget and connection cap per
      // participant would cut her off with them (that is server/sync/fairness.test.ts's subject).
      const perParticipant = {
        connectionsPerParticipant: 0,
        participantMessagesPerSecond: 1e9,
        participantMessageBurst: 1e9,
      };
      server = await startTestServer(
        { limits: { ...DEFAULT_LIMITS, maxFrameBytes, ...perParticipant } },
        log,
      );
      const host = await createSession(server);
      const ada = await joinSession(server, host.joinCode, "Ada");
      const bo = await joinSession(server, host.joinCode, "Bo");
      const adaDoc = `workspace/${ada.sessionId}/${ada.workspaceId}`;
      const boDoc = `workspace/${bo.sessionId}/${bo.workspaceId}`;

      // Honest clients: three of Ada's tabs typing into her workspace, the doc under attack.
      const honest = [0, 1, 2].map(() => connect(server, adaDoc, ada.token));
      await Promise.all(honest.map((p) => synced(p)));
      // How each honest connection ended, if one did (for the failure message): the close code and
      // reason the server gave, and when, in seconds from here.
      const started = performance.now();
      const closes: string[] = [];
      honest.forEach((p, i) =>
        p.on("connection-close", (event: { code?: number; reason?: string } | null) => {
          const at = ((performance.now() - started) / 1000).toFixed(1);
          closes.push(`client ${i} closed ${event?.code ?? "?"} "${event?.reason ?? ""}" at ${at} s`);
        }),
      );
      let typing = true;
      let typed = 0;
      const typists = honest.map(async (p, i) => {
        while (typing) {
          const t = text(p);
          t.insert(prng.uint32(gen, 0, t.length), `[${i}:${typed++}]`);
          await new Promise((r) => setTimeout(r, 40));
        }
      });

      const targets = [
        `${server.wsUrl}/${adaDoc}?token=${encodeURIComponent(ada.token)}`,
        `${server.wsUrl}/${boDoc}?token=${encodeURIComponent(bo.token)}`,
      ];
      const results: Attack[] = [];
      const deadline = Date.now() + seconds * 1000;
      let healthChecks = 0;
      const health = (async () => {
        while (Date.now() < deadline) {
          const res = await fetch(`${server.url}/healthz`);
          expect(res.status).toBe(200);
          healthChecks++;
          await new Promise((r) => setTimeout(r, 250));
        }
      })();
      await Promise.all(
        Array.from({ length: attackers }, async (_, k) => {
          // One generator per attacker: its frame sequence depends on the seed alone, not on timing.
          const own = prng.create(seed + 1 + k);
          const frames = new FrameGenerator(own);
          while (Date.now() < deadline) {
            const target = prng.oneOf(own, targets);
            // An oversized frame goes alone, so each such connection is exactly one refusal.
            if (prng.uint32(own, 0, 15) === 0) results.push(await attack(target, [frames.oversized()], true));
            else {
              const batch = Array.from({ length: prng.uint32(own, 1, 6) }, () => frames.next());
              results.push(await attack(target, batch));
            }
          }
        }),
      );
      await health;
      typing = false;
      await Promise.all(typists);

      // Honest clients converge with each other and with a newcomer.
      const late = connect(server, adaDoc, ada.token);
      try {
        await synced(late);
        try {
          await until(
            () => honest.every((p) => p.wsconnected && text(p).toString() === text(late).toString()),
            10_000,
            "honest clients to converge",
          );
        } catch (error) {
          // Say which client is behind, so a failure under load can be told from a lost update.
          const state = honest.map(
            (p, i) => `client ${i}: connected ${p.wsconnected}, ${text(p).length} chars`,
          );
          throw new Error(
            `${(error as Error).message} (newcomer ${text(late).length} chars; ${state.join("; ")}; ` +
              `${closes.join("; ") || "no honest connection closed"})`,
          );
        }
        for (let i = 0; i < 3; i++) expect(text(late).toString()).toContain(`[${i}:`);
      } finally {
        late.destroy();
        for (const p of honest) p.destroy();
      }
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

      // Every refusal logged exactly once.
      const refusedBySync = results.filter((r) => r.serverClose === 4400 || r.serverClose === 1008).length;
      const refusedBySize = results.filter((r) => r.oversized && r.sent === 1).length;
      const other = results.filter(
        (r) => !r.oversized && r.serverClose !== null && ![4400, 1008].includes(r.serverClose),
      );
      const closingLogs = entries.filter((e) => e.msg === "closing sync connection").length;
      const errorLogs = entries.filter((e) => e.msg === "sync connection error").length;
      console.log(
        `protocol fuzzer: ${results.length} connections, ${refusedBySync} refused by the sync layer, ` +
          `${refusedBySize} over the frame limit, ${healthChecks} health checks, ${typed} honest edits`,
      );
      expect(other).toEqual([]);
      expect(refusedBySync).toBeGreaterThan(0);
      // Every refusal a client saw was logged; the only extra entries are connections whose own
      // close crossed the server's verdict on a busy machine (the server refused, the client never heard).
      const crossed = results.filter((r) => r.crossed && !r.oversized).length;
      expect(closingLogs).toBeGreaterThanOrEqual(refusedBySync);
      expect(closingLogs).toBeLessThanOrEqual(refusedBySync + crossed);
      expect(errorLogs).toBe(refusedBySize);
    },
    (seconds + 60) * 1000,
  );
});
