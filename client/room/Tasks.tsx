/**
 * The task list (the host's current task highlighted) and the selected task's instructions under
 * its title (once: a leading H1 repeating it is dropped, room/instructions.ts).
 */
import { Markdown } from "../common/components.js";
import type { PublicTask } from "../api.js";
import { GivenModules } from "./GivenModules.js";
import { withoutTitleHeading } from "./instructions.js";

export interface TasksProps {
  tasks: PublicTask[];
  currentTaskId: string | null;
  selectedTaskId: string | null;
  onSelect(taskId: string): void;
}

export function Tasks({ tasks, currentTaskId, selectedTaskId, onSelect }: TasksProps) {
  const selected = tasks.find((t) => t.id === selectedTaskId);
  return (
    <section class="tasks" aria-label="Tasks">
      <h2>Tasks</h2>
      <ol class="task-list">
        {tasks.map((t) => (
          <li key={t.id} class={t.id === currentTaskId ? "task-current" : ""}>
            <button
              type="button"
              aria-pressed={t.id === selectedTaskId}
              aria-current={t.id === currentTaskId ? "step" : undefined}
              onClick={() => onSelect(t.id)}
            >
              {t.title}
              {t.id === currentTaskId && <span class="badge">now</span>}
            </button>
          </li>
        ))}
      </ol>
      {selected && (
        <article class="instructions" aria-label={`Instructions: ${selected.title}`}>
          <h3>{selected.title}</h3>
          <Markdown source={withoutTitleHeading(selected.instructions, selected.title)} />
          <GivenModules modules={selected.packModules} />
        </article>
      )}
    </section>
  );
}
