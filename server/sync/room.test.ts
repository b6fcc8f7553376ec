import * as decoding from "lib0/decoding";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { encodeSyncStep1, encodeSyncStep2, messageAwareness, messageSync } from "./protocol.js";
import {
  KEEP_POLLING_MIN_PEERS,
  MAX_FAN_OUT_WAIT_MS,
  type Peer,
  Room,
  SEND_AT_ONCE_MAX_PEERS,
} from "./room.js";

/** A peer that records the frames the room sends it. */
class RecordingPeer implements Peer {
  readonly frames: Uint8Array[] = [];
  send(message: Uint8Array): void {
    this.frames.push(message);
  }
  awarenessFrames(): Uint8Array[] {
    return this.frames.filter((f) => f[0] === messageAwareness);
  }
}

/** Another client's awareness with one state set, as it would announce itself. */
function clientAwareness(state: Record<string, unknown>): awarenessProtocol.Awareness {
  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  awareness.setLocalState(state);
  return awareness;
}

const announce = (room: Room, from: awarenessProtocol.Awareness, origin: unknown) =>
  awarenessProtocol.applyAwarenessUpdate(
    room.awareness,
    awarenessProtocol.encodeAwarenessUpdate(from, [from.clientID]),
    origin,
  );

/** Applies an awareness frame the way y-websocket's client does, into a stock Awareness. */
function applyFrame(into: awarenessProtocol.Awareness, frame: Uint8Array): void {
  const d = decoding.createDecoder(frame);
  expect(decoding.readVarUint(d)).toBe(messageAwareness);
  awarenessProtocol.applyAwarenessUpdate(into, decoding.readVarUint8Array(d), "server");
}

/** The client ids one awareness frame carries. */
function clientsIn(frame: Uint8Array): number[] {
  const d = decoding.createDecoder(frame);
  decoding.readVarUint(d);
  const inner = decoding.createDecoder(decoding.readVarUint8Array(d));
  const count = decoding.readVarUint(inner);
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(decoding.readVarUint(inner));
    decoding.readVarUint(inner);
    decoding.readVarString(inner);
  }
  return ids;
}

/**
 * Adds silent peers until the room is past `SEND_AT_ONCE_MAX_PEERS`, so that its updates go out at
 * the end of the turn (`flushRooms`), not as each is applied.
 */
function pastSendAtOnce(room: Room): void {
  while (room.peers.size <= SEND_AT_ONCE_MAX_PEERS) room.peers.add(new RecordingPeer());
}

const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));
/**
 * Past the room's fan-out: the end of the turn, and the one more (non-blocking) iteration of the loop
 * it waits for more input when the turn brought changes (room.ts, `flushRooms`).
 */
const nextTurn = async () => {
  await immediate();
  await immediate();
};

describe("Room awareness broadcast", () => {
  it("coalesces the changes of one event-loop turn into one frame per peer, the senders included", async () => {
    const room = new Room("workspace/s/w", () => {});
    const peers = [new RecordingPeer(), new RecordingPeer(), new RecordingPeer()];
    for (const p of peers) room.peers.add(p);
    const clients = [
      clientAwareness({ cursor: 1, user: "a" }),
      clientAwareness({ cursor: 2, user: "b" }),
      clientAwareness({ cursor: 3, user: "c" }),
    ];
    // Three clients move in the same turn (each through its own connection, the first twice).
    clients.forEach((c, i) => announce(room, c, peers[i]));
    clients[0]!.setLocalStateField("cursor", 10);
    announce(room, clients[0]!, peers[0]);
    expect(peers.every((p) => p.awarenessFrames().length === 0)).toBe(true);

    await nextTurn();
    for (const peer of peers) {
      expect(peer.awarenessFrames()).toHaveLength(1);
      const frame = peer.awarenessFrames()[0]!;
      expect(clientsIn(frame).sort()).toEqual(clients.map((c) => c.clientID).sort());
      // A stock client accepts the merged update and ends with every latest state.
      const seen = new awarenessProtocol.Awareness(new Y.Doc());
      applyFrame(seen, frame);
      expect(seen.getStates().get(clients[0]!.clientID)).toEqual({ cursor: 10, user: "a" });
      expect(seen.getStates().get(clients[1]!.clientID)).toEqual({ cursor: 2, user: "b" });
      expect(seen.getStates().get(clients[2]!.clientID)).toEqual({ cursor: 3, user: "c" });
    }

    // Nothing changed since: no further frame.
    await nextTurn();
    expect(peers.every((p) => p.awarenessFrames().length === 1)).toBe(true);
    room.destroy();
  });

  it("propagates removals (null states) in the coalesced frame", async () => {
    const room = new Room("workspace/s/w", () => {});
    const peer = new RecordingPeer();
    room.peers.add(peer);
    const stays = clientAwareness({ user: "stays" });
    const leaves = clientAwareness({ user: "leaves" });
    announce(room, stays, peer);
    announce(room, leaves, peer);
    await nextTurn();
    const seen = new awarenessProtocol.Awareness(new Y.Doc());
    for (const f of peer.awarenessFrames()) applyFrame(seen, f);
    expect(seen.getStates().has(leaves.clientID)).toBe(true);

    // A connection closes (its states removed) while the other client moves, in one turn.
    awarenessProtocol.removeAwarenessStates(room.awareness, [leaves.clientID], null);
    stays.setLocalStateField("cursor", 5);
    announce(room, stays, peer);
    await nextTurn();
    expect(peer.awarenessFrames()).toHaveLength(2);
    applyFrame(seen, peer.awarenessFrames()[1]!);
    expect(seen.getStates().has(leaves.clientID)).toBe(false);
    expect(seen.getStates().get(stays.clientID)).toEqual({ user: "stays", cursor: 5 });
    room.destroy();
  });

  it("a change and its removal in the same turn arrive as the removal", async () => {
    const room = new Room("workspace/s/w", () => {});
    const peer = new RecordingPeer();
    room.peers.add(peer);
    const client = clientAwareness({ user: "x" });
    const seen = new awarenessProtocol.Awareness(new Y.Doc());
    announce(room, client, peer);
    await nextTurn();
    applyFrame(seen, peer.awarenessFrames()[0]!);
    client.setLocalStateField("cursor", 1);
    announce(room, client, peer);
    awarenessProtocol.removeAwarenessStates(room.awareness, [client.clientID], null);
    await nextTurn();
    expect(peer.awarenessFrames()).toHaveLength(2);
    applyFrame(seen, peer.awarenessFrames()[1]!);
    expect(seen.getStates().has(client.clientID)).toBe(false);
    room.destroy();
  });

  it("destroying the room cancels a scheduled broadcast", async () => {
    const room = new Room("workspace/s/w", () => {});
    const peer = new RecordingPeer();
    room.peers.add(peer);
    announce(room, clientAwareness({ user: "x" }), peer);
    room.destroy();
    await nextTurn();
    expect(peer.awarenessFrames()).toHaveLength(0);
  });
});

describe("Room update fan-out", () => {
  /** The Yjs update a sync update frame carries. */
  function updateIn(frame: Uint8Array): Uint8Array {
    const d = decoding.createDecoder(frame);
    expect(decoding.readVarUint(d)).toBe(messageSync);
    expect(decoding.readVarUint(d)).toBe(syncProtocol.messageYjsUpdate);
    return decoding.readVarUint8Array(d);
  }
  const updateFrames = (peer: RecordingPeer) => peer.frames.filter((f) => f[0] === messageSync);

  /** A client editing the room's doc: each edit is applied to the room as its connection would. */
  function editor(room: Room, origin: unknown) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(room.doc));
    doc.on("update", (update: Uint8Array) => Y.applyUpdate(room.doc, update, origin));
    return doc;
  }

  it("merges one turn's updates into one frame per peer that rebuilds the same doc", async () => {
    const persisted: Uint8Array[] = [];
    const room = new Room("workspace/s/w", (update) => persisted.push(update));
    room.doc.getText("t").insert(0, "start ");
    const writer = new RecordingPeer();
    const readers = [new RecordingPeer(), new RecordingPeer(), new RecordingPeer()];
    for (const p of [writer, ...readers]) room.peers.add(p);
    pastSendAtOnce(room);
    // What each reader had before the turn.
    const before = Y.encodeStateAsUpdate(room.doc);
    const text = editor(room, writer).getText("t");
    for (let i = 0; i < 5; i++) text.insert(text.length, `#${i}`);
    text.delete(0, 2);
    // Every update was persisted as it was applied; nothing was sent before the turn ends.
    expect(persisted).toHaveLength(7);
    expect(readers.every((r) => r.frames.length === 0)).toBe(true);

    await nextTurn();
    for (const reader of readers) {
      expect(updateFrames(reader)).toHaveLength(1);
      const copy = new Y.Doc();
      Y.applyUpdate(copy, before);
      Y.applyUpdate(copy, updateIn(updateFrames(reader)[0]!));
      expect(copy.getText("t").toString()).toBe("art #0#1#2#3#4");
      expect(Array.from(Y.encodeStateVector(copy))).toEqual(Array.from(Y.encodeStateVector(room.doc)));
    }
    // The writer is not sent its own edits back; the readers share one frame.
    expect(writer.frames).toHaveLength(0);
    expect(updateFrames(readers[1]!)[0]).toBe(updateFrames(readers[0]!)[0]);

    // The next turn's edit is a frame of its own.
    text.insert(0, "s");
    await nextTurn();
    expect(readers.every((r) => updateFrames(r).length === 2)).toBe(true);
    room.destroy();
  });

  it("gives every peer, the writers included, one merged frame when several peers wrote in the turn", async () => {
    const room = new Room("workspace/s/w", () => {});
    const [a, b, reader] = [new RecordingPeer(), new RecordingPeer(), new RecordingPeer()];
    for (const p of [a, b, reader]) room.peers.add(p);
    pastSendAtOnce(room);
    const docA = editor(room, a);
    const docB = editor(room, b);
    docA.getText("a").insert(0, "from a");
    docB.getText("b").insert(0, "from b");
    room.doc.transact(() => room.doc.getMap("meta").set("locked", true), "server");
    docA.getText("a").insert(6, "!");
    await nextTurn();

    // One merge, one frame: the same bytes for the reader and both writers.
    const [frame] = updateFrames(reader);
    expect(updateFrames(reader)).toHaveLength(1);
    for (const peer of [a, b]) expect(updateFrames(peer)).toEqual([frame]);
    const all = new Y.Doc();
    Y.applyUpdate(all, updateIn(frame!));
    expect(all.getText("a").toString()).toBe("from a!");
    expect(all.getText("b").toString()).toBe("from b");
    expect(all.getMap("meta").get("locked")).toBe(true);

    // Each writer ends with the room's doc: the others' edits added, its own (sent back) unchanged.
    for (const [doc, own] of [
      [docA, "from a!"],
      [docB, "from b"],
    ] as const) {
      Y.applyUpdate(doc, updateIn(frame!));
      expect(doc.getText(doc === docA ? "a" : "b").toString()).toBe(own);
      expect(doc.getText("a").toString()).toBe("from a!");
      expect(doc.getText("b").toString()).toBe("from b");
      expect(doc.getMap("meta").get("locked")).toBe(true);
      expect(Array.from(Y.encodeStateVector(doc))).toEqual(Array.from(Y.encodeStateVector(room.doc)));
    }

    // A turn with one writer again: it is not sent its own edit, the others are.
    docB.getText("b").insert(6, "?");
    await nextTurn();
    expect(updateFrames(b)).toHaveLength(1);
    expect(updateFrames(a)).toHaveLength(2);
    expect(updateFrames(reader)).toHaveLength(2);
    room.destroy();
  });

  it(`sends at once in a room of exactly ${SEND_AT_ONCE_MAX_PEERS} peers, and at the end of the turn in one more`, async () => {
    const room = new Room("workspace/s/w", () => {});
    const [writer, reader] = [new RecordingPeer(), new RecordingPeer()];
    room.peers.add(writer);
    room.peers.add(reader);
    while (room.peers.size < SEND_AT_ONCE_MAX_PEERS) room.peers.add(new RecordingPeer());
    const text = editor(room, writer).getText("t");
    text.insert(0, "a");
    expect(updateFrames(reader)).toHaveLength(1);
    room.peers.add(new RecordingPeer());
    text.insert(1, "b");
    expect(updateFrames(reader)).toHaveLength(1);
    await nextTurn();
    expect(updateFrames(reader)).toHaveLength(2);
    room.destroy();
  });

  it("sends each update at once in a classroom workspace, to every peer but its writer", async () => {
    const persisted: Uint8Array[] = [];
    const room = new Room("workspace/s/w", (update) => persisted.push(update));
    // A classroom workspace: the typist, the partner, the host reading along.
    const [typist, partner, host] = [new RecordingPeer(), new RecordingPeer(), new RecordingPeer()];
    for (const p of [typist, partner, host]) room.peers.add(p);
    announce(room, clientAwareness({ cursor: 1 }), typist);
    const docTypist = editor(room, typist);
    const docPartner = editor(room, partner);
    docTypist.getText("t").insert(0, "ab");
    // Before the turn ends: the partner and the host have the update, in one shared frame.
    expect(persisted).toHaveLength(1);
    expect(updateFrames(partner)).toHaveLength(1);
    expect(updateFrames(host)).toEqual(updateFrames(partner));
    expect(typist.frames).toHaveLength(0);
    // Two writers in one turn: each gets the other's update, never its own; the host both.
    docPartner.getText("t").insert(0, "x");
    expect(updateFrames(typist)).toHaveLength(1);
    expect(updateFrames(partner)).toHaveLength(1);
    expect(updateFrames(host)).toHaveLength(2);
    // The awareness still goes out at the end of the turn, after the updates.
    await nextTurn();
    for (const peer of [typist, partner, host]) expect(peer.frames.at(-1)![0]).toBe(messageAwareness);
    expect(host.frames.map((f) => f[0])).toEqual([messageSync, messageSync, messageAwareness]);
    // Nothing more is sent at the end of the turn: every update went out already.
    expect(updateFrames(host)).toHaveLength(2);
    for (const [peer, doc] of [
      [typist, docTypist],
      [partner, docPartner],
    ] as const) {
      for (const frame of updateFrames(peer)) Y.applyUpdate(doc, updateIn(frame));
    }
    const hostDoc = new Y.Doc();
    for (const frame of updateFrames(host)) Y.applyUpdate(hostDoc, updateIn(frame));
    for (const doc of [docTypist, docPartner, hostDoc]) {
      expect(doc.getText("t").toString()).toBe(room.doc.getText("t").toString());
    }
    room.destroy();
  });

  describe("waiting one more loop iteration for more input", () => {
    // A fan-out another test left scheduled (its rooms destroyed) would carry its own start time.
    beforeEach(nextTurn);
    afterEach(() => vi.restoreAllMocks());

    /** Edits the room's doc in this turn ("a") and in the check phase right after it ("b"). */
    async function editInTwoTurns(room: Room, writer: Peer): Promise<void> {
      const text = editor(room, writer).getText("t");
      text.insert(0, "a");
      // Input handled in the next iteration of the loop, after this turn's check phase began.
      setImmediate(() => text.insert(1, "b"));
      await nextTurn();
      await nextTurn();
    }

    it("merges updates that come in the next iteration of the loop into the same frame", async () => {
      // Time stands still: the wait is never cut short by its bound.
      vi.spyOn(performance, "now").mockReturnValue(1000);
      const room = new Room("workspace/s/w", () => {});
      const [writer, reader] = [new RecordingPeer(), new RecordingPeer()];
      room.peers.add(writer);
      room.peers.add(reader);
      pastSendAtOnce(room);
      await editInTwoTurns(room, writer);
      expect(updateFrames(reader)).toHaveLength(1);
      const copy = new Y.Doc();
      Y.applyUpdate(copy, updateIn(updateFrames(reader)[0]!));
      expect(copy.getText("t").toString()).toBe("ab");
      room.destroy();
    });

    it("does not wait longer for changes to other rooms: they go out in the same fan-out", async () => {
      vi.spyOn(performance, "now").mockReturnValue(1000);
      const rooms = [new Room("workspace/s/a", () => {}), new Room("workspace/s/b", () => {})];
      const readers = rooms.map((room) => {
        const reader = new RecordingPeer();
        room.peers.add(reader);
        pastSendAtOnce(room);
        return reader;
      });
      const [a, b] = rooms.map((room) => editor(room, new RecordingPeer()).getText("t"));
      a!.insert(0, "a");
      setImmediate(() => b!.insert(0, "b"));
      // This turn's check phase (one more poll), then the next one's: room b's change came to a
      // room that had none pending, so the fan-out goes now, with both.
      await immediate();
      await immediate();
      expect(readers.map((r) => updateFrames(r).length)).toEqual([1, 1]);
      for (const room of rooms) room.destroy();
    });

    /**
     * Edits the room's doc in this turn ("a"), in the check phase right after it ("b") and in the
     * one after that ("c"); returns the frames `reader` got.
     */
    async function editInThreeTurns(room: Room, writer: Peer, reader: RecordingPeer): Promise<Uint8Array[]> {
      const text = editor(room, writer).getText("t");
      text.insert(0, "a");
      setImmediate(() => {
        text.insert(1, "b");
        setImmediate(() => text.insert(2, "c"));
      });
      for (let i = 0; i < 5; i++) await immediate();
      return updateFrames(reader);
    }

    it(`keeps polling while input comes only in a room of ${KEEP_POLLING_MIN_PEERS} peers or more`, async () => {
      vi.spyOn(performance, "now").mockReturnValue(1000);
      // A room of fewer peers: "a" and "b" (the one more poll) go out together, "c" on its own.
      const small = new Room("workspace/s/small", () => {});
      const [writer, reader] = [new RecordingPeer(), new RecordingPeer()];
      small.peers.add(writer);
      small.peers.add(reader);
      pastSendAtOnce(small);
      expect(await editInThreeTurns(small, writer, reader)).toHaveLength(2);
      small.destroy();

      // A big room: the fan-out waits for "c" too, one frame.
      const big = new Room("workspace/s/big", () => {});
      const bigWriter = new RecordingPeer();
      const bigReader = new RecordingPeer();
      big.peers.add(bigWriter);
      big.peers.add(bigReader);
      while (big.peers.size < KEEP_POLLING_MIN_PEERS) big.peers.add(new RecordingPeer());
      const frames = await editInThreeTurns(big, bigWriter, bigReader);
      expect(frames).toHaveLength(1);
      const copy = new Y.Doc();
      Y.applyUpdate(copy, updateIn(frames[0]!));
      expect(copy.getText("t").toString()).toBe("abc");
      big.destroy();
    });

    /**
     * A session doc: the host's connection writes, the attendees' connections only read; more of
     * them than a room sends to at once for any writer.
     */
    function sessionDoc(name: string, { anotherWriter = false } = {}) {
      const room = new Room(name, () => {});
      const host = new RecordingPeer();
      const attendees = Array.from({ length: SEND_AT_ONCE_MAX_PEERS }, () =>
        Object.assign(new RecordingPeer(), { writable: false }),
      );
      for (const p of [host, ...attendees]) room.peers.add(p);
      if (anotherWriter) room.peers.add(new RecordingPeer());
      return { room, host, attendee: attendees[0]! };
    }

    it("sends at once in a room whose only writable peer made the update", () => {
      vi.spyOn(performance, "now").mockReturnValue(1000);
      const { room, host, attendee } = sessionDoc("session/s");
      const text = editor(room, host).getText("t");
      // Each of the host's frames goes out as it is applied, in the same turn; not to the host.
      text.insert(0, "a");
      expect(updateFrames(attendee)).toHaveLength(1);
      text.insert(1, "b");
      expect(updateFrames(attendee)).toHaveLength(2);
      expect(updateFrames(host)).toHaveLength(0);
      const copy = new Y.Doc();
      for (const frame of updateFrames(attendee)) Y.applyUpdate(copy, updateIn(frame));
      expect(copy.getText("t").toString()).toBe("ab");
      room.destroy();
    });

    it("waits for the end of the turn in a big room where another peer may write too", async () => {
      vi.spyOn(performance, "now").mockReturnValue(1000);
      const { room, host, attendee } = sessionDoc("session/t", { anotherWriter: true });
      editor(room, host).getText("t").insert(0, "a");
      expect(updateFrames(attendee)).toHaveLength(0);
      // The one more poll, then the fan-out (to merge the other writer's frames, had any come).
      await immediate();
      await immediate();
      expect(updateFrames(attendee)).toHaveLength(1);
      room.destroy();
    });

    it("waits for the end of the turn for an update the server made, even in a one-writer room", async () => {
      vi.spyOn(performance, "now").mockReturnValue(1000);
      const { room, host, attendee } = sessionDoc("session/u");
      room.doc.getText("t").insert(0, "a");
      expect(updateFrames(attendee)).toHaveLength(0);
      expect(updateFrames(host)).toHaveLength(0);
      await immediate();
      await immediate();
      // Not a peer's: every peer gets it, the host too.
      expect(updateFrames(attendee)).toHaveLength(1);
      expect(updateFrames(host)).toHaveLength(1);
      room.destroy();
    });

    it(`waits no longer than ${MAX_FAN_OUT_WAIT_MS} ms after the first change`, async () => {
      // Every reading of the clock is the bound later than the one before.
      let now = 1000;
      vi.spyOn(performance, "now").mockImplementation(() => (now += MAX_FAN_OUT_WAIT_MS));
      const room = new Room("workspace/s/w", () => {});
      const [writer, reader] = [new RecordingPeer(), new RecordingPeer()];
      room.peers.add(writer);
      room.peers.add(reader);
      pastSendAtOnce(room);
      await editInTwoTurns(room, writer);
      expect(updateFrames(reader)).toHaveLength(2);
      room.destroy();
    });
  });

  it("sends a turn's updates before its awareness, and nothing once destroyed", async () => {
    const room = new Room("workspace/s/w", () => {});
    const [writer, reader] = [new RecordingPeer(), new RecordingPeer()];
    room.peers.add(writer);
    room.peers.add(reader);
    pastSendAtOnce(room);
    announce(room, clientAwareness({ cursor: 1 }), writer);
    editor(room, writer).getText("t").insert(0, "x");
    await nextTurn();
    expect(reader.frames.map((f) => f[0])).toEqual([messageSync, messageAwareness]);

    editor(room, writer).getText("t").insert(0, "y");
    room.destroy();
    await nextTurn();
    expect(reader.frames).toHaveLength(2);
  });
});

describe("Room sync step 2", () => {
  /** The update a sync step 2 frame carries. */
  function step2Update(frame: Uint8Array): Uint8Array {
    const d = decoding.createDecoder(frame);
    expect(decoding.readVarUint(d)).toBe(messageSync);
    expect(decoding.readVarUint(d)).toBe(syncProtocol.messageYjsSyncStep2);
    return decoding.readVarUint8Array(d);
  }
  const empty = Y.encodeStateVector(new Y.Doc());

  it("encodes the whole doc once for fresh joiners and again after every update", () => {
    const room = new Room("workspace/s/w", () => {});
    room.doc.getText("t").insert(0, "hello");
    const first = room.syncStep2(empty);
    // Simultaneous joiners with nothing share one encoding.
    expect(room.syncStep2(empty)).toBe(first);
    const joiner = new Y.Doc();
    Y.applyUpdate(joiner, step2Update(first));
    expect(joiner.getText("t").toString()).toBe("hello");

    // Any update (a peer's edit here) invalidates it.
    const editor = new Y.Doc();
    Y.applyUpdate(editor, step2Update(first));
    const sv = Y.encodeStateVector(editor);
    editor.getText("t").insert(5, " world");
    Y.applyUpdate(room.doc, Y.encodeStateAsUpdate(editor, sv), "peer");
    const second = room.syncStep2(empty);
    expect(second).not.toBe(first);
    const late = new Y.Doc();
    Y.applyUpdate(late, step2Update(second));
    expect(late.getText("t").toString()).toBe("hello world");
    room.destroy();
  });

  it("answers a non-empty state vector with only what the client lacks", () => {
    const room = new Room("workspace/s/w", () => {});
    room.doc.getText("t").insert(0, "abc".repeat(100));
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(room.doc));
    room.doc.getText("t").insert(300, "d");
    const answer = room.syncStep2(Y.encodeStateVector(client));
    Y.applyUpdate(client, step2Update(answer));
    expect(client.getText("t").toString()).toBe("abc".repeat(100) + "d");
    expect(step2Update(answer).byteLength).toBeLessThan(step2Update(room.syncStep2(empty)).byteLength);
    room.destroy();
  });

  it("a doc loaded from storage invalidates the cached answer", () => {
    const room = new Room("workspace/s/w", () => {});
    const before = room.syncStep2(empty);
    const stored = new Y.Doc();
    stored.getText("t").insert(0, "stored");
    room.load([Y.encodeStateAsUpdate(stored)]);
    const after = room.syncStep2(empty);
    expect(after).not.toBe(before);
    const joiner = new Y.Doc();
    Y.applyUpdate(joiner, step2Update(after));
    expect(joiner.getText("t").toString()).toBe("stored");
    room.destroy();
  });

  it("joiners, compaction and the size check share one encoding of each doc version", () => {
    const room = new Room("workspace/s/w", () => {});
    room.doc.getText("t").insert(0, "shared");
    const state = room.fullState();
    expect(room.fullState()).toBe(state);
    expect(Array.from(state)).toEqual(Array.from(Y.encodeStateAsUpdate(room.doc)));
    // The joiners' frame carries exactly that update, as y-protocols would encode it.
    const frame = room.syncStep2(empty);
    expect(Array.from(frame)).toEqual(Array.from(encodeSyncStep2(room.doc, empty)));
    expect(room.measure()).toBe(state.byteLength);
    expect(room.fullState()).toBe(state);
    room.doc.getText("t").insert(6, "!");
    const next = room.fullState();
    expect(next).not.toBe(state);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, next);
    expect(copy.getText("t").toString()).toBe("shared!");
    room.destroy();
  });
});

describe("Room.syncStep1", () => {
  it("encodes a doc's sync step 1 once per version, the same bytes as encodeSyncStep1", () => {
    const room = new Room("workspace/s/w", () => {});
    const doc = room.doc;
    const empty = room.syncStep1();
    expect(empty).toEqual(encodeSyncStep1(doc));
    expect(room.syncStep1()).toBe(empty);

    doc.getText("t").insert(0, "hello");
    const one = room.syncStep1();
    expect(one).not.toEqual(empty);
    expect(one).toEqual(encodeSyncStep1(doc));
    expect(room.syncStep1()).toBe(one);

    // An update from another client (a new entry in the state vector).
    const other = new Y.Doc();
    other.getText("t").insert(0, "x");
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    expect(room.syncStep1()).toEqual(encodeSyncStep1(doc));
    expect(room.syncStep1()).not.toEqual(one);
    room.destroy();
  });

  it("keeps one frame per room", () => {
    const a = new Room("workspace/s/a", () => {});
    const b = new Room("workspace/s/b", () => {});
    b.doc.getText("t").insert(0, "b");
    expect(a.syncStep1()).toEqual(encodeSyncStep1(a.doc));
    expect(b.syncStep1()).toEqual(encodeSyncStep1(b.doc));
    expect(a.syncStep1()).not.toEqual(b.syncStep1());
    a.destroy();
    b.destroy();
  });
});
