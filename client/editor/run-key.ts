/**
 * Run on Ctrl/Cmd+Enter, before any other binding of the key.
 */
import { Prec, type Extension } from "@codemirror/state";
import { keymap } from "@codemirror/view";

export function runKey(run: () => void): Extension {
  return Prec.highest(
    keymap.of([
      {
        key: "Mod-Enter",
        run: () => {
          run();
          return true;
        },
      },
    ]),
  );
}
