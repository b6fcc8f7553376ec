import { describe, expect, it } from "vitest";
import { CompletionContext, type CompletionResult } from "@codemirror/autocomplete";
import { EditorState } from "@codemirror/state";
import {
  completionsFor,
  completionSourceFor,
  CORE_API,
  entriesFromReference,
  packModuleEntries,
  scratchCompletions,
  type ReferenceEntry,
} from "./completions.js";

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

describe("completions from the API reference", () => {
  const entries = entriesFromReference({
    entries: [
      {
        module: "scratch/tensor",
        name: "tensor",
        kind: "function",
        signature: "tensor(data, shape?)",
        doc: "Makes a tensor.",
      },
      {
        module: "scratch/tensor",
        name: "Tensor.matmul",
        kind: "method",
        signature: "matmul(y)",
        doc: "Matrix product.",
      },
      { module: "scratch/tensor", name: "Tensor.shape", kind: "getter", signature: "shape", doc: "" },
      {
        module: "scratch/nn",
        name: "Linear",
        kind: "class",
        signature: "new Linear(inF, outF)",
        doc: "A dense layer.",
      },
    ],
  });
  const fromReference = completionSourceFor(entries);
  const at = (doc: string) =>
    fromReference(
      new CompletionContext(EditorState.create({ doc }), doc.length, false),
    ) as CompletionResult | null;
  it("completes exports with their signature and doc, namespaced names and members", () => {
    const tensor = at("ten")?.options.find((o) => o.label === "tensor");
    expect(tensor).toMatchObject({ detail: "tensor(data, shape?)", info: "Makes a tensor." });
    expect(at("Lin")?.options.map((o) => o.label)).toContain("Linear");
    expect(at("nn.Li")?.options.map((o) => o.label)).toEqual(["Linear"]);
    expect(at("w.ma")?.options.map((o) => o.label)).toEqual(["matmul", "shape"]);
  });
});

describe("the generated scratch reference", () => {
  it("covers the guaranteed core API (docs/scratch.md)", async () => {
    const reference = (await import("../../sandbox/scratch/api-reference.json", { with: { type: "json" } }))
      .default as {
      entries: ReferenceEntry[];
    };
    // Members are offered after any value, whatever class declares them.
    const key = (e: { name: string; kind: string }) =>
      e.kind === "method" || e.kind === "property" ? `.${e.name.split(".").pop()}` : e.name;
    const names = new Set(entriesFromReference(reference).map(key));
    const missing = CORE_API.map(key).filter((n) => !names.has(n));
    expect(missing).toEqual([]);
  });
});

describe("completions from a pack's given modules", () => {
  const modules = {
    "pack/cartpole": [
      "/** docs */",
      "export function rng(seed) {",
      "  const inner = 1;",
      "}",
      "export const normal = (u) => u;",
      "export class Buffer {}",
      "function hidden() {}",
      "  export const notTopLevel = 1;",
    ].join("\n"),
  };
  it("finds each top-level export with the module it comes from", () => {
    expect(packModuleEntries(modules)).toEqual([
      { name: "rng", kind: "function", signature: 'rng(seed) from "pack/cartpole"' },
      { name: "normal", kind: "constant", signature: 'normal from "pack/cartpole"' },
      { name: "Buffer", kind: "class", signature: 'Buffer from "pack/cartpole"' },
    ]);
  });
  it("offers them beside scratch's names, and only scratch's without given modules", () => {
    const run = (source: ReturnType<typeof completionsFor>, doc: string) =>
      (
        source(
          new CompletionContext(EditorState.create({ doc }), doc.length, false),
        ) as CompletionResult | null
      )?.options ?? [];
    const withPack = run(completionsFor(modules), "const u = rn");
    expect(withPack.find((o) => o.label === "rng")?.detail).toBe('rng(seed) from "pack/cartpole"');
    expect(withPack.some((o) => o.label === "tensor")).toBe(true);
    expect(completionsFor(undefined)).toBe(scratchCompletions);
    expect(run(completionsFor({}), "const u = rn").some((o) => o.label === "rng")).toBe(false);
    expect(completionsFor(modules)).toBe(completionsFor(modules));
  });
});
