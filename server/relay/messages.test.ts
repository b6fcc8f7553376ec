import { describe, expect, it } from "vitest";
import { decodeRelayMessage, encodeRelayMessage, type RelayMessage } from "./messages.js";

describe("relay messages", () => {
  const bytes = new Uint8Array([1, 2, 3, 250]);
  const messages: RelayMessage[] = [
    { kind: "update", from: "app1-ab", seq: 42, sentAt: 1_700_000_000_123.5, update: bytes },
    { kind: "awareness", from: "app1-ab", update: bytes },
    { kind: "sync-request", from: "app2-cd", stateVector: bytes },
    {
      kind: "sync-reply",
      from: "app1-ab",
      to: "app2-cd",
      seq: 0,
      update: bytes,
      stateVector: new Uint8Array(),
    },
    { kind: "stored", from: "app1-ab", seq: 7 },
  ];

  it("round-trips every kind", () => {
    for (const m of messages) expect(decodeRelayMessage(encodeRelayMessage(m))).toEqual(m);
  });

  it("rejects unknown kinds and truncated frames", () => {
    const stored = encodeRelayMessage({ kind: "stored", from: "x", seq: 1 });
    const unknownKind = stored.slice();
    unknownKind[2] = 9;
    expect(() => decodeRelayMessage(unknownKind)).toThrow();
    const update = encodeRelayMessage(messages[0]!);
    expect(() => decodeRelayMessage(update.slice(0, update.length - 3))).toThrow();
    expect(() => decodeRelayMessage(new Uint8Array())).toThrow();
  });
});
