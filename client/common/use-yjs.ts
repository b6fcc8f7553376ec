/** Preact hooks over Yjs types and awareness: re-render on change, read through a pure function. */
import { useEffect, useState } from "preact/hooks";
import type { Awareness } from "y-protocols/awareness";
import type { ConnectionState, DocConnection } from "./sync.js";

/** The value `read(type)` and a re-render whenever `type` or anything inside it changes. */
/** The part of a Yjs shared type that {@link useY} needs. */
interface Observable {
  observeDeep(f: () => void): void;
  unobserveDeep(f: () => void): void;
}

export function useY<T, Type extends Observable>(type: Type | null, read: (type: Type) => T, fallback: T): T {
  const [value, setValue] = useState<T>(() => (type ? read(type) : fallback));
  useEffect(() => {
    if (!type) return;
    const update = () => setValue(read(type));
    update();
    type.observeDeep(update);
    return () => type.unobserveDeep(update);
    // `read` is a module-level function at every call site, so `type` alone decides re-subscribing.
  }, [type]);
  return value;
}

/**
 * Awareness states, re-read at most once per frame (or per `batchMs`): sixty attendees renew
 * their presence every few seconds and each change would otherwise re-render.
 */
export function useAwarenessStates(
  awareness: Awareness | null,
  batchMs = 0,
): Map<number, Record<string, unknown>> {
  const [states, setStates] = useState(() => new Map(awareness?.getStates() ?? []));
  useEffect(() => {
    if (!awareness) return;
    let pending: (() => void) | null = null;
    const flush = () => {
      pending = null;
      setStates(new Map(awareness.getStates()));
    };
    const update = () => {
      if (pending) return;
      if (batchMs > 0) {
        const timer = setTimeout(flush, batchMs);
        pending = () => clearTimeout(timer);
      } else {
        const frame = requestAnimationFrame(flush);
        pending = () => cancelAnimationFrame(frame);
      }
    };
    flush();
    awareness.on("change", update);
    return () => {
      pending?.();
      awareness.off("change", update);
    };
  }, [awareness, batchMs]);
  return states as Map<number, Record<string, unknown>>;
}

export function useConnectionState(connection: DocConnection | null): ConnectionState {
  const [state, setState] = useState<ConnectionState>(connection?.state() ?? "connecting");
  useEffect(() => {
    if (!connection) return;
    setState(connection.state());
    return connection.onState(setState);
  }, [connection]);
  return state;
}

/** A stable colour per participant, for cursors and avatars. */
export function participantColour(id: string): { color: string; colorLight: string } {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
  const hue = hash % 360;
  return { color: `hsl(${hue} 70% 40%)`, colorLight: `hsl(${hue} 70% 40% / 0.25)` };
}
