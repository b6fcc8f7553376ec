/**
 * The dashboard's verification state: stored results from `GET /progress`, live `verify` and
 * `verify-queue` server-sent events, and the host's own requests (one workspace, or "verify all").
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { SessionEvent } from "../../contract/events.js";
import { api } from "../api.js";
import { loadProgress, useSessionEvents } from "./session-events.js";
import {
  clearPending,
  emptyVerifyState,
  markPending,
  recordVerification,
  summaryOfVerification,
  verificationsOfProgress,
  verifyKey,
  type QueueState,
  type VerifyState,
} from "./verify-state.js";

export interface Verifications {
  state: VerifyState;
  queue: QueueState;
  /** The last refusal (e.g. the queue is full), for the host to read. */
  problem: string | null;
  verifyOne(workspaceId: string, taskId: string): void;
  verifyAll(workspaceIds: string[], taskId: string): void;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function useVerifications(sessionId: string, hostKey: string): Verifications {
  const [state, setState] = useState<VerifyState>(emptyVerifyState);
  const [queue, setQueue] = useState<QueueState>({ queued: 0, running: 0 });
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    loadProgress(sessionId, hostKey).then(
      (progress) => {
        if (!live) return;
        const stored = verificationsOfProgress(progress);
        setState((s) => stored.reduce((acc, v) => recordVerification(acc, v, false), s));
        setQueue(progress.verifyQueue);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [sessionId, hostKey]);
  const onEvent = useRef((event: SessionEvent) => {
    if (event.type === "verify-queue") setQueue(event.data);
    else if (event.type === "verify")
      setState((s) => recordVerification(s, summaryOfVerification(event.data), true));
  });
  useSessionEvents(sessionId, hostKey, ["verify", "verify-queue"], onEvent.current);

  const verifyOne = useCallback(
    (workspaceId: string, taskId: string) => {
      const key = verifyKey(workspaceId, taskId);
      setProblem(null);
      setState((s) => markPending(s, [key], Date.now()));
      api.verify(sessionId, hostKey, { workspaceId, taskId }).then(
        (answer) => {
          if ("result" in answer) setState((s) => recordVerification(s, summaryOfVerification(answer), true));
        },
        (error: unknown) => {
          setProblem(message(error));
          setState((s) => clearPending(s, [key]));
        },
      );
    },
    [sessionId, hostKey],
  );
  const verifyAll = useCallback(
    (workspaceIds: string[], taskId: string) => {
      const keys = workspaceIds.map((w) => verifyKey(w, taskId));
      setProblem(null);
      setState((s) => markPending(s, keys, Date.now()));
      api.verify(sessionId, hostKey, { taskId }).then(
        (answer) => {
          if ("verifyQueue" in answer) setQueue(answer.verifyQueue);
        },
        (error: unknown) => {
          setProblem(message(error));
          setState((s) => clearPending(s, keys));
        },
      );
    },
    [sessionId, hostKey],
  );
  return { state, queue, problem, verifyOne, verifyAll };
}
