/**
 * A message the server sends to several peers (a doc update, an awareness broadcast), framed for
 * the wire once: one WebSocket frame (RFC 6455: FIN, binary, unmasked, as every server frame is)
 * whose bytes are written as they are to every peer's socket. Through `ws.send` each peer would
 * build its own header, option objects and Buffer view of the same bytes.
 *
 * Writing a frame past `ws` is sound only while no extension is negotiated (the server never
 * enables permessage-deflate: a compressed stream would need per-socket state) and the socket is
 * open; {@link sharedFrameWriter} checks both and otherwise leaves the message to `ws.send`.
 *
 * Writes are corked for the rest of the event-loop turn: a socket that gets several shared frames
 * in one turn (a room's merged doc update and its awareness broadcast) hands them to the kernel in
 * one `writev` instead of one write system call per frame. The rooms' fan-out uncorks when it ends
 * ({@link holdingSharedFrames}); otherwise a `setImmediate` does, after the turn's input is read. Anything `ws` writes meanwhile (its own sends, pings, a close) joins the same corked
 * stream, in order.
 */
import type { Duplex } from "node:stream";
import { WebSocket } from "ws";

const FIN_BINARY = 0x82;

/** A frame of a `length`-byte payload, its header written; the payload is left to the caller. */
function frameOf(length: number): { frame: Buffer; header: number } {
  const header = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = FIN_BINARY;
  if (header === 2) {
    frame[1] = length;
  } else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  return { frame, header };
}

/** The frame header plus payload for `message`, as `ws` would put it on the wire from a server. */
export function frameBinary(message: Uint8Array): Buffer {
  const { frame, header } = frameOf(message.byteLength);
  frame.set(message, header);
  return frame;
}

/** One message for many peers; its frame is built on first use and shared. */
export class SharedMessage {
  constructor(
    readonly message: Uint8Array,
    private framed: Buffer | null = null,
  ) {}

  /**
   * A message of `length` bytes that `write` puts straight into its frame (at `offset`): one
   * allocation and one copy of the payload, where encoding it first and framing it after takes two.
   * The message is a view of the frame's payload.
   */
  static written(length: number, write: (target: Uint8Array, offset: number) => void): SharedMessage {
    const { frame, header } = frameOf(length);
    write(frame, header);
    return new SharedMessage(frame.subarray(header), frame);
  }

  get frame(): Buffer {
    this.framed ??= frameBinary(this.message);
    return this.framed;
  }
}

/** The part of `ws`'s WebSocket this writes through (its own socket; not in its public types). */
interface WithSocket {
  _socket?: Duplex | null;
}

/** Sockets corked this turn, uncorked together once the turn's input has been handled. */
const corked = new Set<Duplex>();
let uncorkScheduled: NodeJS.Immediate | null = null;
/** Open {@link holdingSharedFrames} calls: their end uncorks, no `setImmediate` needed. */
let holding = 0;

/**
 * Runs `write` (a fan-out), then hands every corked socket's frames to the kernel at once. The
 * rooms' end-of-turn fan-out runs in the check phase, where an uncork scheduled with
 * `setImmediate` would wait for the next loop iteration.
 */
export function holdingSharedFrames(write: () => void): void {
  holding++;
  try {
    write();
  } finally {
    if (--holding === 0) uncorkSharedFrames();
  }
}

/** Hands every corked socket's frames to the kernel now. */
export function uncorkSharedFrames(): void {
  if (uncorkScheduled) clearImmediate(uncorkScheduled);
  uncorkScheduled = null;
  for (const socket of corked) socket.uncork();
  corked.clear();
}

/** Writes `frame` to `socket`, corked until the end of this event-loop turn (its check phase). */
function writeCorked(socket: Duplex, frame: Buffer): void {
  if (!corked.has(socket)) {
    socket.cork();
    corked.add(socket);
    if (holding === 0) uncorkScheduled ??= setImmediate(uncorkSharedFrames);
  }
  socket.write(frame);
}

/**
 * How `ws` sends shared messages: their prebuilt frame straight to its socket when that is sound
 * (no extension negotiated, decided once per connection; the socket still open), else `ws.send`.
 */
export function sharedFrameWriter(ws: WebSocket): (shared: SharedMessage) => void {
  const socket = ws.extensions === "" ? (ws as unknown as WithSocket)._socket : null;
  if (!socket) return (shared) => ws.send(shared.message);
  return (shared) => {
    if (ws.readyState === WebSocket.OPEN && !socket.destroyed) writeCorked(socket, shared.frame);
    else ws.send(shared.message);
  };
}
