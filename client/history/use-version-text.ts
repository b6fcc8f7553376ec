/** The text of one kept version, fetched through a timeline's source when the selection moves. */
import { useEffect, useState } from "preact/hooks";
import { problemText } from "./format.js";
import type { HistorySource } from "./source.js";

/** The text of version `id` (null: none wanted), fetched through `source`. */
export function useVersionText(
  source: HistorySource,
  id: number | null,
): { text: string | null; problem: string | null } {
  const [value, setValue] = useState<{ id: number | null; text: string | null; problem: string | null }>({
    id: null,
    text: null,
    problem: null,
  });
  useEffect(() => {
    if (id === null) return;
    let live = true;
    source.text(id).then(
      (v) => live && setValue({ id, text: v.text, problem: null }),
      (error: unknown) => live && setValue({ id, text: null, problem: problemText(error) }),
    );
    return () => {
      live = false;
    };
  }, [source, id]);
  // A text fetched for another version is not this one's.
  return value.id === id ? value : { text: null, problem: null };
}
