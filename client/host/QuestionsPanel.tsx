/**
 * The host's question queue: attendees' open questions, oldest first. Each is answered with a
 * broadcast to everyone (the question quoted, the answer below) or simply marked done. The queue
 * follows the session's `question` and `question-done` server-sent events.
 */
import { useCallback, useEffect, useState } from "preact/hooks";
import { useSessionEvents } from "./session-events.js";
import { api, type QuestionView } from "../api.js";
import type { BroadcastDraft } from "./Composer.js";
import { useHostSession } from "./host-session.js";

/**
 * The question as a markdown quote whose text stays text: every ASCII punctuation character is
 * backslash-escaped (CommonMark allows it for all of them), so no link, autolink, image, HTML or
 * emphasis can form.
 */
export function quoteQuestion(name: string, text: string): string {
  const escape = (s: string) => s.replace(/[!-/:-@[-`{-~]/g, "\\$&");
  return [`**${escape(name)} asked:**`, ...text.split("\n").map((line) => `> ${escape(line)}`)].join("\n");
}

export interface QuestionsPanelProps {
  onBroadcast(draft: BroadcastDraft): void;
}

export function QuestionsPanel({ onBroadcast }: QuestionsPanelProps) {
  const { sessionId, hostKey } = useHostSession();
  const [questions, setQuestions] = useState<QuestionView[]>([]);
  const [answers, setAnswers] = useState<Record<number, string>>({});
  const refresh = useCallback(
    () =>
      void api.questions(sessionId, hostKey).then(
        ({ questions }) => setQuestions(questions),
        () => undefined,
      ),
    [sessionId, hostKey],
  );
  useEffect(refresh, [refresh]);
  useSessionEvents(sessionId, hostKey, ["question", "question-done"], refresh);

  const done = (id: number) =>
    api.questionDone(sessionId, hostKey, id).then(
      () => setQuestions((qs) => qs.map((q) => (q.id === id ? { ...q, doneAt: Date.now() } : q))),
      () => undefined,
    );
  const answer = (q: QuestionView) => {
    const text = (answers[q.id] ?? "").trim();
    if (!text) return;
    onBroadcast({ markdown: `${quoteQuestion(q.name, q.text)}\n\n${text}` });
    void done(q.id);
  };
  const open = questions.filter((q) => q.doneAt === null);
  return (
    <section class="questions-panel" aria-label="Questions">
      <h2>Questions ({open.length})</h2>
      {open.length === 0 && <p class="muted">No open questions.</p>}
      <ol class="question-queue">
        {open.map((q) => (
          <li key={q.id} data-question={q.id}>
            <p>
              <strong class="name">{q.name}</strong>: <span class="question-text">{q.text}</span>
            </p>
            <textarea
              aria-label={`Answer to ${q.name}`}
              rows={2}
              value={answers[q.id] ?? ""}
              onInput={(e) => setAnswers((a) => ({ ...a, [q.id]: (e.target as HTMLTextAreaElement).value }))}
            />
            <button type="button" onClick={() => answer(q)} disabled={!(answers[q.id] ?? "").trim()}>
              Broadcast answer
            </button>
            <button type="button" onClick={() => void done(q.id)}>
              Mark done
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
