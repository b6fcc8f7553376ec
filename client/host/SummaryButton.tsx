/**
 * The dashboard's "Session summary": opens the summary page (which uses this browser's host key)
 * and makes a read-only share link, with names shown or anonymised.
 */
import { useState } from "preact/hooks";
import { api } from "../api.js";
import { useHostSession } from "./host-session.js";

export function SummaryButton() {
  const { sessionId, hostKey } = useHostSession();
  const [open, setOpen] = useState(false);
  const [names, setNames] = useState(true);
  const [link, setLink] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const share = () => {
    setProblem(null);
    api.summaryLink(sessionId, hostKey, { names }).then(
      (created) => setLink(created.url),
      (error: unknown) => setProblem(error instanceof Error ? error.message : String(error)),
    );
  };
  return (
    <div class="summary-menu">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        Session summary
      </button>
      {open && (
        <section class="summary-popover" aria-label="Session summary">
          <p>
            <a href={`/summary/${encodeURIComponent(sessionId)}`} target="_blank" rel="noopener">
              Open the summary
            </a>
          </p>
          <label class="inline">
            <input type="checkbox" checked={names} onChange={(e) => setNames(e.currentTarget.checked)} />
            Show names (otherwise “Participant 1…”)
          </label>
          <button type="button" onClick={share}>
            Create share link
          </button>
          {link && (
            <label>
              Share link (read-only, valid 30 days)
              <input type="text" readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
            </label>
          )}
          {problem && <p role="alert">{problem}</p>}
        </section>
      )}
    </div>
  );
}
