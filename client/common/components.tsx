/**
 * Small pieces both the room and the dashboard use: rendered markdown with highlighted code blocks,
 * the connection badge, the countdown timer, and a task picker's options.
 */
import "katex/dist/katex.min.css";
import { useEffect, useMemo, useState } from "preact/hooks";
import { highlightJs, markdownBlocks } from "./markdown.js";
import type { ConnectionState } from "./sync.js";
import { formatCountdown } from "./countdown.js";

export function HighlightedCode({ code }: { code: string }) {
  const lines = useMemo(() => highlightJs(code), [code]);
  return (
    <pre class="code-block">
      <code>
        {lines.map((spans, i) => (
          <span class="code-line" key={i}>
            {spans.map((s, j) =>
              s.classes ? (
                <span class={s.classes} key={j}>
                  {s.text}
                </span>
              ) : (
                s.text
              ),
            )}
            {"\n"}
          </span>
        ))}
      </code>
    </pre>
  );
}

export interface CodeAction {
  label: string;
  run(code: string): void;
  disabled?: boolean;
}

export function CodeSnippet({ code, action }: { code: string; action?: CodeAction | undefined }) {
  return (
    <div class="snippet">
      <HighlightedCode code={code} />
      {action && (
        <button
          type="button"
          class="snippet-action"
          disabled={action.disabled}
          onClick={() => action.run(code)}
        >
          {action.label}
        </button>
      )}
    </div>
  );
}

/** Markdown rendered as sanitised HTML, with each fenced code block as a {@link CodeSnippet}. */
export function Markdown({ source, codeAction }: { source: string; codeAction?: CodeAction | undefined }) {
  const blocks = useMemo(() => markdownBlocks(source), [source]);
  return (
    <div class="markdown">
      {blocks.map((block, i) =>
        block.kind === "html" ? (
          <div key={i} dangerouslySetInnerHTML={{ __html: block.html }} />
        ) : (
          <CodeSnippet key={i} code={block.code} action={codeAction} />
        ),
      )}
    </div>
  );
}

const CONNECTION_TEXT: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  connected: "Connected",
  reconnecting: "Reconnecting… your edits are kept",
  offline: "Offline: your edits are kept and merged when you are back",
  refused: "Disconnected: the server refused this seat",
};

export function ConnectionBadge({ state }: { state: ConnectionState }) {
  return (
    <span class={`connection connection-${state}`} role="status" aria-live="polite" data-state={state}>
      <span class="connection-dot" aria-hidden="true" />
      {CONNECTION_TEXT[state]}
    </span>
  );
}

export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function Countdown({ endsAt }: { endsAt: number | null }) {
  const now = useNow(500);
  if (endsAt === null) return null;
  const over = endsAt <= now;
  return (
    <span class={`countdown${over ? " countdown-over" : ""}`} role="timer" aria-label="Time left">
      {over ? "Time's up" : formatCountdown(endsAt, now)}
    </span>
  );
}

/** One `<option>` per task (its id as the value, its title as the text), for a task picker. */
export function TaskOptions({ tasks }: { tasks: readonly { id: string; title: string }[] }) {
  return (
    <>
      {tasks.map((t) => (
        <option key={t.id} value={t.id}>
          {t.title}
        </option>
      ))}
    </>
  );
}
