import { createHash } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer, type WebSocket } from "ws";
import { LeanWebSocket, maskedFrame, readFrame } from "../../bench/lean-websocket.js";

const closers: (() => Promise<void>)[] = [];
const sockets: LeanWebSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  for (const close of closers.splice(0)) await close();
});

/** A client socket the test's end terminates (a server closes only once its connections are gone). */
function open(url: string): LeanWebSocket {
  const socket = new LeanWebSocket(url);
  sockets.push(socket);
  return socket;
}

/** A `ws` server on a free port; `onConnection` gets each socket and its request URL. */
async function wsServer(
  onConnection: (ws: WebSocket, url: string) => void,
  options: { refuse?: number; perMessageDeflate?: boolean } = {},
): Promise<string> {
  const wss = new WebSocketServer({
    port: 0,
    host: "127.0.0.1",
    perMessageDeflate: options.perMessageDeflate ?? false,
    verifyClient: options.refuse ? (_info, cb) => cb(false, options.refuse) : undefined,
  });
  wss.on("connection", (ws, req) => onConnection(ws, req.url ?? ""));
  await new Promise<void>((r) => wss.once("listening", () => r()));
  closers.push(() => new Promise<void>((r) => wss.close(() => r())));
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
}

/** A raw TCP server that answers the upgrade and then writes `frames` one byte at a time. */
async function byteByByteServer(frames: Buffer): Promise<string> {
  const server: Server = createServer((socket: Socket) => {
    socket.once("data", (request: Buffer) => {
      const key = /Sec-WebSocket-Key: (.+)\r\n/.exec(request.toString("latin1"))![1]!;
      const accept = createHash("sha1")
        .update(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
        .digest("base64");
      const head = `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`;
      const bytes = Buffer.concat([Buffer.from(head, "latin1"), frames]);
      let i = 0;
      const next = () => {
        if (i >= bytes.length) return;
        socket.write(bytes.subarray(i, i + 1));
        i++;
        setImmediate(next);
      };
      next();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  closers.push(() => new Promise<void>((r) => server.close(() => r())));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A server's unmasked frame. */
function serverFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const n = payload.length;
  const head = n < 126 ? Buffer.of(0, n) : Buffer.of(0, 126, n >> 8, n & 0xff);
  head[0] = (fin ? 0x80 : 0) | opcode;
  return Buffer.concat([head, payload]);
}

function messages(socket: LeanWebSocket, count: number): Promise<Buffer[]> {
  const got: Buffer[] = [];
  return new Promise((resolve) => {
    socket.on("message", (data: Buffer) => {
      got.push(Buffer.from(data));
      if (got.length === count) resolve(got);
    });
  });
}

describe("LeanWebSocket against ws's server", () => {
  it("upgrades with the URL's path and query, and both ways carry binary messages of every length form", async () => {
    const sizes = [0, 5, 125, 126, 65535, 65536, 300_000];
    let path = "";
    const echoed: Buffer[] = [];
    const url = await wsServer((ws, reqUrl) => {
      path = reqUrl;
      ws.on("message", (data: Buffer) => echoed.push(data));
      for (const n of sizes) ws.send(Buffer.alloc(n, n % 251));
    });
    const socket = open(`${url}/workspace/s/w?token=a%20b`);
    const got = await messages(socket, sizes.length);
    expect(path).toBe("/workspace/s/w?token=a%20b");
    expect(got.map((b) => b.length)).toEqual(sizes);
    for (const [i, b] of got.entries()) expect(b.every((x) => x === sizes[i]! % 251)).toBe(true);
    socket.send(Uint8Array.of(1, 2, 3));
    socket.send(new Uint8Array(70_000).fill(7));
    await expect.poll(() => echoed.length).toBe(2);
    expect([...echoed[0]!]).toEqual([1, 2, 3]);
    expect(echoed[1]!.length).toBe(70_000);
    socket.terminate();
  });

  it("answers a ping with a pong, so a heartbeat keeps it", async () => {
    const pong = new Promise<Buffer>((resolve) => {
      void wsServer((ws) => {
        ws.on("pong", (data: Buffer) => resolve(data));
        ws.ping(Buffer.from("beat"));
      }).then((url) => open(url));
    });
    expect((await pong).toString()).toBe("beat");
  });

  it("reports the server's close code", async () => {
    const url = await wsServer((ws) => ws.close(4001, "bye"));
    const socket = open(url);
    const code = await new Promise<number>((r) => socket.on("close", r));
    expect(code).toBe(4001);
    expect(socket.readyState).toBe(3);
  });

  it("fails with the status when the upgrade is refused, and never opens", async () => {
    const url = await wsServer(() => {}, { refuse: 401 });
    const socket = open(url);
    let opened = false;
    socket.once("open", () => (opened = true));
    const err = await new Promise<NodeJS.ErrnoException>((r) => socket.on("error", r));
    expect(err.message).toMatch(/Unexpected server response: HTTP\/1\.1 401/);
    expect(err.code).toBe("EUPGRADE");
    await new Promise((r) => socket.on("close", r));
    expect(opened).toBe(false);
  });

  it("offers no compression, so a server that would compress sends plain frames", async () => {
    const url = await wsServer((ws) => ws.send(Buffer.alloc(2000, 1)), { perMessageDeflate: true });
    const [got] = await messages(open(url), 1);
    expect(got!.length).toBe(2000);
  });
});

describe("LeanWebSocket reading frames cut anywhere", () => {
  it("reassembles frames that arrive a byte at a time, fragmented messages, with a ping between", async () => {
    const frames = Buffer.concat([
      serverFrame(0x2, Buffer.from("one")),
      serverFrame(0x2, Buffer.from("two-"), false),
      serverFrame(0x9, Buffer.from("p")),
      serverFrame(0x0, Buffer.alloc(200, 0x41)),
      serverFrame(0x2, Buffer.from("three")),
    ]);
    const url = await byteByByteServer(frames);
    const got = await messages(open(url), 3);
    expect(got[0]!.toString()).toBe("one");
    expect(got[1]!.toString()).toBe("two-" + "A".repeat(200));
    expect(got[2]!.toString()).toBe("three");
  });

  it("refuses a masked or extension-flagged frame from the server", async () => {
    for (const bad of [Buffer.of(0x82, 0x81, 1, 2, 3, 4, 5), Buffer.of(0xc2, 0x01, 9)]) {
      const socket = open(await byteByByteServer(bad));
      const err = await new Promise<NodeJS.ErrnoException>((r) => socket.on("error", r));
      expect(err.code).toBe("EPROTO");
    }
  });
});

describe("readFrame and maskedFrame", () => {
  it("says incomplete until the whole frame is there", () => {
    const frame = serverFrame(0x2, Buffer.alloc(300, 1));
    for (let n = 0; n < frame.length; n++) expect(readFrame(frame.subarray(0, n), 0)).toBe("incomplete");
    expect(readFrame(frame, 0)).toEqual({ fin: true, opcode: 2, start: 4, end: 304 });
  });

  it("masks so that unmasking with the frame's key gives the payload back", () => {
    const payload = Buffer.from("a client's frame, long enough to use every mask byte");
    const frame = maskedFrame(0x2, payload);
    expect(frame[0]).toBe(0x82);
    expect(frame[1]).toBe(0x80 | payload.length);
    const key = frame.subarray(2, 6);
    const body = frame.subarray(6).map((b, i) => b ^ key[i & 3]!);
    expect(Buffer.from(body).toString()).toBe(payload.toString());
  });
});
