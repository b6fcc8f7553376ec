/**
 * The client address a request came from, for the limits kept per address (joins, sync
 * connections). Behind a reverse proxy (`TRUST_PROXY=1`) it is the last `X-Forwarded-For` entry: the
 * proxy appends the address it saw, and earlier entries are whatever the client claimed. Without
 * `TRUST_PROXY` the header is ignored (a client could otherwise claim any address) and the socket's
 * peer address is used.
 */
export function clientAddress(
  forwardedFor: string | string[] | undefined,
  remoteAddress: string | undefined,
  trustProxy: boolean,
): string {
  if (trustProxy && forwardedFor !== undefined) {
    const header = Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor;
    const last = header.split(",").at(-1)?.trim();
    if (last) return last;
  }
  return remoteAddress ?? "unknown";
}
