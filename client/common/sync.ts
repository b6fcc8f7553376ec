/**
 * One Yjs doc kept in sync with the server over the stock y-websocket provider (docs/api.md, "Sync"), and
 * the connection state the room shows at all times. Edits made while offline stay in the local doc
 * and the provider merges them on reconnect (the Yjs sync handshake sends what the server lacks).
 */
import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";

export type ConnectionState = "connecting" | "connected" | "reconnecting" | "offline" | "refused";

export interface DocConnection {
  doc: Y.Doc;
  provider: WebsocketProvider;
  state(): ConnectionState;
  /** Calls `listener` on every state change; returns the unsubscribe function. */
  onState(listener: (state: ConnectionState) => void): () => void;
  /** Resolves after the first full sync with the server. */
  synced: Promise<void>;
  destroy(): void;
}

export function syncUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/sync`;
}

export function connectDoc(docName: string, token: string): DocConnection {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(syncUrl(window.location), docName, doc, {
    params: { token },
    maxBackoffTime: 2500,
    disableBc: true,
  });
  const listeners = new Set<(state: ConnectionState) => void>();
  let everConnected = false;
  let refused = false;
  let current: ConnectionState = "connecting";

  const compute = (): ConnectionState => {
    if (refused) return "refused";
    if (!navigator.onLine) return "offline";
    if (provider.wsconnected) return "connected";
    return everConnected ? "reconnecting" : "connecting";
  };
  const update = () => {
    const next = compute();
    if (next === current) return;
    current = next;
    for (const l of listeners) l(next);
  };
  provider.on("status", ({ status }) => {
    if (status === "connected") everConnected = true;
    update();
  });
  provider.on("closed", () => {
    refused = true;
    update();
  });
  window.addEventListener("online", update);
  window.addEventListener("offline", update);
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) return resolve();
    const onSync = (isSynced: boolean) => {
      if (!isSynced) return;
      provider.off("sync", onSync);
      resolve();
    };
    provider.on("sync", onSync);
  });
  current = compute();

  return {
    doc,
    provider,
    state: () => current,
    onState(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    synced,
    destroy() {
      window.removeEventListener("online", update);
      window.removeEventListener("offline", update);
      listeners.clear();
      provider.destroy();
      doc.destroy();
    },
  };
}

const SEVERITY: ConnectionState[] = ["connected", "connecting", "reconnecting", "offline", "refused"];

/** The state to show for several connections: the worst one. */
export function worstState(states: ConnectionState[]): ConnectionState {
  return states.reduce<ConnectionState>(
    (a, b) => (SEVERITY.indexOf(b) > SEVERITY.indexOf(a) ? b : a),
    "connected",
  );
}
