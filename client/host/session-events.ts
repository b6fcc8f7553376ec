/**
 * What the dashboard's panels share: one EventSource per session (each panel listens for the event
 * types it needs without opening its own stream: a browser allows only six HTTP/1.1 connections
 * per origin, and every open stream holds one), and one `GET /progress` for the panels that load
 * their first state together.
 */
import { useEffect } from "preact/hooks";
import { parseSessionEvent, type SessionEvent, type SessionEventType } from "../../contract/events.js";
import type { Progress } from "../../contract/progress.js";
import { api } from "../api.js";

const progressInFlight = new Map<string, Promise<Progress>>();

/** `GET /progress`; callers while a request is in flight share it instead of sending another. */
export function loadProgress(sessionId: string, hostKey: string): Promise<Progress> {
  const key = `${sessionId}\u0000${hostKey}`;
  let pending = progressInFlight.get(key);
  if (!pending) {
    pending = api.progress(sessionId, hostKey).finally(() => progressInFlight.delete(key));
    progressInFlight.set(key, pending);
  }
  return pending;
}

interface Shared {
  source: EventSource;
  users: number;
}

const streams = new Map<string, Shared>();

function open(url: string): Shared {
  let shared = streams.get(url);
  if (!shared) {
    shared = { source: new EventSource(url), users: 0 };
    streams.set(url, shared);
  }
  shared.users++;
  return shared;
}

function release(url: string, shared: Shared): void {
  if (--shared.users > 0) return;
  shared.source.close();
  streams.delete(url);
}

/**
 * Calls `onEvent` for every event of the named types on the session's stream, its data parsed with
 * the contract's schema for its type (contract/events.ts); a malformed event is skipped.
 */
export function useSessionEvents<T extends SessionEventType>(
  sessionId: string,
  hostKey: string,
  types: readonly T[],
  onEvent: (event: Extract<SessionEvent, { type: T }>) => void,
): void {
  const key = types.join(",");
  useEffect(() => {
    const url = `/api/sessions/${encodeURIComponent(sessionId)}/events?token=${encodeURIComponent(hostKey)}`;
    const shared = open(url);
    const listener = (event: Event) => {
      const type = event.type as T;
      const data = parseSessionEvent(type, (event as MessageEvent<string>).data);
      if (data !== null) onEvent({ type, data } as Extract<SessionEvent, { type: T }>);
    };
    for (const type of types) shared.source.addEventListener(type, listener);
    return () => {
      for (const type of types) shared.source.removeEventListener(type, listener);
      release(url, shared);
    };
    // `types` is compared by content (key); `onEvent` is stable per mount in the panels.
  }, [sessionId, hostKey, key]);
}
