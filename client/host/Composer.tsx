/** The broadcast composer (markdown + code, with preview) and one-click broadcast of the pack's exposition. */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Snippet } from "../../server/packs/format.js";
import { CodeSnippet, Markdown } from "../common/components.js";

export interface BroadcastDraft {
  markdown: string;
  code?: string;
}

/** A snippet's first heading, or its id. */
export function snippetTitle(snippet: Snippet): string {
  return /^#{1,6}\s+(.+)$/m.exec(snippet.markdown)?.[1]?.trim() ?? snippet.id;
}

/** Text another panel puts into the composer for the host to finish (a new `id` each time). */
export interface ComposerPrefill {
  id: number;
  markdown: string;
}

export function Composer({
  exposition,
  onBroadcast,
  prefill,
}: {
  exposition: Snippet[];
  onBroadcast(draft: BroadcastDraft): void;
  prefill?: ComposerPrefill | null;
}) {
  const [markdown, setMarkdown] = useState("");
  const message = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (!prefill) return;
    setMarkdown(prefill.markdown);
    message.current?.scrollIntoView({ block: "center" });
    message.current?.focus();
  }, [prefill?.id]);
  const [code, setCode] = useState("");
  const send = (event: Event) => {
    event.preventDefault();
    if (!markdown.trim() && !code.trim()) return;
    onBroadcast(code.trim() ? { markdown, code } : { markdown });
    setMarkdown("");
    setCode("");
  };
  return (
    <section class="composer" aria-label="Broadcast">
      <h2>Broadcast to the room</h2>
      <form onSubmit={send}>
        <label>
          Message (markdown, $math$)
          <textarea
            ref={message}
            name="markdown"
            rows={4}
            value={markdown}
            onInput={(e) => setMarkdown(e.currentTarget.value)}
          />
        </label>
        <label>
          Code (optional)
          <textarea
            name="code"
            rows={4}
            class="mono"
            spellcheck={false}
            value={code}
            onInput={(e) => setCode(e.currentTarget.value)}
          />
        </label>
        {(markdown.trim() || code.trim()) && (
          <div class="preview" aria-label="Preview">
            <h3>Preview</h3>
            <Markdown source={markdown} />
            {code.trim() && <CodeSnippet code={code} />}
          </div>
        )}
        <button type="submit" class="primary" disabled={!markdown.trim() && !code.trim()}>
          Broadcast
        </button>
      </form>
      {exposition.length > 0 && (
        <>
          <h3>From the pack</h3>
          <ul class="exposition">
            {exposition.map((s) => (
              <li key={s.id}>
                <span>{snippetTitle(s)}</span>
                <button
                  type="button"
                  onClick={() => onBroadcast({ markdown: s.markdown })}
                  aria-label={`Broadcast ${snippetTitle(s)}`}
                >
                  Broadcast
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
