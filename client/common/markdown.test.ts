import { describe, expect, it } from "vitest";
import { highlightJs, markdownBlocksUnsafe } from "./markdown.js";

// Sanitising needs a DOM; it is exercised in the browser by test/e2e (XSS in broadcasts).
describe("markdown structure", () => {
  it("renders inline and display math with KaTeX", () => {
    const [block] = markdownBlocksUnsafe("Minimise $f(x) = x^2$.\n\n$$x_{t+1} = x_t - \\eta f'(x_t)$$\n");
    expect(block?.kind).toBe("html");
    const html = block!.kind === "html" ? block!.html : "";
    expect(html).toContain('class="katex"');
    expect(html).toContain("katex-display");
    expect(html).not.toContain("$");
  });
  it("leaves prices alone and splits fenced code out as code blocks in order", () => {
    const blocks = markdownBlocksUnsafe("Costs $5 and $6.\n\n```js\nconst x = 1;\n```\n\nAfter.");
    expect(blocks.map((b) => b.kind)).toEqual(["html", "code", "html"]);
    expect(blocks[0]!.kind === "html" && blocks[0]!.html).toContain("Costs $5 and $6.");
    expect(blocks[1]).toEqual({ kind: "code", code: "const x = 1;", lang: "js" });
  });
  it("highlights JavaScript into text spans per line", () => {
    const lines = highlightJs('const a = "<b>";\n// note');
    expect(lines).toHaveLength(2);
    expect(lines[0]!.find((s) => s.text === "const")?.classes).toContain("tok-keyword");
    expect(lines[0]!.map((s) => s.text).join("")).toBe('const a = "<b>";');
    expect(lines[1]![0]!.classes).toContain("tok-comment");
  });
});
