/**
 * Session summaries: built from storage and the session doc's broadcasts for the host
 * (`GET /api/sessions/:sid/summary`), and shared read-only through a signed, summary-scoped link
 * (`POST /api/sessions/:sid/summary-link`, `GET /api/summaries/:sid`). The link's token is not an
 * attendee token and opens nothing else (see auth/token.ts).
 */
import { forbidden, notFound, unauthenticated } from "../errors.js";
import type { TokenSigner } from "../auth/token.js";
import type { Packs } from "../packs/shelf.js";
import { sessionDocName } from "../../contract/doc-names.js";
import { readBroadcasts, sessionDoc } from "../../contract/session-doc.js";
import type { SummaryLink } from "../../contract/summary.js";
import type { SessionRecord, RecordStore } from "../storage/types.js";
import type { RoomRegistry } from "../sync/registry.js";
import { buildSummary, summaryBroadcasts, type SessionSummary } from "./summary.js";

export type { SummaryLink };

export class SummaryService {
  constructor(
    private readonly storage: RecordStore,
    private readonly rooms: RoomRegistry,
    private readonly packs: Packs,
    private readonly signer: TokenSigner,
    private readonly publicUrl: string,
  ) {}

  async summary(session: SessionRecord, showNames: boolean): Promise<SessionSummary> {
    const pack = this.packs.get(session.packId);
    if (!pack) throw notFound("unknown_pack", `the session's pack "${session.packId}" is not installed`);
    const [participants, runs, verifications, broadcasts] = await Promise.all([
      this.storage.listParticipants(session.id),
      this.storage.listRuns(session.id),
      this.storage.listVerifications(session.id),
      this.rooms.read(sessionDocName(session.id), (room) => readBroadcasts(sessionDoc.broadcasts(room.doc))),
    ]);
    return buildSummary({
      session,
      pack,
      participants,
      runs,
      verifications,
      broadcasts: summaryBroadcasts(broadcasts),
      showNames,
      now: Date.now(),
    });
  }

  /** A read-only link to the summary: `<publicUrl>/summary/<sid>#token=<token>` (fragment: not logged). */
  link(session: SessionRecord, showNames: boolean, days: number, now = Date.now()): SummaryLink {
    const expiresAt = now + days * 24 * 3600 * 1000;
    const token = this.signer.signSummary({ sid: session.id, names: showNames, exp: expiresAt });
    return { url: `${this.publicUrl}/summary/${encodeURIComponent(session.id)}#token=${token}`, expiresAt };
  }

  /** The summary a share link's token opens. 404 unknown session, 401 bad/expired token, 403 other session. */
  async shared(sessionId: string, token: string | undefined): Promise<SessionSummary> {
    const { session, names } = await this.sharedSession(sessionId, token);
    return this.summary(session, names);
  }

  /**
   * The session a share link's token opens, for its workspace histories: only a link made with
   * names visible shows them (403 otherwise). Errors as {@link shared}.
   */
  async sharedHistories(sessionId: string, token: string | undefined): Promise<SessionRecord> {
    const { session, names } = await this.sharedSession(sessionId, token);
    if (!names) throw forbidden("this summary link shows no histories (names anonymised)");
    return session;
  }

  private async sharedSession(
    sessionId: string,
    token: string | undefined,
  ): Promise<{ session: SessionRecord; names: boolean }> {
    const session = await this.storage.getSession(sessionId);
    if (!session) throw notFound("unknown_session", "no such session");
    if (!token) throw unauthenticated("a summary link token is required");
    const check = this.signer.verifySummary(token);
    if (!check.ok) {
      throw unauthenticated(
        check.reason === "expired" ? "this summary link has expired" : "invalid summary link",
      );
    }
    if (check.claims.sid !== sessionId) throw forbidden("this summary link belongs to another session");
    return { session, names: check.claims.names };
  }
}
