/**
 * The session the dashboard is for and the host key it acts with, provided once by the dashboard
 * to every panel below it (instead of threading both through each panel's props).
 */
import { createContext } from "preact";
import { useContext } from "preact/hooks";

export interface HostSessionIds {
  sessionId: string;
  hostKey: string;
}

const HostSessionContext = createContext<HostSessionIds | null>(null);

export const HostSessionProvider = HostSessionContext.Provider;

/** The dashboard's session and host key; only inside {@link HostSessionProvider}. */
export function useHostSession(): HostSessionIds {
  const ids = useContext(HostSessionContext);
  if (!ids) throw new Error("useHostSession is used outside the host dashboard");
  return ids;
}
