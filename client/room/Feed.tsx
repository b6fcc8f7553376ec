/** The exposition feed: the host's broadcasts, newest at the bottom, each code block insertable. */
import { useEffect, useRef } from "preact/hooks";
import { CodeSnippet, Markdown, type CodeAction } from "../common/components.js";
import type { Broadcast } from "../../contract/session-doc.js";

export function Feed({ broadcasts, codeAction }: { broadcasts: Broadcast[]; codeAction: CodeAction }) {
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => end.current?.scrollIntoView({ block: "end" }), [broadcasts.length]);
  return (
    <section class="feed" aria-label="From the host">
      <h2>From the host</h2>
      {broadcasts.length === 0 && <p class="muted">Nothing yet. The host's notes and code appear here.</p>}
      <ol class="broadcasts">
        {broadcasts.map((b) => (
          <li key={b.id} class="broadcast">
            <Markdown source={b.markdown} codeAction={codeAction} />
            {b.code && <CodeSnippet code={b.code} action={codeAction} />}
          </li>
        ))}
      </ol>
      <div ref={end} />
    </section>
  );
}
