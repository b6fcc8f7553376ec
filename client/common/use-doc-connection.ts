/** The Preact hook that keeps one doc connection open while a view shows it. */
import { useEffect, useMemo } from "preact/hooks";
import { connectDoc, type DocConnection } from "./sync.js";

/**
 * A connection to `docName` with `token`, opened on first render and again when either changes,
 * destroyed when the view goes or reconnects elsewhere.
 */
export function useDocConnection(docName: string, token: string): DocConnection {
  const connection = useMemo(() => connectDoc(docName, token), [docName, token]);
  useEffect(() => () => connection.destroy(), [connection]);
  return connection;
}
