/**
 * The attendee's hints and solution for the selected task, as the host reveals them, and the
 * "Ask for a hint" button. What was revealed comes from `GET /tasks` (served per attendee); the
 * session doc's `reveals` map only says when to fetch again: on a change to this attendee's key or
 * to everyone's ("*").
 */
import { useEffect, useState } from "preact/hooks";
import type * as Y from "yjs";
import { api, type RevealedTask } from "../api.js";

export interface HintsProps {
  sessionId: string;
  token: string;
  participantId: string;
  taskId: string | null;
  reveals: Y.Map<unknown>;
}

/** A counter that changes whenever something is revealed to `participantId` or to everyone. */
function useRevealSignal(reveals: Y.Map<unknown>, participantId: string): string {
  const read = () => `${String(reveals.get("*") ?? "")}/${String(reveals.get(participantId) ?? "")}`;
  const [signal, setSignal] = useState(read);
  useEffect(() => {
    const onChange = (event: Y.YMapEvent<unknown>) => {
      if (event.keysChanged.has("*") || event.keysChanged.has(participantId)) setSignal(read());
    };
    reveals.observe(onChange);
    setSignal(read());
    return () => reveals.unobserve(onChange);
  }, [reveals, participantId]);
  return signal;
}

export function Hints({ sessionId, token, participantId, taskId, reveals }: HintsProps) {
  const signal = useRevealSignal(reveals, participantId);
  const [tasks, setTasks] = useState<RevealedTask[]>([]);
  const [asked, setAsked] = useState<Record<string, "sending" | "sent" | "failed">>({});
  useEffect(() => {
    let current = true;
    api.tasks(sessionId, token).then(
      ({ tasks }) => current && setTasks(tasks as RevealedTask[]),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [sessionId, token, signal]);

  const task = tasks.find((t) => t.id === taskId);
  if (!taskId || !task) return null;
  const hints = task.revealedHints ?? [];
  const state = asked[taskId];
  const ask = () => {
    setAsked((a) => ({ ...a, [taskId]: "sending" }));
    api.askForHint(sessionId, token, taskId).then(
      () => setAsked((a) => ({ ...a, [taskId]: "sent" })),
      () => setAsked((a) => ({ ...a, [taskId]: "failed" })),
    );
  };
  return (
    <section class="hints" aria-label="Hints">
      {hints.length > 0 && (
        <ol class="hint-list">
          {hints.map((hint, i) => (
            <li key={i} data-hint={i}>
              <strong>Hint {i + 1}:</strong> {hint}
            </li>
          ))}
        </ol>
      )}
      {task.solution !== undefined && (
        <details class="solution" open>
          <summary>Reference solution</summary>
          <pre>
            <code>{task.solution}</code>
          </pre>
        </details>
      )}
      {task.hintCount > hints.length && (
        <button type="button" onClick={ask} disabled={state === "sending" || state === "sent"}>
          {state === "sent" ? "Hint requested" : "Ask for a hint"}
        </button>
      )}
      {state === "failed" && <p role="alert">Could not ask for a hint. Try again.</p>}
    </section>
  );
}
