/** "Ask the host": an attendee posts a question, which lands in the host's question queue. */
import { useState } from "preact/hooks";
import { api } from "../api.js";

export function AskQuestion({ sessionId, token }: { sessionId: string; token: string }) {
  const [text, setText] = useState("");
  const [status, setStatus] = useState<"idle" | "sending" | "sent" | "failed">("idle");
  const send = (event: Event) => {
    event.preventDefault();
    if (!text.trim()) return;
    setStatus("sending");
    api.ask(sessionId, token, text).then(
      () => {
        setText("");
        setStatus("sent");
      },
      () => setStatus("failed"),
    );
  };
  return (
    <form class="ask-question" aria-label="Question for the host" onSubmit={send}>
      <label>
        Ask the host
        <textarea
          value={text}
          maxLength={2000}
          rows={2}
          onInput={(e) => {
            setText((e.target as HTMLTextAreaElement).value);
            setStatus("idle");
          }}
        />
      </label>
      <button type="submit" disabled={status === "sending" || !text.trim()}>
        Send question
      </button>
      {status === "sent" && <p role="status">Question sent.</p>}
      {status === "failed" && <p role="alert">Could not send the question. Try again.</p>}
    </form>
  );
}
