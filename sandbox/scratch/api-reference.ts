/**
 * Generates the attendee API reference of `scratch` from the guest sources' doc comments:
 * docs/scratch-api.md for people and sandbox/scratch/api-reference.json for editor completions.
 * A test fails when the committed files are stale.
 *
 * Run: `npx tsx sandbox/scratch/api-reference.ts` (writes both files).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as prettier from "prettier";
import ts from "typescript";
import { referenceOpList } from "./kernels/oracle.js";
import { PUBLIC_MODULES } from "./library-core.js";

export interface ApiEntry {
  /** "scratch/tensor", … */
  module: string;
  /** "tensor", "Tensor", "Tensor.add", "Tensor.shape" */
  name: string;
  kind: "function" | "class" | "method" | "getter" | "property";
  /** e.g. "add(y)", "new Linear(inFeatures, outFeatures, …)"; for getters just the name. */
  signature: string;
  doc: string;
  examples: string[];
}

/** An entry as the editor's completion source takes it (client/run/completions.ts). */
export interface CompletionEntry {
  /** As written after `import … from "scratch"`: "tensor", "nn.Linear", "Tensor.matmul". */
  name: string;
  kind: "function" | "class" | "namespace" | "method" | "property";
  signature?: string;
  doc?: string;
}

export interface ApiReference {
  modules: { specifier: string; doc: string }[];
  entries: ApiEntry[];
  completions?: CompletionEntry[];
}

const GUEST = fileURLToPath(new URL("./guest/", import.meta.url));
export const MARKDOWN_PATH = fileURLToPath(new URL("../../docs/scratch-api.md", import.meta.url));
export const JSON_PATH = fileURLToPath(new URL("./api-reference.json", import.meta.url));

function docOf(node: ts.Node): { doc: string; examples: string[]; internal: boolean } | undefined {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const jsdoc = docs.at(-1);
  if (jsdoc === undefined) return undefined;
  const text = (c: ts.JSDoc["comment"] | ts.JSDocTag["comment"]) =>
    typeof c === "string" ? c : (c ?? []).map((p) => p.text).join("");
  const tags = jsdoc.tags ?? [];
  return {
    doc: text(jsdoc.comment).trim(),
    examples: tags.filter((t) => t.tagName.text === "example").map((t) => text(t.comment).trim()),
    internal: tags.some((t) => t.tagName.text === "internal"),
  };
}

function params(node: ts.SignatureDeclarationBase): string {
  return node.parameters.map((p) => p.getText().replace(/\s+/g, " ")).join(", ");
}

const isExported = (node: ts.Node) =>
  ts.canHaveModifiers(node) &&
  (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/**
 * Reads the reference of one guest module from its source. Names it re-exports
 * (`export { tidy } from "scratch/memory"`) are documented from `resolve(thatSpecifier)`.
 */
export function moduleReference(
  specifier: string,
  source: string,
  resolve: (specifier: string) => string = guestSource,
): ApiReference {
  const file = ts.createSourceFile(`${specifier}.js`, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const entries: ApiEntry[] = [];
  const first = file.statements[0];
  const moduleDoc = first === undefined ? undefined : docOf(first);
  const add = (node: ts.Node, name: string, kind: ApiEntry["kind"], signature: string) => {
    const d = docOf(node) ?? { doc: "", examples: [], internal: false };
    if (d.internal || name.split(".").some((part) => part.startsWith("_"))) return;
    entries.push({ module: specifier, name, kind, signature, doc: d.doc, examples: d.examples });
  };
  for (const statement of file.statements) {
    if (
      ts.isExportDeclaration(statement) &&
      statement.moduleSpecifier !== undefined &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      statement.exportClause !== undefined &&
      ts.isNamedExports(statement.exportClause)
    ) {
      const from = statement.moduleSpecifier.text;
      const names = statement.exportClause.elements.map((e) => e.name.text);
      const origin = moduleReference(from, resolve(from), resolve);
      for (const e of origin.entries) if (names.includes(e.name)) entries.push({ ...e, module: specifier });
      continue;
    }
    if (!isExported(statement)) continue;
    if (ts.isFunctionDeclaration(statement) && statement.name) {
      const name = statement.name.text;
      add(statement, name, "function", `${name}(${params(statement)})`);
    } else if (ts.isClassDeclaration(statement) && statement.name) {
      const cls = statement.name.text;
      const ctor = statement.members.find(ts.isConstructorDeclaration);
      add(statement, cls, "class", ctor === undefined ? `new ${cls}()` : `new ${cls}(${params(ctor)})`);
      // Documented fields set in the constructor (`/** … */ this.grad = null`) are properties.
      for (const st of ctor?.body?.statements ?? []) {
        if (!ts.isExpressionStatement(st) || !ts.isBinaryExpression(st.expression)) continue;
        const target = st.expression.left;
        if (ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword) {
          if (docOf(st) !== undefined) add(st, `${cls}.${target.name.text}`, "property", target.name.text);
        }
      }
      // An undocumented method of a subclass overrides a documented one (forward, step…).
      const inherits = statement.heritageClauses !== undefined;
      for (const member of statement.members) {
        const name = member.name && ts.isIdentifier(member.name) ? member.name.text : undefined;
        if (name === undefined || (inherits && docOf(member) === undefined)) continue;
        if (ts.isMethodDeclaration(member))
          add(member, `${cls}.${name}`, "method", `${name}(${params(member)})`);
        else if (ts.isGetAccessorDeclaration(member)) add(member, `${cls}.${name}`, "getter", name);
      }
    }
  }
  return { modules: [{ specifier, doc: moduleDoc?.doc ?? "" }], entries };
}

function guestSource(specifier: string): string {
  return readFileSync(`${GUEST}${specifier.slice("scratch/".length)}.js`, "utf8");
}

/** The first sentence of a doc comment, for short completion info. */
const firstSentence = (doc: string) =>
  (/^[\s\S]*?[.!?](\s|$)/.exec(doc)?.[0] ?? doc).replace(/\s+/g, " ").trim();

/** Entries named as attendee code writes them after `import { …, nn } from "scratch"`. */
export function completionEntries(ref: ApiReference): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  for (const { specifier, doc } of ref.modules) {
    const namespace = PUBLIC_MODULES[specifier];
    if (namespace) out.push({ name: namespace, kind: "namespace", doc: firstSentence(doc) });
  }
  const seen = new Set<string>();
  for (const e of ref.entries) {
    const namespace = PUBLIC_MODULES[e.module];
    const member = e.kind === "method" || e.kind === "getter" || e.kind === "property";
    const name = namespace && !member ? `${namespace}.${e.name}` : e.name;
    if (seen.has(name)) continue;
    seen.add(name);
    const kind = e.kind === "getter" ? "property" : e.kind;
    out.push({ name, kind, signature: e.signature, doc: firstSentence(e.doc) });
  }
  return out;
}

/** The reference of every public module, in the umbrella's order. */
export function buildReference(): ApiReference {
  const all: ApiReference = { modules: [], entries: [] };
  for (const specifier of Object.keys(PUBLIC_MODULES)) {
    const ref = moduleReference(specifier, guestSource(specifier));
    all.modules.push(...ref.modules);
    all.entries.push(...ref.entries);
  }
  all.completions = completionEntries(all);
  return all;
}

/** Formats like `npm run format` would, so the committed files pass `prettier --check`. */
async function pretty(text: string, filepath: string): Promise<string> {
  const options = (await prettier.resolveConfig(filepath)) ?? {};
  return prettier.format(text, { ...options, filepath });
}

/** Both generated files' contents: [markdown, json]. */
export async function renderReference(ref = buildReference()): Promise<[string, string]> {
  return [await pretty(renderMarkdown(ref), MARKDOWN_PATH), await pretty(renderJson(ref), JSON_PATH)];
}

export function renderMarkdown(ref: ApiReference): string {
  const out = [
    "# `scratch` API reference",
    "",
    "Generated from the doc comments of `sandbox/scratch/guest/*.js` by `npx tsx sandbox/scratch/api-reference.ts`;",
    'do not edit by hand. `import { tensor, nn, optim, data, plot } from "scratch"` gives the tensor',
    "functions directly and every other module as a namespace (`nn.Linear`, `data.spirals`, …).",
    "",
  ];
  for (const { specifier, doc } of ref.modules) {
    out.push(`## ${specifier}`, "", doc, "");
    for (const e of ref.entries.filter((x) => x.module === specifier)) {
      const title =
        e.kind === "method" || e.kind === "getter" ? `${e.name.split(".")[0]}.${e.signature}` : e.signature;
      out.push(`### \`${title}\``, "");
      if (e.doc !== "") out.push(e.doc, "");
      for (const example of e.examples) out.push("```js", example, "```", "");
    }
  }
  out.push(...referenceOpsSection());
  return (
    out
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trimEnd() + "\n"
  );
}

/** The op names and attributes `check.oracle`, `gradCheck` and `expectGrads` accept, from the oracle's table. */
function referenceOpsSection(): string[] {
  const lines = [
    "## Reference ops of `check.oracle`, `gradCheck` and `expectGrads`",
    "",
    "Generated from the oracle's table (sandbox/scratch/kernels/oracle.ts). Each op takes its inputs",
    "in the same order and layout as the guest op of the same name (NCHW images, Linear weights",
    "[in, out]); `attrs` accepts only the attributes listed (an unknown one is an error). Inputs listed as",
    "constant (labels, indices, masks) get a zero gradient.",
    "",
    "| op | attrs | constant inputs |",
    "| --- | --- | --- |",
  ];
  for (const op of referenceOpList()) {
    const attrs = op.attrs.length === 0 ? "—" : op.attrs.map((a) => `\`${a}\``).join(", ");
    const constant = op.constant.length === 0 ? "—" : op.constant.join(", ");
    lines.push(`| \`${op.name}\` | ${attrs} | ${constant} |`);
  }
  lines.push("");
  return lines;
}

export function renderJson(ref: ApiReference): string {
  return JSON.stringify(ref, null, 2) + "\n";
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [markdown, json] = await renderReference();
  writeFileSync(MARKDOWN_PATH, markdown);
  writeFileSync(JSON_PATH, json);
  console.log(`wrote ${MARKDOWN_PATH} and ${JSON_PATH}`);
}
