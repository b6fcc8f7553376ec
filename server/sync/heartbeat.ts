/**
 * Drops sync sockets whose peer vanished without closing (a laptop lid shut, Wi-Fi lost): every
 * interval each open socket is pinged, and one that has not answered the previous ping is
 * terminated. Browsers and `ws` answer pings by themselves. Without it a half-open socket would
 * count against its participant's connection cap (participant-budget.ts) until TCP gave up, which
 * on a quiet doc is never, and a flaky attendee could lock themselves out by reconnecting.
 */
import type { WebSocket } from "ws";

export class Heartbeat {
  private readonly answered = new WeakSet<WebSocket>();
  private readonly timer: NodeJS.Timeout;
  /** One listener for every socket's pongs (`this` is the socket), not a closure per socket. */
  private readonly onPong: (this: WebSocket) => void;

  constructor(
    private readonly sockets: () => Iterable<WebSocket>,
    intervalMs: number,
  ) {
    this.timer = setInterval(() => this.beat(), intervalMs);
    this.timer.unref();
    const answered = this.answered;
    this.onPong = function (this: WebSocket) {
      answered.add(this);
    };
  }

  /** Starts watching a socket that has just opened. */
  watch(ws: WebSocket): void {
    this.answered.add(ws);
    ws.on("pong", this.onPong);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private beat(): void {
    for (const ws of this.sockets()) {
      if (ws.readyState !== ws.OPEN) continue;
      if (!this.answered.has(ws)) {
        ws.terminate();
        continue;
      }
      this.answered.delete(ws);
      ws.ping();
    }
  }
}
