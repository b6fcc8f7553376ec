/**
 * The dashboard's one run stream: every stored run (`GET /progress`, shared by the panels that load
 * together) and then each `run` server-sent event, handed over in batches at most every quarter
 * second (a whole class reports at once when the host says "run it now").
 */
import { useEffect, useRef } from "preact/hooks";
import type { RunNotice } from "../../contract/events.js";
import { runOfNotice, runsOfProgress, type RunRecord } from "./progress.js";
import { loadProgress, useSessionEvents } from "./session-events.js";

/** Runs (and the presence changes shown with them) are handed over at most this often. */
export const RUN_BATCH_MS = 250;

/** Calls `onRuns` with each batch of runs: the stored ones first (oldest first), then live ones. */
export function useRunStream(
  sessionId: string,
  hostKey: string,
  onRuns: (records: RunRecord[]) => void,
): void {
  const deliver = useRef(onRuns);
  deliver.current = onRuns;
  const pending = useRef<RunRecord[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const push = useRef((records: RunRecord[]) => {
    pending.current.push(...records);
    timer.current ??= setTimeout(() => {
      timer.current = null;
      deliver.current(pending.current.splice(0));
    }, RUN_BATCH_MS);
  });
  useEffect(() => {
    let live = true;
    loadProgress(sessionId, hostKey).then(
      (progress) => live && push.current(runsOfProgress(progress)),
      () => undefined,
    );
    return () => {
      live = false;
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [sessionId, hostKey]);
  const onRun = useRef((event: { data: RunNotice }) => push.current([runOfNotice(event.data)]));
  useSessionEvents(sessionId, hostKey, ["run"], onRun.current);
}
