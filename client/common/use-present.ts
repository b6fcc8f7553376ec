/** The session doc's present map as a Preact hook (see presentation.ts). */
import { useEffect, useState } from "preact/hooks";
import type * as Y from "yjs";
import { readPresent, type PresentState } from "./presentation.js";

export type PresentSwitch = Pick<PresentState, "active" | "code" | "taskId" | "fontSize" | "shown">;

/**
 * Whether the host presents, with which text, task, font size and shown workspace; re-renders only when one of those changes,
 * not on every keystroke or scroll of the presenter (readers of `topLine` observe the map themselves).
 */
export function usePresentSwitch(present: Y.Map<unknown>): PresentSwitch {
  const read = (): PresentSwitch => {
    const { active, code, taskId, fontSize, shown } = readPresent(present);
    return { active, code, taskId, fontSize, shown };
  };
  const [value, setValue] = useState(read);
  useEffect(() => {
    const update = () =>
      setValue((old) => {
        const next = read();
        const same = (Object.keys(next) as (keyof PresentSwitch)[]).every((k) => old[k] === next[k]);
        return same ? old : next;
      });
    update();
    present.observe(update);
    return () => present.unobserve(update);
  }, [present]);
  return value;
}
