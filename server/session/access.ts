/**
 * Session access: who is calling (a host key or an attendee token checked against the session) and
 * what they may do with a sync doc (the role table, docs/api.md "Roles"). Used by the API's
 * authentication middleware (api/auth.ts) and, as its `authorize` hook, by the sync upgrade.
 */
import { hostKeyMatches } from "../auth/host-key.js";
import type { TokenCheck, TokenSigner } from "../auth/token.js";
import { parseDocName, sessionDocName } from "../../contract/doc-names.js";
import { forbidden, notFound, unauthenticated } from "../errors.js";
import type { ParticipantRecord, SessionRecord, RecordStore } from "../storage/types.js";
import type { DocAccess } from "../sync/connection.js";

/** Who is calling, once their host key or token has been checked. */
export type Principal =
  | { role: "host"; session: SessionRecord }
  | { role: "attendee"; session: SessionRecord; participant: ParticipantRecord };

export class SessionAccess {
  constructor(
    private readonly storage: RecordStore,
    private readonly signer: TokenSigner,
  ) {}

  /** Checks a host key or attendee token against a session. Throws 404 / 401. */
  async authenticate(sessionId: string, token: string | undefined): Promise<Principal> {
    const check = attendeeCheck(token, this.signer);
    const { session, participant } = await this.storage.getAccessRecords(
      sessionId,
      participantToLoad(check, sessionId),
      null,
    );
    return principalOf(session, token, check, participant);
  }

  async requireHost(sessionId: string, token: string | undefined): Promise<Principal & { role: "host" }> {
    const p = await this.authenticate(sessionId, token);
    if (p.role !== "host") throw forbidden("only the host may do this");
    return p;
  }

  async requireAttendee(
    sessionId: string,
    token: string | undefined,
  ): Promise<Principal & { role: "attendee" }> {
    const p = await this.authenticate(sessionId, token);
    if (p.role !== "attendee") throw forbidden("only an attendee may do this");
    return p;
  }

  /**
   * What `token` may do with the named doc (docs/api.md, "Sync"). Throws 404 for an unknown doc, 401 for a
   * bad token, 403 for a doc the caller may not open.
   */
  async docAccess(docName: string, token: string | undefined): Promise<DocAccess> {
    const parsed = parseDocName(docName);
    if (!parsed) throw notFound("unknown_doc", `no document "${docName.slice(0, 100)}"`);
    // One storage call for every record the checks below read, in the order they always ran.
    const check = attendeeCheck(token, this.signer);
    const records = await this.storage.getAccessRecords(
      parsed.sessionId,
      participantToLoad(check, parsed.sessionId),
      parsed.kind === "session" ? null : parsed.workspaceId,
    );
    const who = principalOf(records.session, token, check, records.participant);
    const principal = who.role === "host" ? "host" : who.participant.id;
    if (parsed.kind === "session") {
      return { doc: docName, role: who.role, principal, writable: who.role === "host" };
    }
    if (who.role === "attendee" && who.participant.workspaceId !== parsed.workspaceId) {
      throw forbidden("this workspace belongs to someone else");
    }
    if (!records.workspace) throw notFound("unknown_doc", "no such workspace");
    return who.role === "host"
      ? { doc: docName, role: "host", principal, writable: true }
      : {
          doc: docName,
          role: "attendee",
          principal,
          writable: true,
          lockedBy: sessionDocName(parsed.sessionId),
        };
  }
}

/** An attendee token's check (attendee tokens always contain a dot; host keys never do), or null. */
function attendeeCheck(token: string | undefined, signer: TokenSigner): TokenCheck | null {
  return token?.includes(".") ? signer.verify(token) : null;
}

/** The participant to read with the session: the one a valid token of this session names. */
function participantToLoad(check: TokenCheck | null, sessionId: string): string | null {
  return check?.ok && check.claims.sid === sessionId ? check.claims.pid : null;
}

/** Who the credential makes its bearer in `session`, or the 404 / 401 / 403 refusing it. */
function principalOf(
  session: SessionRecord | null,
  token: string | undefined,
  check: TokenCheck | null,
  participant: ParticipantRecord | null,
): Principal {
  if (!session) throw notFound("unknown_session", "no such session");
  if (!token) throw unauthenticated("a host key or attendee token is required");
  if (!check) {
    if (hostKeyMatches(token, session.hostKeyHash)) return { role: "host", session };
    throw unauthenticated("invalid host key");
  }
  if (!check.ok) {
    throw unauthenticated(check.reason === "expired" ? "token expired; join again" : "invalid token");
  }
  if (check.claims.sid !== session.id) throw forbidden("token belongs to another session");
  // Which workspace the attendee may open is decided from storage (docAccess), not the token:
  // pairing and unpairing move participants between workspaces.
  if (!participant) throw unauthenticated("invalid token");
  return { role: "attendee", session, participant };
}
