/**
 * Editor completions for the `scratch` library: top-level exports, namespace members (`nn.Linear`)
 * and tensor methods (`x.matmul`), built from an API reference list.
 */
import type {
  Completion,
  CompletionContext,
  CompletionResult,
  CompletionSource,
} from "@codemirror/autocomplete";
import apiReference from "../../sandbox/scratch/api-reference.json" with { type: "json" };

export interface ApiEntry {
  /** "tensor", "nn.Linear", "Tensor.matmul". */
  name: string;
  kind: "function" | "class" | "namespace" | "method" | "property" | "constant";
  signature?: string;
  doc?: string;
}

/** The guaranteed core API (docs/scratch.md): what the generated reference must at least cover. */
export const CORE_API: ApiEntry[] = [
  ...["tensor", "zeros", "ones", "randn", "rand", "arange", "noGrad", "seed"].map((name): ApiEntry => ({
    name,
    kind: "function",
  })),
  ...["nn", "optim", "data", "plot"].map((name): ApiEntry => ({ name, kind: "namespace" })),
  ...["Sequential", "Linear", "ReLU", "mseLoss", "crossEntropy"].map((n): ApiEntry => ({
    name: `nn.${n}`,
    kind: /^[A-Z]/.test(n) ? "class" : "function",
  })),
  { name: "optim.SGD", kind: "class" },
  { name: "optim.Adam", kind: "class" },
  { name: "data.spirals", kind: "function" },
  { name: "plot.line", kind: "function" },
  ...[
    "add",
    "sub",
    "mul",
    "div",
    "pow",
    "neg",
    "exp",
    "log",
    "sqrt",
    "abs",
    "tanh",
    "sigmoid",
    "relu",
    "matmul",
    "transpose",
    "reshape",
    "sum",
    "mean",
    "max",
    "argmax",
    "softmax",
    "logSoftmax",
    "item",
    "toArray",
    "requiresGrad",
    "backward",
    "forward",
    "parameters",
    "zeroGrad",
    "step",
  ].map((n): ApiEntry => ({ name: `Tensor.${n}`, kind: "method" })),
  { name: "Tensor.shape", kind: "property" },
  { name: "Tensor.grad", kind: "property" },
];

const TYPES: Record<ApiEntry["kind"], string> = {
  function: "function",
  class: "class",
  namespace: "namespace",
  method: "method",
  property: "property",
  constant: "constant",
};

function completion(label: string, entry: ApiEntry): Completion {
  const c: Completion = { label, type: TYPES[entry.kind] };
  if (entry.signature) c.detail = entry.signature;
  if (entry.doc) c.info = entry.doc;
  return c;
}

export function completionSourceFor(entries: ApiEntry[]): CompletionSource {
  const topLevel: Completion[] = [];
  const members = new Map<string, Completion[]>();
  const methods: Completion[] = [];
  const seenMethods = new Set<string>();
  for (const entry of entries) {
    const dot = entry.name.lastIndexOf(".");
    if (dot < 0) {
      topLevel.push(completion(entry.name, entry));
      continue;
    }
    const owner = entry.name.slice(0, dot);
    const member = entry.name.slice(dot + 1);
    if (/^[A-Z]/.test(owner) && (entry.kind === "method" || entry.kind === "property")) {
      if (!seenMethods.has(member)) methods.push(completion(member, entry));
      seenMethods.add(member);
    } else {
      const list = members.get(owner) ?? [];
      list.push(completion(member, entry));
      members.set(owner, list);
    }
  }
  return (context: CompletionContext): CompletionResult | null => {
    const member = context.matchBefore(/([A-Za-z_$][\w$]*)\.([\w$]*)$/);
    if (member) {
      const owner = /^([A-Za-z_$][\w$]*)\./.exec(member.text)![1]!;
      const from = member.from + owner.length + 1;
      const options = members.get(owner) ?? methods;
      return { from, options, validFor: /^[\w$]*$/ };
    }
    const word = context.matchBefore(/[A-Za-z_$][\w$]*$/);
    if (!word && !context.explicit) return null;
    return { from: word?.from ?? context.pos, options: topLevel, validFor: /^[\w$]*$/ };
  };
}

/** One entry of sandbox/scratch/api-reference.json (generated from the guest sources). */
export interface ReferenceEntry {
  module: string;
  name: string;
  kind: "function" | "class" | "method" | "getter";
  signature: string;
  doc: string;
}

/** Namespaces the umbrella module "scratch" exports sub-modules under (`nn.Linear`). */
const NAMESPACES = ["autograd", "nn", "optim", "data", "plot", "metrics", "check"];

/**
 * The reference's entries as completion entries: each export by its own name (`import { Linear }
 * from "scratch/nn"`) and, for namespaced modules, as `nn.Linear` too; methods and getters of
 * classes as members of any value.
 */
export function entriesFromReference(reference: { entries: ReferenceEntry[] }): ApiEntry[] {
  const out: ApiEntry[] = NAMESPACES.map((name) => ({ name, kind: "namespace" }));
  for (const e of reference.entries) {
    const kind: ApiEntry["kind"] = e.kind === "getter" ? "property" : e.kind;
    const base = { kind, signature: e.signature, doc: e.doc };
    out.push({ name: e.name, ...base });
    const namespace = e.module.split("/")[1];
    if (namespace && NAMESPACES.includes(namespace) && !e.name.includes("."))
      out.push({ name: `${namespace}.${e.name}`, ...base });
  }
  return out;
}

const scratchEntries = entriesFromReference(apiReference as { entries: ReferenceEntry[] });

export const scratchCompletions: CompletionSource = completionSourceFor(scratchEntries);

const EXPORTED =
  /^export\s+(?:async\s+)?(function\*?|class|const|let|var)\s+([A-Za-z_$][\w$]*)(\s*\([^)]*\))?/gm;

/**
 * The top-level names a pack's given modules export (`export function cartPole(u, maxSteps)` in
 * "pack/cartpole"), found by a line pattern: completions need names, not a parse.
 */
export function packModuleEntries(modules: Record<string, string>): ApiEntry[] {
  const out: ApiEntry[] = [];
  for (const [specifier, source] of Object.entries(modules)) {
    for (const match of source.matchAll(EXPORTED)) {
      const [, keyword, name, params] = match as unknown as [string, string, string, string | undefined];
      const kind: ApiEntry["kind"] = keyword.startsWith("function")
        ? "function"
        : keyword === "class"
          ? "class"
          : "constant";
      out.push({ name, kind, signature: `${name}${params?.trim() ?? ""} from "${specifier}"` });
    }
  }
  return out;
}

const withPack = new WeakMap<Record<string, string>, CompletionSource>();

/** Completions for `scratch` plus, when the task has any, the pack's given modules' exports. */
export function completionsFor(packModules: Record<string, string> | undefined): CompletionSource {
  if (!packModules || Object.keys(packModules).length === 0) return scratchCompletions;
  let source = withPack.get(packModules);
  if (!source) {
    source = completionSourceFor([...scratchEntries, ...packModuleEntries(packModules)]);
    withPack.set(packModules, source);
  }
  return source;
}
