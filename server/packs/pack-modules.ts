/**
 * A pack's own modules: `sessions/<pack>/modules/<name>.js`, imported by the pack's tasks as
 * `pack/<name>`. They hold the code every task of a pack is given (an environment, a data
 * generator, the pieces built in earlier tasks), so a starter shows only what the attendee works
 * on and the starter, solution and checks share one copy.
 *
 * Pack modules are sent to attendees like starters: they must never contain a solution.
 * They import under the importing task's rule (its allowed `scratch` sub-modules) plus each other;
 * never "attempt".
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PACK_MODULE_NAME } from "../../sandbox/runner/modules.js";
import { analyseFile, type ModuleFacts } from "./js-module.js";
import type { PackProblem } from "./problem.js";
import { SCRATCH_MODULES, UMBRELLA } from "./scratch-exports.js";

export interface PackModule {
  /** The specifier tasks import it by: "pack/<name>". */
  specifier: string;
  file: string;
  source: string;
  facts: ModuleFacts;
}

/** A pack's modules by specifier. */
export type PackModules = ReadonlyMap<string, PackModule>;

const isScratch = (name: string) =>
  name === UMBRELLA || (SCRATCH_MODULES as readonly string[]).includes(name);

/** Reads and parses `<dir>/modules/*.js`; reports bad names, syntax errors and unknown imports. */
export function loadPackModules(dir: string, problems: PackProblem[]): PackModules {
  const modulesDir = join(dir, "modules");
  const out = new Map<string, PackModule>();
  if (!existsSync(modulesDir)) return out;
  const files = readdirSync(modulesDir).sort();
  for (const name of files) {
    const file = join(modulesDir, name);
    const specifier = `pack/${name.replace(/\.js$/, "")}`;
    if (!name.endsWith(".js") || !PACK_MODULE_NAME.test(specifier)) {
      problems.push({
        file,
        message: "pack module files are modules/<name>.js, the name lower-case letters, digits and dashes",
      });
      continue;
    }
    const source = readFileSync(file, "utf8");
    out.set(specifier, { specifier, file, source, facts: analyseFile(file, source, problems) });
  }
  for (const module of out.values()) {
    if (!module.facts.ok) continue;
    for (const { name, line } of module.facts.imports) {
      if (isScratch(name) || out.has(name)) continue;
      problems.push({
        file: module.file,
        line,
        message:
          name === "attempt"
            ? `imports "attempt": pack modules are given code and cannot see the attendee's module`
            : `imports "${name}": a pack module may import only "scratch", its sub-modules and the pack's modules (${[...out.keys()].join(", ")})`,
      });
    }
  }
  return out;
}

/** The pack modules `imports` reach, directly or through other pack modules. */
export function reachablePackModules(imports: readonly string[], modules: PackModules): PackModule[] {
  const seen = new Map<string, PackModule>();
  const visit = (name: string) => {
    const module = modules.get(name);
    if (!module || seen.has(name)) return;
    seen.set(name, module);
    if (module.facts.ok) for (const i of module.facts.imports) visit(i.name);
  };
  for (const name of imports) visit(name);
  return [...seen.values()];
}

/**
 * A task may only use pack modules whose `scratch` imports it allows: the runner applies the task's
 * rule to them, so the run would fail for everyone.
 */
export function packModuleProblemsForTask(
  taskId: string,
  imports: readonly string[],
  allowed: readonly string[],
  modules: PackModules,
): PackProblem[] {
  const problems: PackProblem[] = [];
  for (const module of reachablePackModules(imports, modules)) {
    if (!module.facts.ok) continue;
    for (const { name, line } of module.facts.imports) {
      if (isScratch(name) && !allowed.includes(name)) {
        problems.push({
          file: module.file,
          line,
          message: `imports "${name}", which task "${taskId}" (which uses ${module.specifier}) does not allow in its task.json modules`,
        });
      }
    }
  }
  return problems;
}

/** The specifier → source map a run request carries. */
export function packModuleSources(modules: PackModules): Record<string, string> {
  return Object.fromEntries([...modules.values()].map((m) => [m.specifier, m.source]));
}
