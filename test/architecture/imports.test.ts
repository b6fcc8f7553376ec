/**
 * The shape of the import graph: no module imports itself back through others (type-only imports
 * count: a cycle of types is still two files that cannot be understood apart), and the benchmarks
 * import no test file. Imports are read with TypeScript's own pre-processor.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..", "..");
const FOLDERS = ["contract", "server", "client", "sandbox", "bench", "test", "sessions"];
const SOURCE = /\.(ts|tsx)$/;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (SOURCE.test(name) && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

/** The repository files a module imports (relative specifiers only; `.js` resolved to its `.ts`/`.tsx`). */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  const out: string[] = [];
  for (const { fileName } of info.importedFiles) {
    if (!fileName.startsWith(".")) continue;
    const base = resolve(dirname(file), fileName);
    const stem = base.replace(/\.(js|jsx|ts|tsx)$/, "");
    const found = [`${stem}.ts`, `${stem}.tsx`, base].find((p) => existsSync(p) && statSync(p).isFile());
    if (found && SOURCE.test(found)) out.push(found);
  }
  return out;
}

/** Strongly connected components with more than one file (Tarjan), as paths from the root. */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(relative(ROOT, w));
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return found;
}

const files = FOLDERS.flatMap((f) => (existsSync(join(ROOT, f)) ? sources(join(ROOT, f)) : []));
const graph = new Map(files.map((f) => [f, importsOf(f)]));

describe("the import graph", () => {
  it("reads the imports it checks", () => {
    expect(graph.get(join(ROOT, "server", "app.ts"))).toContain(join(ROOT, "server", "api", "routes.ts"));
    expect(
      cycles(
        new Map([
          ["a", ["b"]],
          ["b", ["a"]],
          ["c", ["a"]],
        ]),
      ),
    ).toEqual([["a", "b"]]);
  });
  it("has no import cycle, type-only imports included", () => {
    expect(cycles(graph)).toEqual([]);
  });
  it("keeps test files out of the benchmarks", () => {
    const isTestFile = (path: string) => {
      const rel = relative(ROOT, path);
      return rel.startsWith("test/") || /(^|\/)test\//.test(rel) || /\.test\.tsx?$/.test(rel);
    };
    const offending = [...graph]
      .filter(([file]) => relative(ROOT, file).startsWith("bench/"))
      .flatMap(([file, imports]) =>
        imports.filter(isTestFile).map((i) => `${relative(ROOT, file)} → ${relative(ROOT, i)}`),
      );
    expect(offending).toEqual([]);
  });
});
