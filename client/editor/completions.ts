/**
 * Completions for JavaScript from a source (the `scratch` API, a pack's given modules).
 */
import type { CompletionSource } from "@codemirror/autocomplete";
import { javascriptLanguage } from "@codemirror/lang-javascript";
import type { Extension } from "@codemirror/state";

export const completions = (source: CompletionSource): Extension =>
  javascriptLanguage.data.of({ autocomplete: source });
