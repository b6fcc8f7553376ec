import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import type { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { TokenSigner } from "../auth/token.js";
import { DEFAULT_LIMITS } from "../config.js";
import { loadSecret } from "../auth/secret.js";
import {
  type Attendee,
  connect,
  createSession,
  type HostedSession,
  joinSession,
  RawClient,
  startTestServer,
  stopTestServer,
  synced,
  type TestServer,
  until,
  upgradeStatus,
} from "../../support/server.js";
import { messageAuth, messageAwareness } from "./protocol.js";

const workspaceDoc = (a: Attendee) => `workspace/${a.sessionId}/${a.workspaceId}`;
const sessionDoc = (sid: string) => `session/${sid}`;

function updateFrame(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

/** An update that appends `text` to files[taskId] of a doc synced from `base`. */
function textEdit(base: Uint8Array, key: string, text: string): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, base);
  const sv = Y.encodeStateVector(doc);
  const files = doc.getMap<Y.Text>("files");
  let t = files.get(key);
  if (!t) {
    t = new Y.Text();
    files.set(key, t);
  }
  t.insert(t.length, text);
  return Y.encodeStateAsUpdate(doc, sv);
}

function authMessages(client: RawClient): string[] {
  return client.messages
    .filter((m) => m[0] === messageAuth)
    .map((m) => {
      const d = decoding.createDecoder(m);
      decoding.readVarUint(d);
      decoding.readVarUint(d);
      return decoding.readVarString(d);
    });
}

describe("sync", () => {
  let server: TestServer;
  let host: HostedSession;
  const providers: WebsocketProvider[] = [];
  const open = (doc: string, token: string, ydoc?: Y.Doc) => {
    const p = connect(server, doc, token, ydoc);
    providers.push(p);
    return p;
  };

  beforeAll(async () => {
    server = await startTestServer({
      limits: {
        ...DEFAULT_LIMITS,
        bytesPerSecond: 512 * 1024,
        maxFrameBytes: 64 * 1024,
        maxDocBytes: 256 * 1024,
        maxBufferedBytes: 32 * 1024 * 1024,
        messagesPerSecond: 200,
        messageBurst: 400,
        joinsPerMinute: 1000,
        maxMetricPoints: 1000,
        // One attendee token on 19 connections (the convergence test below).
        connectionsPerParticipant: 32,
      },
    });
    host = await createSession(server);
  });
  afterEach(() => {
    for (const p of providers.splice(0)) p.destroy();
  });
  afterAll(() => stopTestServer(server));

  it("20 clients editing one workspace converge to identical text", async () => {
    const a = await joinSession(server, host.joinCode, "Pair");
    const clients = Array.from({ length: 20 }, (_, i) =>
      open(workspaceDoc(a), i === 0 ? host.hostKey : a.token),
    );
    await Promise.all(clients.map((p) => synced(p)));
    const texts = clients.map((p) => p.doc.getMap<Y.Text>("files").get("gradient-descent")!);
    const starter = texts[0]!.toString();
    expect(starter).toContain("export function step");
    // Every client types 10 characters at random positions, interleaved.
    for (let round = 0; round < 10; round++) {
      texts.forEach((t, i) =>
        t.insert(Math.floor(Math.random() * (t.length + 1)), String.fromCharCode(65 + i)),
      );
      await new Promise((r) => setTimeout(r, 5));
    }
    await until(() => new Set(texts.map((t) => t.toString())).size === 1, 10_000, "convergence");
    const final = texts[0]!.toString();
    expect(final.length).toBe(starter.length + 200);
    const count = (s: string, c: string) => [...s].filter((x) => x === c).length;
    for (let i = 0; i < 20; i++) {
      const c = String.fromCharCode(65 + i);
      expect(count(final, c) - count(starter, c)).toBe(10);
    }
    // The server's copy agrees.
    const onServer = await server.rooms.read(workspaceDoc(a), (room) =>
      room.doc.getMap<Y.Text>("files").get("gradient-descent")!.toString(),
    );
    expect(onServer).toBe(final);
  });

  it("a client joining after an update gets it: the shared full state is never stale", async () => {
    const a = await joinSession(server, host.joinCode, "Fresh");
    const doc = workspaceDoc(a);
    const editor = open(doc, a.token);
    await synced(editor);
    const t = editor.doc.getMap<Y.Text>("files").get("gradient-descent")!;
    for (const line of ["// one", "// two", "// three"]) {
      // Simultaneous fresh joiners share one encoding of the doc...
      const before = [open(doc, a.token), open(doc, host.hostKey)];
      await Promise.all(before.map((p) => synced(p)));
      for (const p of before) {
        expect(p.doc.getMap<Y.Text>("files").get("gradient-descent")!.toString()).toBe(t.toString());
      }
      t.insert(t.length, `\n${line}`);
      // ...and one joining after the edit reached the server gets a new one, with the edit.
      await until(
        () =>
          before.every(
            (p) => p.doc.getMap<Y.Text>("files").get("gradient-descent")!.toString() === t.toString(),
          ),
        5000,
        "edit relayed",
      );
      const late = open(doc, a.token);
      await synced(late);
      expect(late.doc.getMap<Y.Text>("files").get("gradient-descent")!.toString()).toContain(line);
      expect(late.doc.getMap<Y.Text>("files").get("gradient-descent")!.toString()).toBe(t.toString());
    }
  });

  it("a participant whose token was checked before is refused its old workspace once paired away", async () => {
    const ada = await joinSession(server, host.joinCode, "Known Ada");
    const bob = await joinSession(server, host.joinCode, "Known Bob");
    const url = (wid: string) =>
      `${server.wsUrl}/workspace/${bob.sessionId}/${wid}?token=${encodeURIComponent(bob.token)}`;
    // Bob's records are now known (checked on these upgrades)...
    expect(await upgradeStatus(url(bob.workspaceId))).toBe(101);
    expect(await upgradeStatus(url(ada.workspaceId))).toBe(403);
    const res = await server.api(`/api/sessions/${host.sessionId}/pairs`, {
      method: "POST",
      json: { participantIds: [ada.participantId, bob.participantId] },
      bearer: host.hostKey,
    });
    expect(res.status).toBe(201);
    // ...and forgotten when pairing moved him: the same token opens only the pair's workspace.
    expect(await upgradeStatus(url(bob.workspaceId))).toBe(403);
    expect(await upgradeStatus(url(ada.workspaceId))).toBe(101);
  });

  it("offline edits merge on reconnect and nobody's edits are lost", async () => {
    const a = await joinSession(server, host.joinCode, "Offline");
    const p1 = open(workspaceDoc(a), a.token);
    const p2 = open(workspaceDoc(a), a.token);
    await Promise.all([synced(p1), synced(p2)]);
    const t1 = p1.doc.getMap<Y.Text>("files").get("gradient-descent")!;
    const t2 = p2.doc.getMap<Y.Text>("files").get("gradient-descent")!;
    p1.disconnect();
    t1.insert(0, "// offline edit\n");
    t2.insert(t2.length, "// online edit\n");
    await until(() => !t1.toString().includes("online edit") && p2.synced, 2000);
    await new Promise((r) => setTimeout(r, 100));
    expect(t1.toString()).not.toContain("online edit");
    p1.connect();
    await until(() => t1.toString() === t2.toString(), 5000, "merge after reconnect");
    expect(t1.toString()).toContain("// offline edit");
    expect(t1.toString()).toContain("// online edit");
  });

  describe("role matrix (docs/api.md, Sync)", () => {
    let a: Attendee;
    let b: Attendee;
    beforeAll(async () => {
      a = await joinSession(server, host.joinCode, "A");
      b = await joinSession(server, host.joinCode, "B");
    });

    it("host: read-write on the session doc", async () => {
      const hostP = open(sessionDoc(host.sessionId), host.hostKey);
      const attP = open(sessionDoc(host.sessionId), a.token);
      await Promise.all([synced(hostP), synced(attP)]);
      hostP.doc.getMap("meta").set("stage", "coding");
      await until(
        () => attP.doc.getMap("meta").get("stage") === "coding",
        3000,
        "attendee sees host's stage",
      );
      hostP.doc.getMap("meta").set("stage", "exposition");
    });

    it("host: read-write on every workspace of the session", async () => {
      const hostP = open(workspaceDoc(a), host.hostKey);
      const attP = open(workspaceDoc(a), a.token);
      await Promise.all([synced(hostP), synced(attP)]);
      hostP.doc.getMap<Y.Text>("files").get("gradient-descent")!.insert(0, "// host was here\n");
      await until(() =>
        attP.doc.getMap<Y.Text>("files").get("gradient-descent")!.toString().startsWith("// host"),
      );
    });

    it("attendee: reads the session doc, its updates are dropped with a permission-denied message", async () => {
      const hostP = open(sessionDoc(host.sessionId), host.hostKey);
      await synced(hostP);
      const raw = await RawClient.open(server, sessionDoc(host.sessionId), a.token);
      try {
        await until(() => raw.messages.length > 0);
        const serverState = await server.rooms.read(sessionDoc(host.sessionId), (r) =>
          Y.encodeStateAsUpdate(r.doc),
        );
        const forged = new Y.Doc();
        Y.applyUpdate(forged, serverState);
        const sv = Y.encodeStateVector(forged);
        forged.getMap("meta").set("locked", true);
        forged.getMap("roster").set("intruder", { name: "x" });
        raw.send(updateFrame(Y.encodeStateAsUpdate(forged, sv)));
        await until(() => authMessages(raw).length > 0, 3000, "permission denied");
        expect(authMessages(raw)[0]).toContain("read-only");
        const meta = await server.rooms.read(sessionDoc(host.sessionId), (r) =>
          r.doc.getMap("meta").toJSON(),
        );
        expect(meta.locked).toBe(false);
        expect(hostP.doc.getMap("roster").has("intruder")).toBe(false);
        // The connection stays open and keeps receiving the host's changes.
        expect(raw.closeCode).toBeNull();
        const before = raw.messages.length;
        hostP.doc.getMap("meta").set("timerEndsAt", 123);
        await until(() => raw.messages.length > before, 3000, "host update reaches attendee");
      } finally {
        raw.ws.close();
      }
    });

    it("attendee: the stock provider's local session-doc edits never reach others", async () => {
      const hostP = open(sessionDoc(host.sessionId), host.hostKey);
      const attP = open(sessionDoc(host.sessionId), a.token);
      await Promise.all([synced(hostP), synced(attP)]);
      attP.doc.getArray("broadcasts").push([{ id: "spam", markdown: "spam" }]);
      await new Promise((r) => setTimeout(r, 300));
      expect(hostP.doc.getArray("broadcasts").length).toBe(0);
    });

    it("attendee: read-write on its own workspace, unless the host locks editing", async () => {
      const hostSession = open(sessionDoc(host.sessionId), host.hostKey);
      const attP = open(workspaceDoc(a), a.token);
      const hostView = open(workspaceDoc(a), host.hostKey);
      await Promise.all([synced(hostSession), synced(attP), synced(hostView)]);
      const mine = attP.doc.getMap<Y.Text>("files").get("gradient-descent")!;
      const seen = () => hostView.doc.getMap<Y.Text>("files").get("gradient-descent")!.toString();
      mine.insert(0, "// mine\n");
      await until(() => seen().includes("// mine"), 3000, "own edit accepted");

      hostSession.doc.getMap("meta").set("locked", true);
      await until(() => server.rooms.loadedNames().includes(sessionDoc(host.sessionId)));
      await new Promise((r) => setTimeout(r, 100));
      mine.insert(0, "// while locked\n");
      await new Promise((r) => setTimeout(r, 300));
      expect(seen()).not.toContain("// while locked");

      hostSession.doc.getMap("meta").set("locked", false);
      await new Promise((r) => setTimeout(r, 100));
      mine.insert(0, "// unlocked\n");
      await until(() => seen().includes("// unlocked"), 3000, "edit after unlock");
      // The client kept its refused edit locally; once unlocked the server asks for it again.
      expect(seen()).toContain("// while locked");
    });

    it("attendee: no access to another attendee's workspace (403 at upgrade)", async () => {
      expect(await upgradeStatus(`${server.wsUrl}/${workspaceDoc(b)}?token=${a.token}`)).toBe(403);
      expect(await upgradeStatus(`${server.wsUrl}/${workspaceDoc(a)}?token=${a.token}`)).toBe(101);
    });

    it("no or invalid token: refused at upgrade with 401; unknown docs 404", async () => {
      const base = server.wsUrl;
      expect(await upgradeStatus(`${base}/${sessionDoc(host.sessionId)}`)).toBe(401);
      expect(await upgradeStatus(`${base}/${workspaceDoc(a)}`)).toBe(401);
      expect(await upgradeStatus(`${base}/${sessionDoc(host.sessionId)}?token=nope`)).toBe(401);
      expect(await upgradeStatus(`${base}/${workspaceDoc(a)}?token=${a.token.slice(0, -3)}xyz`)).toBe(401);
      const other = await createSession(server);
      expect(await upgradeStatus(`${base}/${sessionDoc(host.sessionId)}?token=${other.hostKey}`)).toBe(401);
      expect(await upgradeStatus(`${base}/${sessionDoc(other.sessionId)}?token=${a.token}`)).toBe(403);
      expect(await upgradeStatus(`${base}/session/unknown?token=${host.hostKey}`)).toBe(404);
      expect(await upgradeStatus(`${base}/workspace/${host.sessionId}/nope?token=${host.hostKey}`)).toBe(404);
      expect(await upgradeStatus(`${base}/whatever/doc?token=${host.hostKey}`)).toBe(404);
      // A plain GET (no upgrade) gets a clear 426.
      const res = await server.api(`/sync/${sessionDoc(host.sessionId)}?token=${host.hostKey}`);
      expect(res.status).toBe(426);
    });

    it("expired token: refused at upgrade (401) and on the API with a clear message", async () => {
      const signer = new TokenSigner(loadSecret(server.dataDir, null));
      const expired = signer.sign({
        sid: a.sessionId,
        pid: a.participantId,
        exp: Date.now() - 1,
      });
      expect(await upgradeStatus(`${server.wsUrl}/${workspaceDoc(a)}?token=${expired}`)).toBe(401);
      const res = await server.api(`/api/sessions/${a.sessionId}/me`, { bearer: expired });
      expect(res).toEqual({
        status: 401,
        body: { error: { code: "unauthorized", message: "token expired; join again" } },
      });
    });

    it("awareness is relayed to every peer, the sender included", async () => {
      const p1 = open(sessionDoc(host.sessionId), a.token);
      const p2 = open(sessionDoc(host.sessionId), host.hostKey);
      await Promise.all([synced(p1), synced(p2)]);
      p1.awareness.setLocalStateField("user", { name: "A", hand: true });
      await until(
        () => p2.awareness.getStates().get(p1.doc.clientID)?.user?.hand === true,
        3000,
        "peer sees awareness",
      );

      const raw = await RawClient.open(server, sessionDoc(host.sessionId), b.token);
      try {
        const mine = new awarenessProtocol.Awareness(new Y.Doc());
        mine.setLocalState({ user: { name: "B" } });
        const e = encoding.createEncoder();
        encoding.writeVarUint(e, messageAwareness);
        encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(mine, [mine.clientID]));
        raw.send(encoding.toUint8Array(e));
        const echoed = () =>
          raw.messages.some((m) => {
            if (m[0] !== messageAwareness) return false;
            const d = decoding.createDecoder(m);
            decoding.readVarUint(d);
            const probe = new awarenessProtocol.Awareness(new Y.Doc());
            awarenessProtocol.applyAwarenessUpdate(probe, decoding.readVarUint8Array(d), null);
            return probe.getStates().get(mine.clientID)?.user?.name === "B";
          });
        await until(echoed, 3000, "awareness echo to sender");
        await until(() => p1.awareness.getStates().has(mine.clientID), 3000, "others see it");
        // When the sender leaves, its awareness is removed for everyone.
        raw.ws.close();
        await until(() => !p1.awareness.getStates().has(mine.clientID), 3000, "awareness removed on leave");
      } finally {
        raw.ws.close();
      }
    });
    it("an attendee cannot overwrite or clear someone else's presence; a reconnect may take its own over", async () => {
      const hostP = open(sessionDoc(host.sessionId), host.hostKey);
      const watcher = open(sessionDoc(host.sessionId), a.token);
      await Promise.all([synced(hostP), synced(watcher)]);
      hostP.awareness.setLocalStateField("user", { name: "Host" });
      const hostId = hostP.doc.clientID;
      await until(() => watcher.awareness.getStates().get(hostId)?.user?.name === "Host", 3000);

      const awarenessFrame = (entries: [number, number, unknown][]) => {
        const inner = encoding.createEncoder();
        encoding.writeVarUint(inner, entries.length);
        for (const [client, clock, state] of entries) {
          encoding.writeVarUint(inner, client);
          encoding.writeVarUint(inner, clock);
          encoding.writeVarString(inner, JSON.stringify(state));
        }
        const e = encoding.createEncoder();
        encoding.writeVarUint(e, messageAwareness);
        encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
        return encoding.toUint8Array(e);
      };
      const mallory = await RawClient.open(server, sessionDoc(host.sessionId), b.token);
      try {
        const clock = hostP.awareness.meta.get(hostId)!.clock;
        // Clear the host's state, rename it, and announce an own state, in one frame.
        mallory.send(awarenessFrame([[hostId, clock + 1, null]]));
        mallory.send(
          awarenessFrame([
            [hostId, clock + 2, { user: { name: "Not the host" } }],
            [424242, 1, { user: { name: "B" } }],
          ]),
        );
        await until(
          () => watcher.awareness.getStates().get(424242)?.user?.name === "B",
          3000,
          "own state applied",
        );
        expect(watcher.awareness.getStates().get(hostId)?.user?.name).toBe("Host");

        // The same person on a second connection (a reconnect) may take over its client id.
        const again = await RawClient.open(server, sessionDoc(host.sessionId), b.token);
        again.send(awarenessFrame([[424242, 2, { user: { name: "B again" } }]]));
        await until(
          () => watcher.awareness.getStates().get(424242)?.user?.name === "B again",
          3000,
          "takeover",
        );
        again.ws.close();
      } finally {
        mallory.ws.close();
      }
    });
  });

  describe("bad input", () => {
    let a: Attendee;
    beforeAll(async () => {
      a = await joinSession(server, host.joinCode, "Bad");
    });

    async function bystander() {
      const p = open(workspaceDoc(a), host.hostKey);
      await synced(p);
      return p;
    }

    /** The bystander still syncs edits after another connection misbehaved. */
    async function stillServing(p: WebsocketProvider) {
      const check = open(workspaceDoc(a), a.token);
      await synced(check);
      const marker = `// alive ${Math.random()}\n`;
      check.doc.getMap<Y.Text>("files").get("gradient-descent")!.insert(0, marker);
      await until(
        () => p.doc.getMap<Y.Text>("files").get("gradient-descent")!.toString().includes(marker),
        3000,
      );
    }

    it("garbage binary frames close only that connection (4400)", async () => {
      const p = await bystander();
      for (const garbage of [
        new Uint8Array([0, 7, 1, 2]), // unknown sync message
        new Uint8Array([9, 1, 2, 3]), // unknown message type
        new Uint8Array([0, 2, 200, 200, 200]), // truncated update
        new Uint8Array([0, 2, 5, 255, 255, 255, 255, 255]), // update bytes that are not an update
        new Uint8Array([1, 3, 1, 2, 3]), // broken awareness
      ]) {
        const raw = await RawClient.open(server, workspaceDoc(a), a.token);
        raw.send(garbage);
        expect(await raw.closed(), `frame ${garbage.join(",")}`).toBe(4400);
        expect(raw.closeReason).toBe("malformed message");
      }
      expect(p.wsconnected).toBe(true);
      await stillServing(p);
    });

    it("an update whose dependencies never come does not set the server asking every client again and again", async () => {
      const p = await bystander();
      const isStep1 = (m: Uint8Array) => m[0] === 0 && m[1] === 0;
      // The forger sends the second half of an edit and never the first: the server holds it
      // back and asks the forger (only) for what it is missing.
      const forged = new Y.Doc();
      const halves: Uint8Array[] = [];
      forged.on("update", (u: Uint8Array) => halves.push(u));
      forged.getText("forged").insert(0, "first");
      forged.getText("forged").insert(5, "second");
      const forger = await RawClient.open(server, workspaceDoc(a), a.token);
      await until(() => forger.messages.some(isStep1), 3000, "the forger's sync step 1");
      forger.send(updateFrame(halves[1]!));
      await until(() => forger.messages.filter(isStep1).length === 2, 3000, "the forger asked");

      // An honest client that answers every sync step 1 as y-websocket does, then types.
      const honest = await RawClient.open(server, workspaceDoc(a), a.token);
      try {
        const doc = new Y.Doc();
        Y.applyUpdate(doc, await server.rooms.read(workspaceDoc(a), (r) => Y.encodeStateAsUpdate(r.doc)));
        honest.ws.on("message", (data: Buffer) => {
          const frame = new Uint8Array(data);
          if (!isStep1(frame)) return;
          const d = decoding.createDecoder(frame);
          decoding.readVarUint(d);
          const answer = encoding.createEncoder();
          encoding.writeVarUint(answer, 0);
          syncProtocol.readSyncMessage(d, answer, doc, null);
          honest.send(encoding.toUint8Array(answer));
        });
        await until(() => honest.messages.some(isStep1), 3000, "the honest client's sync step 1");
        const text = doc.getMap<Y.Text>("files").get("gradient-descent")!;
        for (let i = 0; i < 5; i++) {
          const sv = Y.encodeStateVector(doc);
          text.insert(0, `honest ${i} `);
          honest.send(updateFrame(Y.encodeStateAsUpdate(doc, sv)));
          await new Promise((r) => setTimeout(r, 20));
        }
        await until(
          () => p.doc.getMap<Y.Text>("files").get("gradient-descent")!.toString().includes("honest 4"),
          3000,
          "the honest edits reach the bystander",
        );
        await new Promise((r) => setTimeout(r, 300));
        // Asked once, when it connected: its edits left the server waiting for nothing new.
        expect(honest.messages.filter(isStep1)).toHaveLength(1);
        expect(honest.closeCode).toBeNull();
        expect(p.wsconnected).toBe(true);
        await stillServing(p);
      } finally {
        honest.ws.close();
        forger.ws.close();
      }
    });

    it("text frames close the connection (4400)", async () => {
      const raw = await RawClient.open(server, workspaceDoc(a), a.token);
      raw.send("hello");
      expect(await raw.closed()).toBe(4400);
    });

    it("oversized frames close the connection (1009); others unaffected", async () => {
      const p = await bystander();
      const raw = await RawClient.open(server, workspaceDoc(a), a.token);
      raw.send(new Uint8Array(100 * 1024));
      expect(await raw.closed()).toBe(1009);
      await stillServing(p);
    });

    it("a connection over the message rate is closed (1008)", async () => {
      const p = await bystander();
      const raw = await RawClient.open(server, workspaceDoc(a), a.token);
      const query = new Uint8Array([3]);
      for (let i = 0; i < 1000; i++) raw.send(query);
      expect(await raw.closed()).toBe(1008);
      await stillServing(p);
    });

    it("a connection over the byte rate is closed (1008)", async () => {
      const p = await bystander();
      const raw = await RawClient.open(server, workspaceDoc(a), a.token);
      // Burst: max(2 × 64 KiB frames, 512 KiB/s) = 512 KiB; 12 × 60 KiB awareness queries exceed it.
      for (let i = 0; i < 12; i++) raw.send(new Uint8Array(60 * 1024).fill(3, 0, 1));
      expect(await raw.closed()).toBe(1008);
      await stillServing(p);
    });

    it("awareness states over the size limit are dropped", async () => {
      const watcher = open(workspaceDoc(a), host.hostKey);
      await synced(watcher);
      const raw = await RawClient.open(server, workspaceDoc(a), a.token);
      try {
        const frame = (client: number, state: unknown) => {
          const inner = encoding.createEncoder();
          encoding.writeVarUint(inner, 1);
          encoding.writeVarUint(inner, client);
          encoding.writeVarUint(inner, 1);
          encoding.writeVarString(inner, JSON.stringify(state));
          const e = encoding.createEncoder();
          encoding.writeVarUint(e, messageAwareness);
          encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
          return encoding.toUint8Array(e);
        };
        raw.send(frame(777001, { user: { name: "x".repeat(20_000) } }));
        raw.send(frame(777002, { user: { name: "small" } }));
        await until(() => watcher.awareness.getStates().has(777002), 3000, "small state");
        expect(watcher.awareness.getStates().has(777001)).toBe(false);
      } finally {
        raw.ws.close();
      }
    });

    it("a client that floods while its doc is still loading is told to come back later (1013)", async () => {
      const b = await joinSession(server, host.joinCode, "Early");
      const storage = server.storage;
      const original = storage.documents.loadDoc.bind(storage);
      const spy = vi.spyOn(storage.documents, "loadDoc").mockImplementation(async (doc) => {
        await new Promise((r) => setTimeout(r, 500));
        return original(doc);
      });
      try {
        await until(() => !server.rooms.loadedNames().includes(workspaceDoc(b)), 3000, "eviction");
        const raw = await RawClient.open(server, workspaceDoc(b), b.token);
        for (let i = 0; i < 300; i++) raw.send(new Uint8Array([3]));
        expect(await raw.closed()).toBe(1013);
      } finally {
        spy.mockRestore();
      }
    });

    it("updates that would grow a doc past its size limit are refused", async () => {
      const raw = await RawClient.open(server, workspaceDoc(a), a.token);
      try {
        // The server's sync step 1 says the doc is attached: frames sent before it would be queued
        // (and a 300 KiB flood refused with 1013 "come back later", a different test) on a slow machine.
        await until(() => raw.messages.length > 0, 3000, "sync step 1");
        const base = await server.rooms.read(workspaceDoc(a), (r) => Y.encodeStateAsUpdate(r.doc));
        // Random text so it does not compress into a small update; 4 × 60 KiB frames > 256 KiB doc.
        const chunk = () =>
          Array.from({ length: 60 * 1024 }, () =>
            String.fromCharCode(97 + Math.floor(Math.random() * 26)),
          ).join("");
        let state = base;
        for (let i = 0; i < 5; i++) {
          const u = textEdit(state, `big${i}`, chunk());
          state = Y.mergeUpdates([state, u]);
          raw.send(updateFrame(u));
        }
        await until(() => authMessages(raw).some((m) => m.includes("too large")), 3000, "size refusal");
        const size = await server.rooms.read(workspaceDoc(a), (r) => Y.encodeStateAsUpdate(r.doc).byteLength);
        expect(size).toBeLessThanOrEqual(256 * 1024);
      } finally {
        raw.ws.close();
      }
    });
  });

  it("rooms with no connections are evicted after the grace period and reload intact", async () => {
    const a = await joinSession(server, host.joinCode, "Evict");
    const p = open(workspaceDoc(a), a.token);
    await synced(p);
    p.doc.getMap<Y.Text>("files").get("gradient-descent")!.insert(0, "// kept\n");
    await until(() => server.rooms.loadedNames().includes(workspaceDoc(a)));
    await new Promise((r) => setTimeout(r, 100));
    p.destroy();
    await until(() => !server.rooms.loadedNames().includes(workspaceDoc(a)), 3000, "eviction");
    const again = open(workspaceDoc(a), a.token);
    await synced(again);
    expect(again.doc.getMap<Y.Text>("files").get("gradient-descent")!.toString()).toContain("// kept");
  });
});

describe("slow clients", () => {
  it("a client that stops reading is dropped once its send queue passes the limit; others carry on", async () => {
    const server = await startTestServer({
      limits: {
        ...DEFAULT_LIMITS,
        maxFrameBytes: 2 * 1024 * 1024,
        maxDocBytes: 256 * 1024 * 1024,
        maxBufferedBytes: 256 * 1024,
        messagesPerSecond: 1000,
        messageBurst: 1000,
        joinsPerMinute: 100,
        maxMetricPoints: 1000,
      },
    });
    const providers: WebsocketProvider[] = [];
    try {
      const host = await createSession(server);
      const a = await joinSession(server, host.joinCode);
      const doc = workspaceDoc(a);
      const slow = await RawClient.open(server, doc, a.token);
      // Stop reading: the kernel buffers fill, then the server's queue for this client grows.
      (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
      const writer = connect(server, doc, host.hostKey);
      const reader = connect(server, doc, a.token);
      providers.push(writer, reader);
      await Promise.all([synced(writer), synced(reader)]);
      const peers = () => server.rooms.read(doc, (r) => r.peers.size);
      expect(await peers()).toBe(3);
      const files = writer.doc.getMap<Y.Text>("files");
      const chunk = "x".repeat(64 * 1024);
      for (let i = 0; i < 400 && (await peers()) === 3; i++) {
        files.set(`big${i}`, new Y.Text(chunk + i));
        await new Promise((r) => setTimeout(r, 2));
      }
      expect(await peers()).toBe(2);
      // The well-behaved reader still receives everything.
      files.set("after", new Y.Text("still here"));
      await until(() => reader.doc.getMap<Y.Text>("files").get("after")?.toString() === "still here", 5000);
      slow.ws.terminate();
    } finally {
      for (const p of providers) p.destroy();
      await stopTestServer(server);
    }
  });
});

describe("logged reasons", () => {
  it("a malformed frame is logged with its doc and reason", async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: "warn" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const server = await startTestServer({}, logger);
    try {
      const host = await createSession(server);
      const raw = await RawClient.open(server, sessionDoc(host.sessionId), host.hostKey);
      raw.send(new Uint8Array([9, 9]));
      await raw.closed();
      await until(() => lines.some((l) => l.msg === "closing sync connection"), 3000, "log line");
      expect(lines.find((l) => l.msg === "closing sync connection")).toMatchObject({
        doc: sessionDoc(host.sessionId),
        code: 4400,
        reason: "unknown message type 9",
      });
    } finally {
      await stopTestServer(server);
    }
  });
});
