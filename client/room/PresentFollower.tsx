/**
 * The host's presentation in an attendee's room: while following, the host's presenter editor,
 * read-only, with the host's cursor, scrolled wherever the host scrolls, under a banner to step
 * out (Esc); after stepping out, a bar to rejoin (Alt+P). Nothing shows when the host is not
 * presenting. The attendee's own editor is left untouched underneath (Room hides it meanwhile).
 */
import { EditorView } from "@codemirror/view";
import { useEffect, useRef } from "preact/hooks";
import type { Awareness } from "y-protocols/awareness";
import type { PublicTask } from "../api.js";
import { followerScrollTarget, readPresent } from "../common/presentation.js";
import { watchOnly } from "../common/watch-awareness.js";
import { collaboration } from "../editor/collaboration.js";
import { readOnly } from "../editor/read-only.js";
import { createEditor } from "../editor/setup.js";
import type { Presentation } from "./use-presentation.js";
import "../common/present.css";

export function PresentFollower({
  presentation,
  awareness,
  tasks,
}: {
  presentation: Presentation;
  awareness: Awareness;
  tasks: PublicTask[];
}) {
  const { active, following, code, present } = presentation;
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!following || !code || !host.current) return;
    const view = createEditor(host.current, {
      doc: code.toString(),
      label: "The host's code, read-only",
      extensions: [collaboration(code, watchOnly(awareness)), readOnly(true)],
    });
    let frame = 0;
    // Follow the host's scroll: on every change of topLine/bottomLine, and as the text grows.
    const follow = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        const target = followerScrollTarget(readPresent(present), view.state.doc.lines);
        const line = view.state.doc.line(target.line);
        view.dispatch({
          effects: EditorView.scrollIntoView(target.y === "end" ? line.to : line.from, { y: target.y }),
        });
      });
    };
    follow();
    present.observe(follow);
    code.observe(follow);
    return () => {
      cancelAnimationFrame(frame);
      present.unobserve(follow);
      code.unobserve(follow);
      view.destroy();
    };
  }, [following, code, present, awareness]);

  if (!active) return null;
  const task = tasks.find((t) => t.id === presentation.taskId);
  if (!following)
    return (
      <p class="banner present-banner stepped-out" role="status">
        The host is presenting{task ? ` (${task.title})` : ""}.{" "}
        <button type="button" onClick={presentation.rejoin} aria-keyshortcuts="Alt+P">
          Rejoin presentation <kbd>Alt+P</kbd>
        </button>
      </p>
    );
  return (
    <section class="present-follower" aria-label="The host's presentation">
      <p class="banner present-banner" role="status">
        Following the host{task ? ` (${task.title})` : ""} —{" "}
        <button type="button" onClick={presentation.stepOut} aria-keyshortcuts="Escape">
          Step out <kbd>Esc</kbd>
        </button>
      </p>
      <div class="editor present-editor" ref={host} />
    </section>
  );
}
