/**
 * "Restore this version" in an attendee's own history: the server makes the version's text the
 * file's text again as a new edit (history is never rewritten), and the button says how it went.
 */
import { useEffect, useState } from "preact/hooks";
import type { HistoryVersion } from "../../contract/history.js";
import { problemText, timeOfDay } from "./format.js";

/** "Restore this version" with its outcome (restored, or why not). */
export function RestoreButton({
  version,
  unchanged,
  onRestore,
}: {
  version: HistoryVersion;
  unchanged: boolean;
  onRestore: (version: HistoryVersion) => Promise<void>;
}) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => setOutcome(null), [version.id]);
  const restore = () => {
    setBusy(true);
    const when = timeOfDay(version.at);
    onRestore(version)
      .then(
        () => setOutcome({ ok: true, text: `Restored the version of ${when}: it is your code now.` }),
        (error: unknown) => setOutcome({ ok: false, text: `Not restored: ${problemText(error)}` }),
      )
      .finally(() => setBusy(false));
  };
  return (
    <div class="timeline-restore">
      <button type="button" class="primary" disabled={busy || unchanged} onClick={restore}>
        Restore this version
      </button>
      {unchanged && !outcome && <span class="muted">This version is your current code.</span>}
      {outcome && (
        <span role={outcome.ok ? "status" : "alert"} class={outcome.ok ? "muted" : "timeline-error"}>
          {outcome.text}
        </span>
      )}
    </div>
  );
}
