/**
 * Checks the KaTeX math of a pack's markdown (`$…$` inline, `$$…$$` display) so a typo in an
 * equation is caught by the loader with its line, not by an attendee staring at red text.
 */
import { createRequire } from "node:module";
import type KaTeX from "katex";
import { lineAt } from "./json-lines.js";

let katex: typeof KaTeX | null = null;

/**
 * KaTeX, loaded on first use: only validating packs renders math (a child process at startup,
 * packs/load-isolated.ts, and uploads), and loading it costs a process about 6 MB of RSS.
 */
function loadKatex(): typeof KaTeX {
  return (katex ??= createRequire(import.meta.url)("katex") as typeof KaTeX);
}

export interface MathProblem {
  line: number;
  message: string;
}

/** Blanks out code (fenced blocks and inline spans) keeping offsets, so `$` in code is not math. */
function withoutCode(markdown: string): string {
  const blank = (s: string) => s.replace(/[^\n]/g, " ");
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, blank).replace(/`[^`\n]*`/g, blank);
}

function render(tex: string, displayMode: boolean): string | null {
  try {
    loadKatex().renderToString(tex, { displayMode, throwOnError: true, strict: "ignore" });
    return null;
  } catch (err) {
    const reason = (err as Error).message
      .replace(/^KaTeX parse error: /, "")
      .replace(/ at position \d+:[\s\S]*$/, "")
      .replace(/:\s*[\s\S]*$/, "")
      .trim();
    const shown = tex.trim().replace(/\s+/g, " ");
    return `cannot render "${shown.length > 40 ? shown.slice(0, 40) + "…" : shown}": ${reason}`;
  }
}

/** Every math span of `markdown` that KaTeX cannot render, with its line. */
export function mathProblems(markdown: string): MathProblem[] {
  const text = withoutCode(markdown).replace(/\\\$/g, "  ");
  const problems: MathProblem[] = [];
  const inlineText = text.replace(/\$\$([\s\S]+?)\$\$/g, (whole, tex: string, offset: number) => {
    const message = render(tex, true);
    if (message) problems.push({ line: lineAt(text, offset), message });
    return whole.replace(/[^\n]/g, " ");
  });
  for (const match of inlineText.matchAll(/\$([^$\n]+?)\$/g)) {
    const message = render(match[1] ?? "", false);
    if (message) problems.push({ line: lineAt(text, match.index), message });
  }
  return problems.sort((a, b) => a.line - b.line);
}
