/**
 * The relay's wire format on a doc's Redis channel. Every message starts with the sending
 * instance's id (so an instance ignores its own) and a kind; binary, encoded with lib0 like the
 * y-websocket frames.
 *
 * `seq` is the sender's count of updates it took from its own clients for that doc, at the time
 * of sending: a receiver keeps what it got until the sender reports that count stored
 * (`stored`), see redis-relay.ts.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";

export type RelayMessage =
  | { kind: "update"; from: string; seq: number; sentAt: number; update: Uint8Array }
  | { kind: "awareness"; from: string; update: Uint8Array }
  /** "Send me what I am missing": the sender's state vector. */
  | { kind: "sync-request"; from: string; stateVector: Uint8Array }
  /** The answer to one instance's request: what it was missing, and the answerer's state vector. */
  | { kind: "sync-reply"; from: string; to: string; seq: number; update: Uint8Array; stateVector: Uint8Array }
  /** The sender's updates for this doc up to `seq` are in storage. */
  | { kind: "stored"; from: string; seq: number };

const KINDS = ["update", "awareness", "sync-request", "sync-reply", "stored"] as const;

export function encodeRelayMessage(m: RelayMessage): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, m.from);
  encoding.writeVarUint(e, KINDS.indexOf(m.kind));
  switch (m.kind) {
    case "update":
      encoding.writeVarUint(e, m.seq);
      encoding.writeFloat64(e, m.sentAt);
      encoding.writeVarUint8Array(e, m.update);
      break;
    case "awareness":
      encoding.writeVarUint8Array(e, m.update);
      break;
    case "sync-request":
      encoding.writeVarUint8Array(e, m.stateVector);
      break;
    case "sync-reply":
      encoding.writeVarString(e, m.to);
      encoding.writeVarUint(e, m.seq);
      encoding.writeVarUint8Array(e, m.update);
      encoding.writeVarUint8Array(e, m.stateVector);
      break;
    case "stored":
      encoding.writeVarUint(e, m.seq);
      break;
  }
  return encoding.toUint8Array(e);
}

/** Decodes a relay message; throws on anything malformed. */
export function decodeRelayMessage(data: Uint8Array): RelayMessage {
  const d = decoding.createDecoder(data);
  const from = decoding.readVarString(d);
  const kind = KINDS[decoding.readVarUint(d)];
  switch (kind) {
    case "update":
      return {
        kind,
        from,
        seq: decoding.readVarUint(d),
        sentAt: decoding.readFloat64(d),
        update: decoding.readVarUint8Array(d),
      };
    case "awareness":
      return { kind, from, update: decoding.readVarUint8Array(d) };
    case "sync-request":
      return { kind, from, stateVector: decoding.readVarUint8Array(d) };
    case "sync-reply":
      return {
        kind,
        from,
        to: decoding.readVarString(d),
        seq: decoding.readVarUint(d),
        update: decoding.readVarUint8Array(d),
        stateVector: decoding.readVarUint8Array(d),
      };
    case "stored":
      return { kind, from, seq: decoding.readVarUint(d) };
    default:
      throw new Error("unknown relay message kind");
  }
}
