import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { encodeUpdate, updateMessageLength, writeUpdateMessage } from "./protocol.js";
import { Room, SEND_AT_ONCE_MAX_PEERS } from "./room.js";
import { frameBinary, SharedMessage, sharedFrameWriter } from "./shared-frame.js";

/** What `ws` itself puts on the wire for a server's binary message (its Sender, unmasked). */
async function wsFrame(message: Uint8Array): Promise<Buffer> {
  const { Sender } = (await import("ws")) as unknown as {
    Sender: { frame(data: Buffer, options: Record<string, unknown>): Buffer[] };
  };
  const parts = Sender.frame(Buffer.from(message), {
    fin: true,
    mask: false,
    opcode: 2,
    readOnly: false,
    rsv1: false,
  });
  return Buffer.concat(parts);
}

describe("shared frames", () => {
  it("frames a message byte for byte as ws does, at every header size", async () => {
    for (const length of [0, 1, 125, 126, 65535, 65536, 200_000]) {
      const message = new Uint8Array(length).map((_, i) => i % 251);
      expect(frameBinary(message).equals(await wsFrame(message))).toBe(true);
    }
  });

  it("writes an update message straight into its frame as encoding and framing it would", () => {
    // Across the varuint length's and the frame header's size steps.
    for (const length of [0, 1, 122, 123, 127, 128, 16383, 16384, 65531, 65532, 200_000]) {
      const update = new Uint8Array(length).map((_, i) => (i * 7) % 253);
      const shared = SharedMessage.written(updateMessageLength(update), (target, offset) =>
        writeUpdateMessage(target, offset, update),
      );
      const expected = encodeUpdate(update);
      expect(Buffer.from(shared.message).equals(Buffer.from(expected))).toBe(true);
      expect(shared.frame.equals(frameBinary(expected))).toBe(true);
    }
  });

  it("builds the frame once however many peers send it", () => {
    const shared = new SharedMessage(new Uint8Array([0, 2, 1, 7]));
    expect(shared.frame).toBe(shared.frame);
  });

  describe("over a real socket", () => {
    let server: Server | null = null;
    afterEach(async () => {
      server?.close();
      server = null;
    });

    /** `count` clients connected to a fresh local server, and the server's `ws` socket of each. */
    async function connected(count: number): Promise<{ serverSockets: WebSocket[]; clients: WebSocket[] }> {
      const wss = new WebSocketServer({ noServer: true });
      server = createServer();
      const serverSockets: WebSocket[] = [];
      server.on("upgrade", (req, socket, head) =>
        wss.handleUpgrade(req, socket, head, (ws) => serverSockets.push(ws)),
      );
      await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
      const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const clients = Array.from({ length: count }, () => new WebSocket(url));
      await Promise.all(clients.map((c) => once(c, "open")));
      while (serverSockets.length < count) await new Promise((r) => setTimeout(r, 5));
      return { serverSockets, clients };
    }

    /** A room with one peer writing to `ws`, and the TCP socket under it. */
    function roomWritingTo(ws: WebSocket): { room: Room; socket: Socket } {
      const room = new Room("workspace/s/w", () => {});
      room.peers.add({ send: (m) => ws.send(m), sendShared: sharedFrameWriter(ws) });
      return { room, socket: (ws as unknown as { _socket: Socket })._socket };
    }

    /** One client and the server's socket of it. */
    async function connectedPair(): Promise<{ ws: WebSocket; client: WebSocket }> {
      const { serverSockets, clients } = await connected(1);
      return { ws: serverSockets[0]!, client: clients[0]! };
    }

    it("every client receives the message intact, interleaved with ordinary sends, in order", async () => {
      const { serverSockets, clients } = await connected(3);
      const received = clients.map((c) => {
        const got: number[][] = [];
        c.on("message", (data: Buffer) => got.push([...data]));
        return got;
      });
      const small = new SharedMessage(new Uint8Array([1, 2, 3]));
      const large = new SharedMessage(new Uint8Array(70_000).fill(9));
      for (const ws of serverSockets) {
        const send = sharedFrameWriter(ws);
        send(small);
        ws.send(new Uint8Array([4]));
        send(large);
      }
      const done = () => received.every((got) => got.length === 3);
      for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
      for (const got of received) {
        expect(got[0]).toEqual([1, 2, 3]);
        expect(got[1]).toEqual([4]);
        expect(got[2]!.length).toBe(70_000);
        expect(got[2]!.every((b) => b === 9)).toBe(true);
      }
      for (const c of clients) c.close();
    });

    it("holds a turn's shared frames and hands them to the socket together after the turn", async () => {
      const { ws, client } = await connectedPair();
      const got: number[][] = [];
      client.on("message", (data: Buffer) => got.push([...data]));
      const socket = (ws as unknown as { _socket: Socket })._socket;
      const send = sharedFrameWriter(ws);
      const messages = [1, 2, 3].map((n) => new SharedMessage(new Uint8Array([n, n])));
      for (const m of messages) send(m);
      ws.send(new Uint8Array([4]));
      // Still in this turn: nothing has gone to the kernel, everything waits in one corked stream.
      expect(socket.writableCorked).toBe(1);
      expect(socket.writableLength).toBe(3 * 4 + 3);
      await new Promise((r) => setImmediate(r));
      expect(socket.writableCorked).toBe(0);
      for (let i = 0; i < 200 && got.length < 4; i++) await new Promise((r) => setTimeout(r, 10));
      expect(got).toEqual([[1, 1], [2, 2], [3, 3], [4]]);
      client.close();
    });

    it("a room's end-of-turn fan-out reaches the kernel in the same turn, not the next", async () => {
      const { ws, client } = await connectedPair();
      const got: Buffer[] = [];
      client.on("message", (data: Buffer) => got.push(data));
      const { room, socket } = roomWritingTo(ws);
      // Past the rooms that send each update as it is applied.
      while (room.peers.size <= SEND_AT_ONCE_MAX_PEERS) room.peers.add({ send: () => {} });
      room.doc.getText("t").insert(0, "a");
      room.doc.getText("t").insert(1, "b");
      // The room's fan-out runs in a check phase (this turn's, then once more after one more poll of
      // the loop), before this callback's second step: its frames are written from there, so an
      // uncork left to a setImmediate would wait a whole loop iteration more.
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
      expect(socket.writableCorked).toBe(0);
      expect(socket.writableLength).toBe(0);
      for (let i = 0; i < 200 && got.length < 1; i++) await new Promise((r) => setTimeout(r, 10));
      expect(got).toHaveLength(1);
      room.destroy();
      client.close();
    });

    it(`a room of at most ${SEND_AT_ONCE_MAX_PEERS} peers hands each update to the kernel as it is applied`, async () => {
      const { ws, client } = await connectedPair();
      const got: Buffer[] = [];
      client.on("message", (data: Buffer) => got.push(data));
      const { room, socket } = roomWritingTo(ws);
      room.doc.getText("t").insert(0, "a");
      // Still in the turn that applied it: already written, nothing corked or queued.
      expect(socket.writableCorked).toBe(0);
      expect(socket.writableLength).toBe(0);
      room.doc.getText("t").insert(1, "b");
      expect(socket.writableLength).toBe(0);
      for (let i = 0; i < 200 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      expect(got).toHaveLength(2);
      room.destroy();
      client.close();
    });
  });
});
