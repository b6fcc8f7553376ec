/**
 * Markdown as the room shows it: marked for the structure, KaTeX for `$…$` and `$$…$$` math,
 * DOMPurify over every HTML string that reaches the page (broadcasts, exposition and instructions
 * are host- or pack-written, but never trusted). Code blocks are not HTML at all: they come out as
 * {@link MarkdownBlock}s the view renders with highlighted text spans and an "insert" action.
 */
import DOMPurify from "dompurify";
import katex from "katex";
import { Marked, type MarkedExtension, type Token, type Tokens } from "marked";
import { highlightCode, classHighlighter } from "@lezer/highlight";
import { parser as jsParser } from "@lezer/javascript";

export type MarkdownBlock = { kind: "html"; html: string } | { kind: "code"; code: string; lang: string };

interface MathToken {
  type: "mathBlock" | "mathInline";
  raw: string;
  text: string;
}

function renderMath(tex: string, displayMode: boolean): string {
  return katex.renderToString(tex, {
    displayMode,
    throwOnError: false,
    output: "htmlAndMathml",
    trust: false,
  });
}

const mathExtension: MarkedExtension = {
  extensions: [
    {
      name: "mathBlock",
      level: "block",
      start: (src: string) => src.indexOf("$$"),
      tokenizer(src: string): MathToken | undefined {
        const match = /^\$\$([\s\S]+?)\$\$[ \t]*(?:\n|$)/.exec(src);
        return match ? { type: "mathBlock", raw: match[0], text: match[1]!.trim() } : undefined;
      },
      renderer: (token) => `<div class="math-display">${renderMath(String(token.text), true)}</div>\n`,
    },
    {
      name: "mathInline",
      level: "inline",
      start: (src: string) => src.indexOf("$"),
      tokenizer(src: string): MathToken | undefined {
        const match = /^\$\$([^$]+?)\$\$/.exec(src) ?? /^\$(?!\s)([^$\n]+?)(?<!\s)\$(?!\d)/.exec(src);
        return match ? { type: "mathInline", raw: match[0], text: match[1]!.trim() } : undefined;
      },
      renderer: (token) => renderMath(String(token.text), token.raw.startsWith("$$")),
    },
  ],
};

const markdown = new Marked({ gfm: true, breaks: false, async: false }, mathExtension);

/** Markdown to unsanitised HTML and code blocks, in document order. */
export function markdownBlocksUnsafe(source: string): MarkdownBlock[] {
  const tokens = markdown.lexer(source);
  const blocks: MarkdownBlock[] = [];
  let pending: Token[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const list = Object.assign(pending, { links: tokens.links });
    blocks.push({ kind: "html", html: markdown.parser(list) });
    pending = [];
  };
  for (const token of tokens) {
    if (token.type === "code") {
      flush();
      const code = token as Tokens.Code;
      blocks.push({ kind: "code", code: code.text, lang: (code.lang ?? "").split(/\s/)[0] ?? "" });
    } else {
      pending.push(token);
    }
  }
  flush();
  return blocks;
}

let hooked = false;
function purifier(): typeof DOMPurify {
  if (!hooked) {
    // Links from broadcasts open outside the room and cannot reach back into it.
    DOMPurify.addHook("afterSanitizeAttributes", (node) => {
      if (node.tagName === "A") {
        node.setAttribute("target", "_blank");
        node.setAttribute("rel", "noopener noreferrer");
      }
    });
    hooked = true;
  }
  return DOMPurify;
}

export function sanitizeHtml(html: string): string {
  return purifier().sanitize(html, {
    FORBID_TAGS: ["style", "form", "input", "button", "textarea", "select"],
  });
}

/** Markdown to sanitised HTML and code blocks: the only way markdown reaches the page. */
export function markdownBlocks(source: string): MarkdownBlock[] {
  return markdownBlocksUnsafe(source).map((b) =>
    b.kind === "html" ? { kind: "html", html: sanitizeHtml(b.html) } : b,
  );
}

export interface CodeSpan {
  text: string;
  /** Space-separated `tok-*` classes from @lezer/highlight's classHighlighter, or "". */
  classes: string;
}

/** JavaScript split into highlighted spans, one array per line; plain text, never HTML. */
export function highlightJs(code: string): CodeSpan[][] {
  const lines: CodeSpan[][] = [[]];
  highlightCode(
    code,
    jsParser.parse(code),
    classHighlighter,
    (text, classes) => lines[lines.length - 1]!.push({ text, classes }),
    () => lines.push([]),
  );
  return lines;
}
