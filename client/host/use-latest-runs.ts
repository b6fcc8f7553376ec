/**
 * Every participant's latest run per task, for the class view: the stored progress first, then each
 * `run` server-sent event, folded at most every quarter second (a whole class reports at once when
 * the host says "run it now").
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { recordLatest, type LatestRuns } from "./class-view.js";
import type { RunRecord } from "./progress.js";
import { parseProgress, parseRunNotice } from "./run-notices.js";
import { loadProgress, useSessionEvents } from "./session-events.js";

const BATCH_MS = 250;

export function useLatestRuns(sessionId: string, hostKey: string): LatestRuns {
  const [latest, setLatest] = useState<LatestRuns>(() => new Map());
  const pending = useRef<RunRecord[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const push = useRef((records: RunRecord[]) => {
    pending.current.push(...records);
    timer.current ??= setTimeout(() => {
      timer.current = null;
      const batch = pending.current.splice(0);
      setLatest((l) => batch.reduce(recordLatest, l));
    }, BATCH_MS);
  });
  useEffect(() => {
    let live = true;
    loadProgress(sessionId, hostKey).then(
      (data) => live && push.current(parseProgress(data)),
      () => undefined,
    );
    return () => {
      live = false;
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [sessionId, hostKey]);
  const onRun = useRef((event: MessageEvent<string>) => {
    try {
      const record = parseRunNotice(JSON.parse(event.data));
      if (record) push.current([record]);
    } catch {
      // A malformed event is skipped; the next one still counts.
    }
  });
  useSessionEvents(sessionId, hostKey, ["run"], onRun.current);
  return latest;
}
