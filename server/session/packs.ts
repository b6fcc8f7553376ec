/**
 * The pack a session was made from.
 */
import { notFound } from "../errors.js";
import type { Pack } from "../packs/format.js";
import type { Packs } from "../packs/shelf.js";
import type { SessionRecord } from "../storage/types.js";

/** The session's pack; a pack removed from disk after sessions were made with it: 404, the session can't be served. */
export function packOf(packs: Packs, session: SessionRecord): Pack {
  const pack = packs.get(session.packId);
  if (!pack) throw notFound("unknown_pack", `the session's pack "${session.packId}" is not installed`);
  return pack;
}
