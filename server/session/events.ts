/**
 * Live events of a session for the host dashboard (served as Server-Sent Events): a participant
 * joined, a run was reported, a verification finished, the verify queue moved, a hint or solution
 * was revealed, an attendee asked for a hint, posted a question, the host marked a question done, a pair was made, swapped or
 * ended. In-process; a multi-instance relay can publish into it.
 */
import { EventEmitter } from "node:events";
import type { SessionEvent } from "../../contract/events.js";

export type { SessionEvent };

/** Emitter event name for listeners of every session. */
const ALL = Symbol("all sessions");

export class SessionEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open dashboard; there is no leak to warn about.
    this.emitter.setMaxListeners(0);
  }

  publish(sessionId: string, event: SessionEvent): void {
    this.emitter.emit(sessionId, event);
    this.emitter.emit(ALL, sessionId, event);
  }

  /**
   * Calls `listener` for each event of every session (with a relay, those published on other
   * instances too); returns the unsubscribe function.
   */
  subscribeAll(listener: (sessionId: string, event: SessionEvent) => void): () => void {
    this.emitter.on(ALL, listener);
    return () => this.emitter.off(ALL, listener);
  }

  /** Calls `listener` for each event of the session; returns the unsubscribe function. */
  subscribe(sessionId: string, listener: (event: SessionEvent) => void): () => void {
    this.emitter.on(sessionId, listener);
    return () => this.emitter.off(sessionId, listener);
  }
}
