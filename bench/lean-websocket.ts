/**
 * A WebSocket client that costs the load generator little per received frame, for the bench's
 * readers (bench/sync-harness.ts, `markerReader`): the HTTP upgrade (RFC 6455 §4.1) and then
 * frames read straight off the socket's chunks, each binary message handed on as a view of the
 * chunk, with no stream, no event object and no copy unless a frame spans chunks.
 *
 * Why: in the hot room every reader of a 50-client room lives in this one process, on one core,
 * where a real room's 45 readers would be 45 browsers each reading its own frames in parallel. With
 * `ws` each frame goes through its receiver stream and two event emissions, and a tick's 245 frames
 * queue behind one another in the generator, so the latency could measure the generator as much as
 * the server. Measured (docs/benchmarks.md, "A fourth machine: the rounds against what the machine
 * took, and lean readers"): it does not, the p99 ratios moved within their intervals; the
 * generator's cost per frame is its system calls. `--readers lean` keeps the check at hand; the
 * default and every other client keep `ws`.
 *
 * What it speaks: no extensions (it offers none, so the server may not compress), binary and text
 * data frames, fragmented or not, pings answered with pongs, a close answered by closing. Frames it
 * sends are masked with a random key, as a client's must be.
 */
import { createHash, randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { connect, type Socket } from "node:net";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const OP_CONTINUATION = 0x0;
const OP_TEXT = 0x1;
const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;
/** The opcodes RFC 6455 defines; any other is a protocol error. */
const OPCODES = new Set([OP_CONTINUATION, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG]);
/** The most a frame may carry: no bench message comes near it. */
const MAX_PAYLOAD = 64 * 2 ** 20;

/** readyState values, as `ws` and the browser have them. */
export const CONNECTING = 0;
export const OPEN = 1;
export const CLOSED = 3;

/** The error a failed connection or a bad frame is reported with (`code` as `ws` gives it). */
class LeanSocketError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * Events: "open"; "message" (data: Buffer, a view valid during the call); "error" (err with a
 * `code`); "close" (code: the close frame's, or 1006 when the connection ended without one).
 */
export class LeanWebSocket extends EventEmitter {
  readyState = CONNECTING;
  private readonly socket: Socket;
  private readonly key = randomBytes(16).toString("base64");
  /** Bytes received and not yet consumed (the upgrade response, or a frame cut by a chunk's end). */
  private pending: Buffer | null = null;
  /** The parts of a fragmented message so far. */
  private fragments: Buffer[] = [];
  private closeCode = 1006;

  constructor(url: string) {
    super();
    const u = new URL(url);
    if (u.protocol !== "ws:") throw new Error(`LeanWebSocket speaks ws:// only, not ${u.protocol}`);
    this.socket = connect({ host: u.hostname, port: Number(u.port || 80), noDelay: true });
    this.socket.on("connect", () => {
      this.socket.write(
        `GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\n` +
          `Connection: Upgrade\r\nSec-WebSocket-Key: ${this.key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    this.socket.on("data", (chunk: Buffer) => {
      if (this.readyState === CONNECTING) this.upgrade(chunk);
      else this.frames(chunk);
    });
    this.socket.on("error", (err: NodeJS.ErrnoException) => {
      this.emit("error", new LeanSocketError(err.message, err.code ?? "ECONNERROR"));
    });
    this.socket.on("close", () => {
      this.readyState = CLOSED;
      this.emit("close", this.closeCode);
    });
  }

  /** Sends one binary message (masked). Dropped unless the socket is open, as `ws` would throw. */
  send(data: Uint8Array): void {
    if (this.readyState !== OPEN) return;
    this.socket.write(maskedFrame(OP_BINARY, data));
  }

  /** Ends the connection at once, without a closing handshake. */
  terminate(): void {
    this.readyState = CLOSED;
    this.socket.destroy();
  }

  /** Reads the server's upgrade response; what follows it is frames. */
  private upgrade(chunk: Buffer): void {
    const head = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    const end = head.indexOf("\r\n\r\n");
    if (end < 0) {
      this.pending = head;
      return;
    }
    this.pending = null;
    const [status = "", ...lines] = head.subarray(0, end).toString("latin1").split("\r\n");
    const accept = lines
      .map((line) => /^sec-websocket-accept:\s*(.+)$/i.exec(line)?.[1]?.trim())
      .find((value) => value !== undefined);
    const expected = createHash("sha1")
      .update(this.key + GUID)
      .digest("base64");
    if (!/^HTTP\/1\.1 101 /.test(status))
      return this.fail(`Unexpected server response: ${status}`, "EUPGRADE");
    if (accept !== expected) return this.fail("Invalid Sec-WebSocket-Accept header", "EUPGRADE");
    if (lines.some((line) => /^sec-websocket-extensions:/i.test(line))) {
      return this.fail("The server chose an extension this client did not offer", "EUPGRADE");
    }
    this.readyState = OPEN;
    this.emit("open");
    if (end + 4 < head.length) this.frames(head.subarray(end + 4));
  }

  /** Takes every whole frame in `chunk` (after what was pending), keeps the rest for the next. */
  private frames(chunk: Buffer): void {
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = null;
    let at = 0;
    while (this.readyState === OPEN) {
      const frame = readFrame(buf, at);
      if (frame === "incomplete") break;
      if (typeof frame === "string") return this.fail(frame, "EPROTO");
      at = frame.end;
      this.frame(frame.fin, frame.opcode, buf.subarray(frame.start, frame.end));
    }
    // A frame cut by the chunk's end: kept (copied, the chunk's buffer may be reused).
    if (at < buf.length && this.readyState === OPEN) this.pending = Buffer.from(buf.subarray(at));
  }

  private frame(fin: boolean, opcode: number, payload: Buffer): void {
    if (opcode === OP_PING) {
      this.socket.write(maskedFrame(OP_PONG, payload));
    } else if (opcode === OP_CLOSE) {
      this.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      this.socket.end(maskedFrame(OP_CLOSE, payload.subarray(0, 2)));
      this.readyState = CLOSED;
    } else if (opcode === OP_BINARY || opcode === OP_TEXT || opcode === OP_CONTINUATION) {
      if (opcode !== OP_CONTINUATION && this.fragments.length > 0) {
        return this.fail("A new message began inside a fragmented one", "EPROTO");
      }
      if (opcode === OP_CONTINUATION && this.fragments.length === 0) {
        return this.fail("A continuation frame with no message to continue", "EPROTO");
      }
      if (!fin) {
        this.fragments.push(Buffer.from(payload));
        return;
      }
      if (this.fragments.length === 0) {
        this.emit("message", payload);
        return;
      }
      const whole = Buffer.concat([...this.fragments, payload]);
      this.fragments = [];
      this.emit("message", whole);
    }
    // A pong (0xA) needs nothing.
  }

  private fail(message: string, code: string): void {
    this.readyState = CLOSED;
    this.emit("error", new LeanSocketError(message, code));
    this.socket.destroy();
  }
}

/** One frame read at `at`: its flags and where its payload lies in the buffer. */
interface Frame {
  fin: boolean;
  opcode: number;
  start: number;
  end: number;
}

/**
 * Reads the frame header at `at` in `buf`: the frame, "incomplete" when `buf` stops inside it,
 * or why it cannot be read (a string).
 */
export function readFrame(buf: Uint8Array, at: number): Frame | "incomplete" | string {
  if (buf.length - at < 2) return "incomplete";
  const b0 = buf[at]!;
  const b1 = buf[at + 1]!;
  if ((b0 & 0x70) !== 0) return "A frame with RSV bits set (no extension was negotiated)";
  if ((b1 & 0x80) !== 0) return "A masked frame from the server";
  let length = b1 & 0x7f;
  let start = at + 2;
  if (length === 126) {
    if (buf.length - at < 4) return "incomplete";
    length = (buf[at + 2]! << 8) | buf[at + 3]!;
    start = at + 4;
  } else if (length === 127) {
    if (buf.length - at < 10) return "incomplete";
    const view = new DataView(buf.buffer, buf.byteOffset + at + 2, 8);
    const big = view.getBigUint64(0);
    if (big > BigInt(MAX_PAYLOAD)) return `A frame of ${big} bytes`;
    length = Number(big);
    start = at + 10;
  }
  const opcode = b0 & 0x0f;
  const fin = (b0 & 0x80) !== 0;
  if (opcode >= OP_CLOSE && (!fin || length > 125)) return "A fragmented or oversized control frame";
  if (!OPCODES.has(opcode)) return `An unknown opcode ${opcode}`;
  if (buf.length < start + length) return "incomplete";
  return { fin, opcode, start, end: start + length };
}

/** A client's frame (FIN set) of `payload`, masked with a random key. */
export function maskedFrame(opcode: number, payload: Uint8Array): Buffer {
  const n = payload.length;
  const headerLength = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + 4 + n);
  frame[0] = 0x80 | opcode;
  if (n < 126) frame[1] = 0x80 | n;
  else if (n < 65536) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(n), 2);
  }
  const mask = randomBytes(4);
  mask.copy(frame, headerLength);
  const body = headerLength + 4;
  for (let i = 0; i < n; i++) frame[body + i] = payload[i]! ^ mask[i & 3]!;
  return frame;
}
