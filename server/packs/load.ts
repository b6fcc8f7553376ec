/**
 * Loads session packs from a folder of pack folders (see ./format.ts), validating each.
 *
 * A broken pack never stops the others from loading: it is reported with every problem found,
 * each naming its file.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { Pack, Snippet, Task } from "./format.js";

const idPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;

const packMetaSchema = z.strictObject({
  id: z.string().regex(idPattern, "lower-case letters, digits and dashes"),
  title: z.string().min(1).max(200),
  track: z.enum(["workshop", "seminar", "demo"]),
  duration: z
    .number()
    .int()
    .positive()
    .max(24 * 60),
  level: z.enum(["beginner", "intermediate", "advanced"]),
  summary: z.string().max(2000).optional(),
  tasks: z.array(z.string().regex(idPattern)).min(1),
});

const taskMetaSchema = z.strictObject({
  title: z.string().min(1).max(200),
  modules: z.array(z.string().regex(/^scratch(\/[a-z]+)?$/)).optional(),
  seed: z.number().int().optional(),
  timeBudgetMs: z.number().int().positive().max(600_000).optional(),
  hints: z.array(z.string().min(1)).optional(),
});

export interface PackProblem {
  file: string;
  line?: number;
  message: string;
}

export type PackLoadResult = { ok: true; pack: Pack } | { ok: false; dir: string; problems: PackProblem[] };

const DEFAULT_TIME_BUDGET_MS = 60_000;

function readJson(file: string, problems: PackProblem[]): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    problems.push({ file, message: "file is missing" });
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    problems.push({ file, message: `invalid JSON: ${(err as Error).message}` });
    return undefined;
  }
}

function readText(file: string, problems: PackProblem[], optional = false): string | null {
  if (!existsSync(file)) {
    if (!optional) problems.push({ file, message: "file is missing" });
    return null;
  }
  return readFileSync(file, "utf8");
}

function zodProblems(file: string, error: z.ZodError): PackProblem[] {
  return error.issues.map((issue) => ({
    file,
    message: `${issue.path.length ? issue.path.join(".") + ": " : ""}${issue.message}`,
  }));
}

function loadTask(dir: string, id: string, problems: PackProblem[]): Task | null {
  const taskDir = join(dir, "tasks", id);
  const metaFile = join(taskDir, "task.json");
  const raw = readJson(metaFile, problems);
  if (raw === undefined) return null;
  const meta = taskMetaSchema.safeParse(raw);
  if (!meta.success) {
    problems.push(...zodProblems(metaFile, meta.error));
    return null;
  }
  const instructions = readText(join(taskDir, "instructions.md"), problems);
  const starter = readText(join(taskDir, "starter.js"), problems);
  const solution = readText(join(taskDir, "solution.js"), problems);
  const checks = readText(join(taskDir, "checks.js"), problems);
  const hidden = readText(join(taskDir, "hidden.js"), problems, true);
  if (instructions === null || starter === null || solution === null || checks === null) return null;
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
    timeBudgetMs: meta.data.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS,
  };
}

/** Loads and validates the pack in `dir`. */
export function loadPack(dir: string): PackLoadResult {
  const problems: PackProblem[] = [];
  const metaFile = join(dir, "pack.json");
  const raw = readJson(metaFile, problems);
  if (raw === undefined) return { ok: false, dir, problems };
  const meta = packMetaSchema.safeParse(raw);
  if (!meta.success) return { ok: false, dir, problems: zodProblems(metaFile, meta.error) };

  const expositionDir = join(dir, "exposition");
  const exposition: Snippet[] = existsSync(expositionDir)
    ? readdirSync(expositionDir)
        .filter((f) => f.endsWith(".md"))
        .sort()
        .map((f) => ({ id: f.replace(/\.md$/, ""), markdown: readFileSync(join(expositionDir, f), "utf8") }))
    : [];

  const tasks: Task[] = [];
  for (const id of meta.data.tasks) {
    const task = loadTask(dir, id, problems);
    if (task) tasks.push(task);
  }
  if (problems.length > 0) return { ok: false, dir, problems };
  const { tasks: _ids, ...rest } = meta.data;
  return { ok: true, pack: { ...rest, exposition, tasks } };
}

/** Loads every pack folder directly inside `root`. */
export function loadPacks(root: string): PackLoadResult[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => !name.startsWith(".") && statSync(join(root, name)).isDirectory())
    .sort()
    .map((name) => loadPack(join(root, name)));
}
