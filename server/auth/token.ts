/**
 * Attendee tokens: `<payload>.<mac>`, both base64url, where payload is JSON {sid, pid, exp} and
 * mac is HMAC-SHA256(secret, payload). Bound to one session and participant (docs/api.md), not to
 * a workspace: pairing moves a participant between workspaces while its token stays valid.
 * `exp` is a Unix time in milliseconds.
 *
 * Summary tokens (the host's read-only share link to a session summary) have the same shape with
 * payload {kind: "summary", sid, names, exp}, but their mac covers "summary." + payload: neither
 * kind of token verifies as the other, whatever its claims say.
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

/** A summary share link's claims: which session, whether names are shown, until when. */
export interface SummaryClaims {
  kind: "summary";
  sid: string;
  names: boolean;
  exp: number;
}

const summaryClaimsSchema = z.strictObject({
  kind: z.literal("summary"),
  sid: z.string().min(1),
  names: z.boolean(),
  exp: z.number().int(),
});

/** Domain of a summary token's mac, so an attendee token's mac never matches one. */
const SUMMARY_DOMAIN = "summary.";

type Failure = { ok: false; reason: "malformed" | "bad-signature" | "expired" };

export type SummaryCheck = { ok: true; claims: SummaryClaims } | Failure;

export type TokenCheck = { ok: true; claims: TokenClaims } | Failure;

export class TokenSigner {
  constructor(private readonly secret: Buffer) {}

  sign(claims: TokenClaims): string {
    return this.signPayload(claims, "");
  }

  verify(token: string, now: number = Date.now()): TokenCheck {
    return this.check(token, "", claimsSchema, now);
  }

  signSummary(claims: Omit<SummaryClaims, "kind">): string {
    return this.signPayload({ kind: "summary", ...claims }, SUMMARY_DOMAIN);
  }

  verifySummary(token: string, now: number = Date.now()): SummaryCheck {
    return this.check(token, SUMMARY_DOMAIN, summaryClaimsSchema, now);
  }

  private signPayload(claims: object, domain: string): string {
    const payload = Buffer.from(JSON.stringify(claims), "utf8").toString("base64url");
    return `${payload}.${this.mac(domain + payload).toString("base64url")}`;
  }

  private check<T extends { exp: number }>(
    token: string,
    domain: string,
    schema: z.ZodType<T>,
    now: number,
  ): { ok: true; claims: T } | Failure {
    const dot = token.indexOf(".");
    if (dot <= 0 || token.length > 2048) return { ok: false, reason: "malformed" };
    const payload = token.slice(0, dot);
    const presented = Buffer.from(token.slice(dot + 1), "base64url");
    const expected = this.mac(domain + payload);
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      return { ok: false, reason: "bad-signature" };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    } catch {
      return { ok: false, reason: "malformed" };
    }
    const claims = schema.safeParse(parsed);
    if (!claims.success) return { ok: false, reason: "malformed" };
    if (claims.data.exp <= now) return { ok: false, reason: "expired" };
    return { ok: true, claims: claims.data };
  }

  private mac(payload: string): Buffer {
    return createHmac("sha256", this.secret).update(payload, "utf8").digest();
  }
}
