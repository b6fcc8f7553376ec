/**
 * The host's presentation in an attendee's room: while following, the host's presenter editor
 * across the whole window (a projector can show a room), read-only, at the font size the host
 * picked, with the host's cursor, scrolled wherever the host scrolls, under a banner to step out
 * (Esc) that says whose code it is (the host's, or the attendee's workspace the host shows); after
 * stepping out, a bar to rejoin (Alt+P). Nothing shows when the host is not presenting. The
 * attendee's room is left mounted and untouched underneath (Room hides it meanwhile).
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
  const { active, following, code, present, fontSize, shown } = presentation;
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
  const about = task ? ` (${task.title})` : "";
  if (!following)
    return (
      <p class="banner present-banner stepped-out" role="status">
        {shown ? `The host is showing ${shown}'s code${about}.` : `The host is presenting${about}.`}{" "}
        <button type="button" onClick={presentation.rejoin} aria-keyshortcuts="Alt+P">
          Rejoin presentation <kbd>Alt+P</kbd>
        </button>
      </p>
    );
  return (
    <section
      class="present-follower"
      aria-label="The host's presentation"
      style={{ "--present-font-size": `${fontSize}px` }}
      data-font-size={fontSize}
    >
      <p class="banner present-banner" role="status">
        {shown ? `${shown}'s code, shown by the host${about}` : `Following the host${about}`} —{" "}
        <button type="button" onClick={presentation.stepOut} aria-keyshortcuts="Escape">
          Step out <kbd>Esc</kbd>
        </button>
      </p>
      <div class="editor present-editor" ref={host} />
    </section>
  );
}
