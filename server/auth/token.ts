/**
 * Attendee tokens: `<payload>.<mac>`, both base64url, where payload is JSON {sid, pid, exp} and
 * mac is HMAC-SHA256(secret, payload). Bound to one session and participant (design.md §3), not to
 * a workspace: pairing moves a participant between workspaces while its token stays valid.
 * `exp` is a Unix time in milliseconds.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

export interface TokenClaims {
  sid: string;
  pid: string;
  /** The workspace at join time, in tokens issued before pairing existed; never checked. */
  wid?: string;
  exp: number;
}

const claimsSchema = z.strictObject({
  sid: z.string().min(1),
  pid: z.string().min(1),
  wid: z.string().min(1).optional(),
  exp: z.number().int(),
});

export type TokenCheck =
  { ok: true; claims: TokenClaims } | { ok: false; reason: "malformed" | "bad-signature" | "expired" };

export class TokenSigner {
  constructor(private readonly secret: Buffer) {}

  sign(claims: TokenClaims): string {
    const payload = Buffer.from(JSON.stringify(claims), "utf8").toString("base64url");
    return `${payload}.${this.mac(payload).toString("base64url")}`;
  }

  verify(token: string, now: number = Date.now()): TokenCheck {
    const dot = token.indexOf(".");
    if (dot <= 0 || token.length > 2048) return { ok: false, reason: "malformed" };
    const payload = token.slice(0, dot);
    const presented = Buffer.from(token.slice(dot + 1), "base64url");
    const expected = this.mac(payload);
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      return { ok: false, reason: "bad-signature" };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    } catch {
      return { ok: false, reason: "malformed" };
    }
    const claims = claimsSchema.safeParse(parsed);
    if (!claims.success) return { ok: false, reason: "malformed" };
    if (claims.data.exp <= now) return { ok: false, reason: "expired" };
    return { ok: true, claims: claims.data };
  }

  private mac(payload: string): Buffer {
    return createHmac("sha256", this.secret).update(payload, "utf8").digest();
  }
}
