/**
 * Static facts about a pack's JavaScript module (starter, solution, checks), found by parsing it
 * with acorn: its syntax error if any, what it imports, what it exports, and which exports of the
 * attendee's module ("attempt") a check module uses — each with its line, so a host learns
 * "checks.js:7: calls attempt.predict, which starter.js does not export" before anyone runs it.
 */
import { parse, type Node, type Program } from "acorn";
import type { PackProblem } from "./problem.js";

export interface Located {
  name: string;
  line: number;
}

export type ModuleFacts =
  | { ok: false; line: number; column: number; message: string }
  | {
      ok: true;
      imports: Located[];
      /** Exported names; null when the module re-exports `*` (its exports are unknowable here). */
      exports: Set<string> | null;
      /** The names the module exports itself, whatever it re-exports whole. */
      ownExports: Set<string>;
      /** Modules re-exported whole (`export * from "…"`). */
      starFrom: string[];
      /** Names imported by name (`import { a as b } from "m"` gives { name: "a", from: "m" }). */
      namedImports: (Located & { from: string })[];
      /** Names a check module reads from the attempt module (`attempt.x` or `import { x }`). */
      attemptUses: Located[];
    };

type AnyNode = Node & Record<string, unknown>;

function isNode(value: unknown): value is AnyNode {
  return typeof value === "object" && value !== null && typeof (value as Node).type === "string";
}

/** Visits every node of the tree, parents first. */
function walk(node: AnyNode, visit: (node: AnyNode) => void): void {
  visit(node);
  for (const key of Object.keys(node)) {
    if (key === "loc") continue;
    const child = node[key];
    if (Array.isArray(child)) {
      for (const item of child) if (isNode(item)) walk(item, visit);
    } else if (isNode(child)) walk(child, visit);
  }
}

function patternNames(pattern: AnyNode, out: string[]): void {
  walk(pattern, (node) => {
    if (node.type === "Identifier") out.push(node.name as string);
  });
}

function nameOf(node: AnyNode): string {
  return node.type === "Identifier" ? (node.name as string) : String(node.value);
}

const line = (node: Node): number => node.loc?.start.line ?? 1;

/** Parses `source` as an ES module and collects its imports, exports and uses of "attempt". */
export function analyseModule(source: string): ModuleFacts {
  let program: Program;
  try {
    program = parse(source, { ecmaVersion: "latest", sourceType: "module", locations: true });
  } catch (err) {
    const loc = (err as { loc?: { line: number; column: number } }).loc;
    return {
      ok: false,
      line: loc?.line ?? 1,
      column: (loc?.column ?? 0) + 1,
      message: (err as Error).message.replace(/ \(\d+:\d+\)$/, ""),
    };
  }
  const imports: Located[] = [];
  const exports = new Set<string>();
  const attemptUses: Located[] = [];
  const attemptNamespaces = new Set<string>();
  const starFrom: string[] = [];
  const namedImports: (Located & { from: string })[] = [];

  for (const statement of program.body as unknown as AnyNode[]) {
    if (statement.type === "ImportDeclaration") {
      const from = String((statement.source as AnyNode).value);
      imports.push({ name: from, line: line(statement) });
      for (const specifier of statement.specifiers as AnyNode[]) {
        if (specifier.type === "ImportSpecifier") {
          namedImports.push({ name: nameOf(specifier.imported as AnyNode), from, line: line(specifier) });
        }
      }
      if (from !== "attempt") continue;
      for (const specifier of statement.specifiers as AnyNode[]) {
        if (specifier.type === "ImportNamespaceSpecifier") {
          attemptNamespaces.add((specifier.local as AnyNode).name as string);
        } else if (specifier.type === "ImportDefaultSpecifier") {
          attemptUses.push({ name: "default", line: line(specifier) });
        } else {
          attemptUses.push({ name: nameOf(specifier.imported as AnyNode), line: line(specifier) });
        }
      }
    } else if (statement.type === "ExportNamedDeclaration") {
      const declaration = statement.declaration as AnyNode | null;
      if (declaration?.type === "VariableDeclaration") {
        const names: string[] = [];
        for (const d of declaration.declarations as AnyNode[]) patternNames(d.id as AnyNode, names);
        for (const n of names) exports.add(n);
      } else if (declaration) {
        exports.add(((declaration.id as AnyNode).name as string) ?? "default");
      }
      for (const specifier of statement.specifiers as AnyNode[]) {
        exports.add(nameOf(specifier.exported as AnyNode));
      }
      if (statement.source)
        imports.push({ name: String((statement.source as AnyNode).value), line: line(statement) });
    } else if (statement.type === "ExportDefaultDeclaration") {
      exports.add("default");
    } else if (statement.type === "ExportAllDeclaration") {
      imports.push({ name: String((statement.source as AnyNode).value), line: line(statement) });
      if (statement.exported) exports.add(nameOf(statement.exported as AnyNode));
      else starFrom.push(String((statement.source as AnyNode).value));
    }
  }

  if (attemptNamespaces.size > 0) {
    walk(program as unknown as AnyNode, (node) => {
      if (node.type !== "MemberExpression" || node.computed) return;
      const object = node.object as AnyNode;
      if (object.type === "Identifier" && attemptNamespaces.has(object.name as string)) {
        attemptUses.push({ name: nameOf(node.property as AnyNode), line: line(node) });
      }
    });
  }
  return {
    ok: true,
    imports,
    exports: starFrom.length > 0 ? null : exports,
    ownExports: exports,
    starFrom,
    namedImports,
    attemptUses,
  };
}

/** {@link analyseModule}, with a syntax error reported in `problems` as one of `file`'s. */
export function analyseFile(file: string, source: string, problems: PackProblem[]): ModuleFacts {
  const facts = analyseModule(source);
  if (!facts.ok) {
    problems.push({
      file,
      line: facts.line,
      message: `syntax error: ${facts.message} (column ${facts.column})`,
    });
  }
  return facts;
}
