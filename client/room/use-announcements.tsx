/**
 * The room's screen-reader announcements: a polite live log (`#announcer`, visually hidden) that
 * says each run's result, each new broadcast and each stage change the host makes, and the run's
 * result also through CodeMirror's `EditorView.announce`, heard while the focus is in the editor.
 * Nothing is said for what was already there when the room opened.
 */
import { EditorView } from "@codemirror/view";
import type { RefObject } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { Broadcast, Stage } from "../../contract/session-doc.js";
import { markdownBlocks } from "../common/markdown.js";
import type { RunOutcome } from "../run/report.js";
import { broadcastAnnouncement, runAnnouncement, stageAnnouncement } from "./announcements.js";

/** Messages kept in the log (screen readers read each as it is added). */
const KEPT = 5;

/** A broadcast's words: its markdown rendered (and sanitised), then read as text. */
function broadcastText(markdown: string): string {
  const html = markdownBlocks(markdown)
    .map((b) => (b.kind === "html" ? b.html : ""))
    .join(" ");
  return new DOMParser().parseFromString(html, "text/html").body.textContent ?? "";
}

export function useAnnouncements({
  synced,
  stage,
  broadcasts,
  outcome,
  editor,
}: {
  /** Resolves once the session doc has synced: what it holds then is not news. */
  synced: Promise<void>;
  stage: Stage;
  broadcasts: Broadcast[];
  outcome: RunOutcome | null;
  editor: RefObject<EditorView | null>;
}): string[] {
  const [messages, setMessages] = useState<string[]>([]);
  const say = useCallback((text: string) => setMessages((m) => [...m.slice(1 - KEPT), text]), []);

  const [ready, setReady] = useState(false);
  useEffect(() => void synced.then(() => setReady(true)), [synced]);
  const seen = useRef<{ stage: Stage; broadcasts: Set<string> } | null>(null);
  useEffect(() => {
    if (!ready) return;
    if (!seen.current) {
      seen.current = { stage, broadcasts: new Set(broadcasts.map((b) => b.id)) };
      return;
    }
    if (stage !== seen.current.stage) {
      seen.current.stage = stage;
      say(stageAnnouncement(stage));
    }
    for (const b of broadcasts) {
      if (seen.current.broadcasts.has(b.id)) continue;
      seen.current.broadcasts.add(b.id);
      say(broadcastAnnouncement(broadcastText(b.markdown), b.code !== undefined && b.code !== ""));
    }
  }, [ready, stage, broadcasts, say]);

  // A run's result, once, when it finishes.
  const wasRunning = useRef(false);
  useEffect(() => {
    if (!outcome) return;
    if (outcome.running) {
      wasRunning.current = true;
      return;
    }
    if (!wasRunning.current) return;
    wasRunning.current = false;
    const text = runAnnouncement(outcome);
    say(text);
    editor.current?.dispatch({ effects: EditorView.announce.of(text) });
  }, [outcome, editor, say]);

  return messages;
}

/** The visually hidden live log the announcements go to. */
export function Announcer({ messages }: { messages: string[] }) {
  return (
    <div id="announcer" class="sr-only" role="log" aria-live="polite" aria-label="Announcements">
      {messages.map((m, i) => (
        <p key={`${i}:${m}`}>{m}</p>
      ))}
    </div>
  );
}
