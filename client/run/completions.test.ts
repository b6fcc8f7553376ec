import { describe, expect, it } from "vitest";
import { CompletionContext, type CompletionResult } from "@codemirror/autocomplete";
import { EditorState } from "@codemirror/state";
import { completionSourceFor, CORE_API } from "./completions.js";

const source = completionSourceFor(CORE_API);
function complete(doc: string, explicit = false): CompletionResult | null {
  return source(
    new CompletionContext(EditorState.create({ doc }), doc.length, explicit),
  ) as CompletionResult | null;
}

describe("scratch completions", () => {
  it("offers top-level exports for a word", () => {
    const result = complete("const x = ten");
    expect(result?.from).toBe(10);
    expect(result?.options.map((o) => o.label)).toContain("tensor");
  });
  it("offers namespace members after nn. and tensor methods after any other value", () => {
    expect(complete("new nn.Li")?.options.map((o) => o.label)).toContain("Linear");
    const methods = complete("x.mat");
    expect(methods?.from).toBe(2);
    expect(methods?.options.map((o) => o.label)).toContain("matmul");
  });
  it("stays quiet on whitespace unless asked", () => {
    expect(complete("x = ")).toBeNull();
    expect(complete("x = ", true)?.options.length).toBeGreaterThan(0);
  });
});
