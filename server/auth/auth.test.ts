import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hashHostKey, hostKeyMatches, newHostKey } from "./host-key.js";
import { isJoinCode, JOIN_CODE_ALPHABET, newJoinCode, normaliseJoinCode } from "./join-code.js";
import { RateLimit } from "./rate-limit.js";
import { loadSecret } from "./secret.js";
import { TokenSigner } from "./token.js";

describe("host key", () => {
  it("matches only the key it was hashed from", () => {
    const key = newHostKey();
    const hash = hashHostKey(key);
    expect(hash).not.toContain(key);
    expect(hostKeyMatches(key, hash)).toBe(true);
    expect(hostKeyMatches(newHostKey(), hash)).toBe(false);
    expect(hostKeyMatches("", hash)).toBe(false);
    expect(hostKeyMatches(key, "not-hex")).toBe(false);
    expect(key).not.toContain(".");
  });
});

describe("tokens", () => {
  const signer = new TokenSigner(Buffer.from("s".repeat(32)));
  const claims = { sid: "s1", pid: "p1", exp: 2_000 };

  it("round-trips claims", () => {
    expect(signer.verify(signer.sign(claims), 1_000)).toEqual({ ok: true, claims });
  });

  it("still accepts tokens issued with the old workspace claim", () => {
    const old = { ...claims, wid: "w1" };
    expect(signer.verify(signer.sign(old), 1_000)).toEqual({ ok: true, claims: old });
  });

  it("rejects expired, tampered, foreign and malformed tokens", () => {
    const token = signer.sign(claims);
    expect(signer.verify(token, 2_000)).toEqual({ ok: false, reason: "expired" });
    const forged = Buffer.from(JSON.stringify({ ...claims, pid: "p2" })).toString("base64url");
    expect(signer.verify(`${forged}.${token.split(".")[1]}`, 1_000)).toMatchObject({
      reason: "bad-signature",
    });
    const other = new TokenSigner(Buffer.from("t".repeat(32)));
    expect(other.verify(token, 1_000)).toMatchObject({ reason: "bad-signature" });
    expect(signer.verify("garbage", 1_000)).toMatchObject({ reason: "malformed" });
    expect(signer.verify(".x", 1_000)).toMatchObject({ reason: "malformed" });
    // Correctly signed but not our claims shape.
    const weird = Buffer.from(JSON.stringify({ sid: 1 })).toString("base64url");
    const mac = (signer as unknown as { mac(p: string): Buffer }).mac(weird).toString("base64url");
    expect(signer.verify(`${weird}.${mac}`, 1_000)).toMatchObject({ reason: "malformed" });
  });

  it("summary tokens round-trip, expire, and never verify as attendee tokens or the other way round", () => {
    const summary = { sid: "s1", names: false, exp: 2_000 };
    const token = signer.signSummary(summary);
    expect(signer.verifySummary(token, 1_000)).toEqual({ ok: true, claims: { kind: "summary", ...summary } });
    expect(signer.verifySummary(token, 2_000)).toEqual({ ok: false, reason: "expired" });
    expect(signer.verify(token, 1_000)).toEqual({ ok: false, reason: "bad-signature" });
    expect(signer.verifySummary(signer.sign(claims), 1_000)).toEqual({ ok: false, reason: "bad-signature" });
    // Summary claims signed the attendee way are still refused as a summary token.
    const mac = (signer as unknown as { mac(p: string): Buffer }).mac.bind(signer);
    const payload = Buffer.from(JSON.stringify({ kind: "summary", ...summary })).toString("base64url");
    expect(signer.verifySummary(`${payload}.${mac(payload).toString("base64url")}`, 1_000)).toMatchObject({
      reason: "bad-signature",
    });
    // …and attendee claims signed the summary way are refused as an attendee token.
    const attendee = Buffer.from(JSON.stringify(claims)).toString("base64url");
    expect(
      signer.verify(`${attendee}.${mac(`summary.${attendee}`).toString("base64url")}`, 1_000),
    ).toMatchObject({
      reason: "bad-signature",
    });
  });
});

describe("secret", () => {
  it("prefers SECRET, else generates one into DATA_DIR and reuses it", () => {
    const dir = mkdtempSync(join(tmpdir(), "scratchroom-secret-"));
    try {
      expect(loadSecret(dir, "from-env").toString()).toBe("from-env");
      const a = loadSecret(dir, null);
      expect(a.length).toBe(32);
      expect(loadSecret(dir, null).equals(a)).toBe(true);
      expect(statSync(join(dir, "secret")).mode & 0o077).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("join codes", () => {
  it("are 6 characters from an alphabet without look-alikes", () => {
    for (const ch of "0O1IL") expect(JOIN_CODE_ALPHABET).not.toContain(ch);
    const codes = new Set(Array.from({ length: 200 }, newJoinCode));
    expect(codes.size).toBeGreaterThan(195);
    for (const code of codes) expect(isJoinCode(code)).toBe(true);
  });

  it("normalise what people type", () => {
    expect(normaliseJoinCode(" abc-def ")).toBe("ABCDEF");
    expect(isJoinCode("ABCDE0")).toBe(false);
    expect(isJoinCode("ACD")).toBe(false);
  });
});

describe("rate limit", () => {
  it("allows max attempts per window per key", () => {
    let now = 0;
    const limit = new RateLimit(3, 60_000, () => now);
    expect([1, 2, 3, 4].map(() => limit.take("a"))).toEqual([true, true, true, false]);
    expect(limit.take("b")).toBe(true);
    expect(limit.retryAfterSeconds("a")).toBe(60);
    now = 60_000;
    expect(limit.take("a")).toBe(true);
  });
});
