/**
 * Drops sync sockets whose peer vanished without closing (a laptop lid shut, Wi-Fi lost): every
 * interval each open socket is pinged, and one that has not answered the previous ping is
 * terminated. Browsers and `ws` answer pings by themselves. Without it a half-open socket would
 * count against its participant's connection cap (participant-budget.ts) until TCP gave up, which
 * on a quiet doc is never, and a flaky attendee could lock themselves out by reconnecting.
 */

/** What the heartbeat needs of a socket (upgrade.ts's `SyncWebSocket`). */
export interface PingedSocket {
  readonly readyState: number;
  readonly OPEN: number;
  /**
   * Whether the peer answered since the last ping: the socket sets it on every pong (a field on
   * the socket rather than an entry in a set here: one boolean per connection). True when new.
   */
  answeredPing: boolean;
  ping(): void;
  terminate(): void;
}

export class Heartbeat {
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly sockets: () => Iterable<PingedSocket>,
    intervalMs: number,
  ) {
    this.timer = setInterval(() => this.beat(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private beat(): void {
    for (const ws of this.sockets()) {
      if (ws.readyState !== ws.OPEN) continue;
      if (!ws.answeredPing) {
        ws.terminate();
        continue;
      }
      ws.answeredPing = false;
      ws.ping();
    }
  }
}
