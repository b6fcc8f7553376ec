/**
 * JSON with line numbers, for pack metadata errors that point at the offending line.
 *
 * `JSON.parse` gives the value (and, on failure, only a character position); acorn parses the
 * same text as a JavaScript expression to recover where each key and element sits, so a schema
 * issue at path `tasks.1` can be reported at the line of that element.
 */
import { parseExpressionAt, type Expression, type Node } from "acorn";

export interface JsonDocument {
  value: unknown;
  /** The line of the value at `path`, or of its deepest existing ancestor (1-based). */
  lineOf(path: readonly PropertyKey[]): number;
}

export type JsonParse = { ok: true; doc: JsonDocument } | { ok: false; line: number; message: string };

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function locate(root: Expression | null, path: readonly PropertyKey[]): number {
  if (!root) return 1;
  let node: Node = root;
  let line = root.loc?.start.line ?? 1;
  for (const key of path) {
    let next: Node | undefined;
    if (node.type === "ObjectExpression" && "properties" in node) {
      const properties = (node as Extract<Expression, { type: "ObjectExpression" }>).properties;
      for (const property of properties) {
        if (property.type !== "Property") continue;
        const k = property.key;
        const name = k.type === "Literal" ? String(k.value) : k.type === "Identifier" ? k.name : undefined;
        if (name === String(key)) {
          line = property.loc?.start.line ?? line;
          next = property.value;
        }
      }
    } else if (node.type === "ArrayExpression" && typeof key === "number") {
      const element = (node as Extract<Expression, { type: "ArrayExpression" }>).elements[key];
      if (element) {
        line = element.loc?.start.line ?? line;
        next = element;
      }
    }
    if (!next) break;
    node = next;
  }
  return line;
}

/** Parses JSON text; a syntax error comes back with its line. */
export function parseJson(text: string): JsonParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const position = /at position (\d+)/.exec(message);
    const lineColumn = /\(line (\d+) column \d+\)/.exec(message);
    const line = lineColumn ? Number(lineColumn[1]) : position ? lineAt(text, Number(position[1])) : 1;
    return { ok: false, line, message: message.replace(/ in JSON at position \d+.*$/, "") };
  }
  let root: Expression | null = null;
  try {
    root = parseExpressionAt(text, 0, { ecmaVersion: 2022, locations: true });
  } catch {
    // Valid JSON that is not a valid JS expression (e.g. a BOM): lines fall back to 1.
  }
  return { ok: true, doc: { value, lineOf: (path) => locate(root, path) } };
}
