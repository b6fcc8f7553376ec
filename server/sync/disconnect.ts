/**
 * Closing one person's sync connections to a doc, when the server takes their access away (the
 * participant was paired into another workspace, or unpaired out of the pair's).
 *
 * Only this instance's connections; with several instances each one runs this for the relayed
 * `pairs` event (server/pairing/service.ts, docs/server.md).
 */
import { SyncConnection } from "./connection.js";
import type { RoomRegistry } from "./registry.js";

/** Closes `principal`'s connections to the named doc with `code` and `reason`; returns how many. */
export function disconnectPrincipal(
  rooms: RoomRegistry,
  doc: string,
  principal: string,
  code: number,
  reason: string,
): number {
  const room = rooms.loaded(doc);
  if (!room) return 0;
  const mine = [...room.peers].filter(
    (peer): peer is SyncConnection => peer instanceof SyncConnection && peer.access.principal === principal,
  );
  for (const connection of mine) connection.close(code, reason);
  return mine.length;
}
