/**
 * The host's Present panel: a presenter editor bound to the session doc's `present.code`; "Start
 * presenting" makes every attendee's room show it, read-only, following the host's scroll (the
 * first and last visible lines, written at most 10 times a second) and cursor (the host's
 * session-doc awareness), until "Release", at the font size the host picks for the attendees'
 * full-window view (a projector). Lists who follows and who stepped out.
 */
import { useEffect, useMemo, useRef } from "preact/hooks";
import * as Y from "yjs";
import type { PublicTask } from "../api.js";
import { PRESENT_FONT_SIZES, summarisePresenting } from "../common/presentation.js";
import { readRoster, sessionDoc } from "../../contract/session-doc.js";
import type { DocConnection } from "../common/sync.js";
import { usePresentSwitch } from "../common/use-present.js";
import { useAwarenessStates, useY } from "../common/use-yjs.js";
import type { EditorView } from "@codemirror/view";
import { collaboration } from "../editor/collaboration.js";
import { completions } from "../editor/completions.js";
import { createEditor } from "../editor/setup.js";
import { scratchCompletions } from "../run/completions.js";
import "../common/present.css";

/** Scroll position updates are written at most this often (10 per second). */
export const SCROLL_WRITE_MS = 100;

/** The first and last lines visible in an editor's scroller. */
function visibleLines(view: EditorView): { topLine: number; bottomLine: number } {
  const rect = view.scrollDOM.getBoundingClientRect();
  const top = view.lineBlockAtHeight(rect.top - view.documentTop + 1);
  const bottom = view.lineBlockAtHeight(rect.bottom - view.documentTop - 1);
  const doc = view.state.doc;
  return {
    topLine: doc.lineAt(Math.min(top.from, doc.length)).number,
    bottomLine: doc.lineAt(Math.min(bottom.from, doc.length)).number,
  };
}

export function PresentPanel({
  connection,
  tasks,
  taskId,
}: {
  connection: DocConnection;
  tasks: PublicTask[];
  /** The room's current task, shown to attendees with the presentation. */
  taskId: string | null;
}) {
  const present = sessionDoc.present(connection.doc);
  const { active, code, fontSize } = usePresentSwitch(present);
  // The presenter's text lives in the session doc; the first dashboard to sync creates it.
  useEffect(() => {
    let cancelled = false;
    void connection.synced.then(() => {
      if (!cancelled && !(present.get("code") instanceof Y.Text)) present.set("code", new Y.Text());
    });
    return () => {
      cancelled = true;
    };
  }, [connection, present]);

  const editor = useRef<EditorView | null>(null);
  const host = useRef<HTMLDivElement>(null);
  const activeRef = useRef(active);
  activeRef.current = active;
  const writeScroll = useRef<() => void>(() => undefined);
  useEffect(() => {
    if (!code || !host.current) return;
    const view = createEditor(host.current, {
      doc: code.toString(),
      label: "Presenter's code",
      extensions: [collaboration(code, connection.provider.awareness), completions(scratchCompletions)],
    });
    editor.current = view;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last = 0;
    const write = () => {
      timer = null;
      last = Date.now();
      if (!activeRef.current) return;
      const { topLine, bottomLine } = visibleLines(view);
      if (present.get("topLine") === topLine && present.get("bottomLine") === bottomLine) return;
      connection.doc.transact(() => {
        present.set("topLine", topLine);
        present.set("bottomLine", bottomLine);
      });
    };
    // Throttled, trailing: the last position is always written, at most every SCROLL_WRITE_MS.
    const schedule = () => {
      if (timer) return;
      timer = setTimeout(write, Math.max(0, SCROLL_WRITE_MS - (Date.now() - last)));
    };
    writeScroll.current = schedule;
    view.scrollDOM.addEventListener("scroll", schedule, { passive: true });
    code.observe(schedule);
    return () => {
      if (timer) clearTimeout(timer);
      view.scrollDOM.removeEventListener("scroll", schedule);
      code.unobserve(schedule);
      writeScroll.current = () => undefined;
      view.destroy();
      editor.current = null;
    };
  }, [code, connection, present]);

  const start = () => {
    const view = editor.current;
    connection.doc.transact(() => {
      present.set("active", true);
      present.set("taskId", taskId);
      // The host's own code, not a shown workspace (host/ShowWorkspace.tsx).
      present.delete("shown");
      if (view) {
        const { topLine, bottomLine } = visibleLines(view);
        present.set("topLine", topLine);
        present.set("bottomLine", bottomLine);
      }
    });
  };
  const release = () => present.set("active", false);
  const task = tasks.find((t) => t.id === taskId);
  const loadStarter = () => {
    if (!code || !task) return;
    connection.doc.transact(() => {
      code.delete(0, code.length);
      code.insert(0, task.starter);
    });
    writeScroll.current();
  };

  const states = useAwarenessStates(connection.provider.awareness, 250);
  const roster = useY(sessionDoc.roster(connection.doc), readRoster, new Map());
  const summary = useMemo(() => summarisePresenting(states, roster), [states, roster]);

  return (
    <section class="present-panel" aria-label="Present">
      <h2>Present</h2>
      <div class="present-actions">
        {active ? (
          <button type="button" class="danger" onClick={release}>
            Release
          </button>
        ) : (
          <button type="button" class="primary" onClick={start} disabled={!code}>
            Start presenting
          </button>
        )}
        {task && (
          <button type="button" onClick={loadStarter} disabled={!code}>
            Load starter of {task.title}
          </button>
        )}
        <label>
          Font size{" "}
          <select value={fontSize} onChange={(e) => present.set("fontSize", Number(e.currentTarget.value))}>
            {PRESENT_FONT_SIZES.map((size) => (
              <option key={size} value={size}>
                {size} px
              </option>
            ))}
          </select>
        </label>
      </div>
      {active && (
        <p class="present-summary" role="status" aria-live="polite">
          {summary.following} following
          {summary.steppedOut.length > 0 && <>, stepped out: {summary.steppedOut.join(", ")}</>}
        </p>
      )}
      <div class="editor present-host-editor" ref={host}>
        {!code && <p class="muted">Loading…</p>}
      </div>
    </section>
  );
}
