/**
 * Loads session packs from a folder of pack folders (see ./format.ts), validating each.
 *
 * Validation is static (nothing runs here; `scratchroom verify` runs the code) and reports every
 * problem it finds, each with its file and, where there is one, its line: JSON syntax, schema
 * issues mapped back to the offending key, missing or unlisted task folders, duplicate ids,
 * JavaScript syntax errors, imports outside the task's allowed modules, check modules calling
 * something the starter or solution does not export, pack modules (./pack-modules.ts) that are
 * broken or import what a task using them does not allow, and KaTeX math that does not render.
 * A broken pack never stops the others from loading.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { z } from "zod";
import type { Pack, Snippet, Task } from "./format.js";
import { analyseFile, type ModuleFacts } from "./js-module.js";
import { parseJson, type JsonDocument } from "./json-lines.js";
import { mathProblems } from "./math.js";
import {
  loadPackModules,
  packModuleProblemsForTask,
  packModuleSources,
  type PackModules,
} from "./pack-modules.js";
import { installedScratchExports, namespaceOf, SCRATCH_MODULES, UMBRELLA } from "./scratch-exports.js";
import type { PackProblem } from "./problem.js";

export { SCRATCH_MODULES };

const idPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;
const idMessage = "must be lower-case letters, digits and dashes (at most 63)";

const packMetaSchema = z.strictObject({
  id: z.string().regex(idPattern, idMessage),
  title: z.string().min(1).max(200),
  track: z.enum(["workshop", "seminar", "demo"]),
  duration: z
    .number()
    .int()
    .positive()
    .max(24 * 60),
  level: z.enum(["beginner", "intermediate", "advanced"]),
  summary: z.string().max(2000).optional(),
  tasks: z.array(z.string().regex(idPattern, idMessage)).min(1),
});

/** task.json: what a task declares besides its files. */
export const taskMetaSchema = z.strictObject({
  title: z.string().min(1).max(200),
  modules: z.array(z.enum(SCRATCH_MODULES)).optional(),
  seed: z.number().int().optional(),
  timeBudgetMs: z.number().int().positive().max(600_000).optional(),
  hints: z.array(z.string().min(1)).optional(),
  accelerate: z.enum(["auto", "gpu", "cpu"]).optional(),
});

export type { PackProblem };

export type PackLoadResult = { ok: true; pack: Pack } | { ok: false; dir: string; problems: PackProblem[] };

/** A task's time budget when task.json gives none. */
export const DEFAULT_TIME_BUDGET_MS = 60_000;
const SNIPPET_NAME = /^\d{2}-[a-z0-9-]+\.md$/;

/** One line per problem, `file:line: message`, for logs and the CLI. */
export function formatProblems(problems: readonly PackProblem[]): string {
  return problems.map((p) => `${p.file}${p.line !== undefined ? `:${p.line}` : ""}: ${p.message}`).join("\n");
}

function readText(file: string, problems: PackProblem[], optional = false): string | null {
  if (!existsSync(file)) {
    if (!optional) problems.push({ file, message: "file is missing" });
    return null;
  }
  return readFileSync(file, "utf8");
}

function readJson(file: string, problems: PackProblem[]): JsonDocument | undefined {
  const text = readText(file, problems);
  if (text === null) return undefined;
  const parsed = parseJson(text);
  if (!parsed.ok) {
    problems.push({ file, line: parsed.line, message: `invalid JSON: ${parsed.message}` });
    return undefined;
  }
  return parsed.doc;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && /received undefined/.test(issue.message)) return "is required";
  return issue.message;
}

function zodProblems(file: string, doc: JsonDocument, error: z.ZodError): PackProblem[] {
  return error.issues.map((issue) => {
    const path = [...issue.path];
    if (issue.code === "unrecognized_keys" && issue.keys[0] !== undefined) path.push(issue.keys[0]);
    const message = issueMessage(issue);
    const where = issue.path.length
      ? `"${issue.path.join(".")}"${message === "is required" ? "" : ":"} `
      : "";
    return { file, line: doc.lineOf(path), message: `${where}${message}` };
  });
}

function validateMarkdown(file: string, markdown: string, problems: PackProblem[]): void {
  if (markdown.trim() === "") problems.push({ file, line: 1, message: "is empty" });
  for (const p of mathProblems(markdown))
    problems.push({ file, line: p.line, message: `KaTeX: ${p.message}` });
}

/** Why `import { name } from "from"` fails, with where the name does live. */
function namedImportProblem(name: string, from: string, home: string | undefined): string {
  const base = `imports "${name}" from "${from}", which does not export it`;
  if (from === UMBRELLA) {
    const sub = SCRATCH_MODULES.find((s) => namespaceOf(s) === name) ?? home;
    return sub ? `${base}: this task does not allow ${sub}` : base;
  }
  if (namespaceOf(from) === name) {
    return `${base}: the namespace is import { ${name} } from "scratch", or import * as ${name} from "${from}"`;
  }
  return home ? `${base} (it is in "${home}")` : base;
}

/**
 * Syntax and imports of one module. Attendee modules (starter, solution) may import "scratch" and
 * the task's allowed sub-modules; check modules may also import "attempt".
 */
function validateModule(
  file: string,
  source: string,
  allowed: readonly string[],
  packModules: PackModules,
  problems: PackProblem[],
): ModuleFacts {
  const facts = analyseFile(file, source, problems);
  if (!facts.ok) return facts;
  const exportsTable = installedScratchExports();
  for (const { name, from, line } of facts.namedImports) {
    const given = packModules.get(from);
    if (given) {
      if (given.facts.ok && given.facts.exports !== null && !given.facts.exports.has(name)) {
        problems.push({ file, line, message: `imports "${name}" from "${from}", which does not export it` });
      }
      continue;
    }
    if (!allowed.includes(from) || exportsTable === null) continue;
    const available = exportsTable.of(from, allowed);
    if (available === null || available.has(name)) continue;
    problems.push({ file, line, message: namedImportProblem(name, from, exportsTable.home(name)) });
  }
  for (const { name, line } of facts.imports) {
    if (allowed.includes(name) || packModules.has(name)) continue;
    const known = name === "scratch" || (SCRATCH_MODULES as readonly string[]).includes(name);
    problems.push({
      file,
      line,
      message: known
        ? `imports "${name}", which this task does not allow (task.json modules: ${allowed.filter((m) => m !== "scratch" && m !== "attempt").join(", ")})`
        : name.startsWith("pack/")
          ? `imports "${name}", but the pack has no modules/${name.slice(5)}.js`
          : `imports "${name}": only "scratch", its sub-modules (${SCRATCH_MODULES.join(", ")}) and the pack's modules (pack/<name>) can be imported`,
    });
  }
  return facts;
}

function loadTask(dir: string, id: string, packModules: PackModules, problems: PackProblem[]): Task | null {
  const taskDir = join(dir, "tasks", id);
  const metaFile = join(taskDir, "task.json");
  const doc = readJson(metaFile, problems);
  const instructions = readText(join(taskDir, "instructions.md"), problems);
  const starter = readText(join(taskDir, "starter.js"), problems);
  const solution = readText(join(taskDir, "solution.js"), problems);
  const checks = readText(join(taskDir, "checks.js"), problems);
  const hidden = readText(join(taskDir, "hidden.js"), problems, true);
  const meta = doc === undefined ? undefined : taskMetaSchema.safeParse(doc.value);
  if (doc !== undefined && meta !== undefined && !meta.success)
    problems.push(...zodProblems(metaFile, doc, meta.error));

  // The code is checked even when task.json is broken, so one load reports every problem.
  if (instructions !== null) validateMarkdown(join(taskDir, "instructions.md"), instructions, problems);
  // The runner applies one rule to every module of a run: only the allowed sub-modules import,
  // so check modules need theirs (usually "scratch/check") in task.json "modules" too.
  const attendeeModules = ["scratch", ...((meta?.success && meta.data.modules) || SCRATCH_MODULES)];
  const checkModules = ["attempt", ...attendeeModules];
  const attendee: [string, ModuleFacts][] = [];
  for (const [name, source] of [
    ["starter.js", starter],
    ["solution.js", solution],
  ] as const) {
    if (source !== null)
      attendee.push([
        name,
        validateModule(join(taskDir, name), source, attendeeModules, packModules, problems),
      ]);
  }
  const checkFacts: ModuleFacts[] = [];
  for (const [name, source] of [
    ["checks.js", checks],
    ["hidden.js", hidden],
  ] as const) {
    if (source === null) continue;
    const facts = validateModule(join(taskDir, name), source, checkModules, packModules, problems);
    checkFacts.push(facts);
    if (!facts.ok) continue;
    // A check calling something the attendee module never exports fails for everyone, always.
    const reported = new Set<string>();
    for (const use of facts.attemptUses) {
      for (const [moduleName, module] of attendee) {
        const key = `${use.name}@${moduleName}`;
        if (!module.ok || module.exports === null || module.exports.has(use.name) || reported.has(key))
          continue;
        reported.add(key);
        problems.push({
          file: join(taskDir, name),
          line: use.line,
          message: `uses attempt.${use.name}, which ${moduleName} does not export`,
        });
      }
    }
  }
  const imported = [...attendee.map(([, facts]) => facts), ...checkFacts].flatMap((facts) =>
    facts.ok ? facts.imports.map((i) => i.name) : [],
  );
  problems.push(...packModuleProblemsForTask(id, imported, attendeeModules, packModules));
  if (!meta?.success || instructions === null || starter === null || solution === null || checks === null) {
    return null;
  }
  return {
    id,
    title: meta.data.title,
    instructions,
    starter,
    solution,
    checks,
    hidden,
    hints: meta.data.hints ?? [],
    ...(meta.data.modules ? { modules: meta.data.modules } : {}),
    ...(meta.data.seed !== undefined ? { seed: meta.data.seed } : {}),
    ...(packModules.size > 0 ? { packModules: packModuleSources(packModules) } : {}),
    timeBudgetMs: meta.data.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS,
    ...(meta.data.accelerate && meta.data.accelerate !== "cpu" ? { accelerate: meta.data.accelerate } : {}),
  };
}

function loadExposition(dir: string, problems: PackProblem[]): Snippet[] {
  const expositionDir = join(dir, "exposition");
  const files = existsSync(expositionDir) ? readdirSync(expositionDir).filter((f) => f.endsWith(".md")) : [];
  if (files.length === 0) {
    problems.push({ file: expositionDir, message: "no exposition snippets (exposition/NN-name.md)" });
    return [];
  }
  return files.sort().map((f) => {
    const file = join(expositionDir, f);
    if (!SNIPPET_NAME.test(f)) {
      problems.push({ file, message: "snippet file names are NN-name.md (two digits, lower-case name)" });
    }
    const markdown = readFileSync(file, "utf8");
    validateMarkdown(file, markdown, problems);
    return { id: f.replace(/\.md$/, ""), markdown };
  });
}

/** Loads and validates the pack in `dir`. */
export function loadPack(dir: string): PackLoadResult {
  const problems: PackProblem[] = [];
  const metaFile = join(dir, "pack.json");
  const doc = readJson(metaFile, problems);
  if (doc === undefined) return { ok: false, dir, problems };
  const meta = packMetaSchema.safeParse(doc.value);
  if (!meta.success) problems.push(...zodProblems(metaFile, doc, meta.error));

  const folder = basename(dir);
  if (meta.success && meta.data.id !== folder) {
    problems.push({
      file: metaFile,
      line: doc.lineOf(["id"]),
      message: `"id" is "${meta.data.id}" but the folder is "${folder}"; they must match`,
    });
  }
  const exposition = loadExposition(dir, problems);
  const packModules = loadPackModules(dir, problems);

  // Task folders are checked even when other metadata is broken, so one load reports every problem.
  const raw = doc.value as { tasks?: unknown } | null;
  const listed = Array.isArray(raw?.tasks) ? raw.tasks.filter((t): t is string => typeof t === "string") : [];
  const tasks: Task[] = [];
  const seen = new Set<string>();
  listed.forEach((id, index) => {
    const line = doc.lineOf(["tasks", index]);
    if (seen.has(id)) {
      problems.push({ file: metaFile, line, message: `task "${id}" is listed twice` });
      return;
    }
    seen.add(id);
    if (!idPattern.test(id)) return; // reported by the schema
    if (!existsSync(join(dir, "tasks", id))) {
      problems.push({
        file: metaFile,
        line,
        message: `task "${id}" is listed but tasks/${id}/ does not exist`,
      });
      return;
    }
    const task = loadTask(dir, id, packModules, problems);
    if (task) tasks.push(task);
  });
  const tasksDir = join(dir, "tasks");
  if (existsSync(tasksDir)) {
    for (const name of readdirSync(tasksDir).sort()) {
      if (!seen.has(name) && statSync(join(tasksDir, name)).isDirectory()) {
        problems.push({
          file: join(tasksDir, name),
          message: `task folder "${name}" is not listed in pack.json "tasks"`,
        });
      }
    }
  }
  if (!meta.success || problems.length > 0) return { ok: false, dir, problems };
  const { tasks: _ids, ...rest } = meta.data;
  return { ok: true, pack: { ...rest, exposition, tasks } };
}

/**
 * Loads every pack folder directly inside `root`. Pack ids are unique because each must match its
 * folder's name.
 */
export function loadPacks(root: string): PackLoadResult[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => !name.startsWith(".") && statSync(join(root, name)).isDirectory())
    .sort()
    .map((name) => loadPack(join(root, name)));
}
