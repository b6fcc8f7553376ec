/**
 * What `scratchroom run FILE` needs to run a file the way the room runs it: the pack the file sits
 * in (the nearest folder above it with a pack.json, or `--pack DIR`), its task (the tasks/<id>/
 * folder the file sits in, or `--task ID`), and from those the task's module rule, seed, time
 * budget, visible (and, on request, hidden) checks and the pack's `pack/<name>` modules.
 *
 * Only the files the run needs are read, so one task can be run while the rest of the pack is still
 * being written; problems in them (bad task.json, a broken pack module) are returned as warnings in
 * `file:line: message` form, since the run itself reports what actually breaks.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import type { CheckModule, RunRequest } from "../../sandbox/events.js";
import { parseJson } from "./json-lines.js";
import { DEFAULT_TIME_BUDGET_MS, formatProblems, taskMetaSchema, type PackProblem } from "./load.js";
import { loadPackModules, packModuleSources } from "./pack-modules.js";

export interface TaskContextOptions {
  /** The pack folder; default: the nearest folder above the file holding a pack.json. */
  pack?: string;
  /** The task id; default: the tasks/<id>/ folder the file sits in. */
  task?: string;
  /** Also run the task's hidden.js, as the server's verification does. */
  hidden?: boolean;
}

/** The parts of a run request a pack and task decide, and a line saying where they came from. */
export interface TaskContext {
  request: Pick<RunRequest, "allowedModules" | "packModules" | "seed" | "checks"> & {
    limits?: { timeoutMs: number };
  };
  /** e.g. `pack "iris" (sessions/iris), task "fit-iris": modules scratch/tensor, scratch/check`. */
  description: string;
  /** Problems found in the files read, `file:line: message` each. */
  warnings: string[];
}

export type TaskContextResult = { ok: true; context: TaskContext | null } | { ok: false; message: string };

const isDir = (path: string) => existsSync(path) && statSync(path).isDirectory();

/** The nearest folder at or above `start` that holds a pack.json. */
function findPackDir(start: string): string | undefined {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, "pack.json"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The task folder the file sits in: <pack>/tasks/<id>/…, or undefined. */
function taskOfFile(packDir: string, file: string): string | undefined {
  const parts = relative(packDir, file).split(sep);
  return parts[0] === "tasks" && parts.length >= 3 ? parts[1] : undefined;
}

/**
 * The pack and task context of `file`, or null when the file is in no pack (and none was named):
 * a plain file runs with every `scratch` module allowed, as before.
 */
export function taskContext(file: string, options: TaskContextOptions = {}): TaskContextResult {
  const absolute = resolve(file);
  const packDir = options.pack ? resolve(options.pack) : findPackDir(dirname(absolute));
  if (packDir === undefined) {
    return options.task
      ? {
          ok: false,
          message: `--task ${options.task} needs a pack: FILE is in no pack folder; add --pack DIR`,
        }
      : { ok: true, context: null };
  }
  if (!existsSync(join(packDir, "pack.json"))) {
    return { ok: false, message: `${packDir} is not a pack folder (it has no pack.json)` };
  }
  const problems: PackProblem[] = [];
  const packModules = packModuleSources(loadPackModules(packDir, problems));
  const request: TaskContext["request"] = {};
  if (Object.keys(packModules).length > 0) request.packModules = packModules;
  const packLabel = `pack "${basename(packDir)}" (${relative(process.cwd(), packDir) || "."})`;
  const taskId = options.task ?? taskOfFile(packDir, absolute);
  if (taskId === undefined) {
    return {
      ok: true,
      context: {
        request,
        description: `${packLabel}, no task: every scratch module allowed (add --task ID for a task's rule)`,
        warnings: problems.length ? formatProblems(problems).split("\n") : [],
      },
    };
  }
  const taskDir = join(packDir, "tasks", taskId);
  if (!isDir(taskDir)) return { ok: false, message: `${packLabel} has no task "${taskId}" (no ${taskDir})` };
  const metaFile = join(taskDir, "task.json");
  let timeoutMs = DEFAULT_TIME_BUDGET_MS;
  if (existsSync(metaFile)) {
    const parsed = parseJson(readFileSync(metaFile, "utf8"));
    if (!parsed.ok)
      problems.push({ file: metaFile, line: parsed.line, message: `invalid JSON: ${parsed.message}` });
    else {
      const meta = taskMetaSchema.safeParse(parsed.doc.value);
      if (!meta.success) {
        for (const issue of meta.error.issues) {
          problems.push({ file: metaFile, line: parsed.doc.lineOf(issue.path), message: issue.message });
        }
      } else {
        if (meta.data.modules) request.allowedModules = meta.data.modules;
        if (meta.data.seed !== undefined) request.seed = meta.data.seed;
        if (meta.data.timeBudgetMs !== undefined) timeoutMs = meta.data.timeBudgetMs;
      }
    }
  } else problems.push({ file: metaFile, message: "file is missing" });
  request.limits = { timeoutMs };
  const name = basename(absolute);
  const checks: CheckModule[] = [];
  if (name !== "checks.js" && name !== "hidden.js") {
    const visible = join(taskDir, "checks.js");
    if (existsSync(visible)) checks.push({ name: "checks.js", source: readFileSync(visible, "utf8") });
    const hidden = join(taskDir, "hidden.js");
    if (options.hidden && existsSync(hidden)) {
      checks.push({ name: "hidden.js", source: readFileSync(hidden, "utf8"), hidden: true });
    }
  }
  if (checks.length > 0) request.checks = checks;
  const rule = request.allowedModules
    ? `modules ${request.allowedModules.join(", ")}`
    : "every scratch module";
  const withChecks = checks.length ? `, with ${checks.map((c) => c.name).join(" and ")}` : "";
  return {
    ok: true,
    context: {
      request,
      description: `${packLabel}, task "${taskId}": ${rule}${request.seed !== undefined ? `, seed ${request.seed}` : ""}, budget ${timeoutMs} ms${withChecks}`,
      warnings: problems.length ? formatProblems(problems).split("\n") : [],
    },
  };
}
