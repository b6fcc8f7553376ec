/** The session doc's present map as a Preact hook (see presentation.ts). */
import { useEffect, useState } from "preact/hooks";
import type * as Y from "yjs";
import { readPresent, type PresentState } from "./presentation.js";

export type PresentSwitch = Pick<PresentState, "active" | "code" | "taskId">;

/**
 * Whether the host presents, with which text and task; re-renders only when one of those changes,
 * not on every keystroke or scroll of the presenter (readers of `topLine` observe the map themselves).
 */
export function usePresentSwitch(present: Y.Map<unknown>): PresentSwitch {
  const read = (): PresentSwitch => {
    const { active, code, taskId } = readPresent(present);
    return { active, code, taskId };
  };
  const [value, setValue] = useState(read);
  useEffect(() => {
    const update = () =>
      setValue((old) => {
        const next = read();
        return old.active === next.active && old.code === next.code && old.taskId === next.taskId
          ? old
          : next;
      });
    update();
    present.observe(update);
    return () => present.unobserve(update);
  }, [present]);
  return value;
}
