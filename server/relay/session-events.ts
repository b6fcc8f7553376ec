/**
 * Session events shared between instances: what one instance publishes (a participant joined, a
 * run was reported) also reaches the host dashboards connected to the others, through the relay.
 */
import { type SessionEvent, SessionEvents } from "../session/events.js";
import type { RedisRelay } from "./redis-relay.js";

export class RelayedSessionEvents extends SessionEvents {
  constructor(private readonly relay: RedisRelay) {
    super();
    relay.onSessionEvent((sessionId, event) => super.publish(sessionId, event));
  }

  override publish(sessionId: string, event: SessionEvent): void {
    super.publish(sessionId, event);
    this.relay.publishSessionEvent(sessionId, event);
  }
}
