/**
 * Writes small packs into a temporary folder for loader and verify tests: a valid pack by default,
 * with any file replaced (string) or removed (null); and minimal packs held in memory.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Pack, Task } from "../format.js";

export const validFiles: Record<string, string> = {
  "pack.json": JSON.stringify(
    {
      id: "tiny",
      title: "Tiny pack",
      track: "workshop",
      duration: 30,
      level: "beginner",
      tasks: ["double"],
    },
    null,
    2,
  ),
  "exposition/01-intro.md": "# Doubling\n\nWe compute $y = 2x$.\n",
  "tasks/double/task.json": JSON.stringify(
    {
      title: "Double it",
      modules: ["scratch/check"],
      seed: 0,
      timeBudgetMs: 5000,
      hints: ["Multiply by 2."],
    },
    null,
    2,
  ),
  "tasks/double/instructions.md": "Write `double(x)` returning $2x$.\n",
  "tasks/double/starter.js": "export function double(x) {\n  return x; // TODO\n}\n",
  "tasks/double/solution.js": "export function double(x) {\n  return 2 * x;\n}\n",
  "tasks/double/checks.js":
    'import { check, expectClose } from "scratch/check";\nimport * as attempt from "attempt";\n\ncheck("double 2 is 4", () => expectClose(attempt.double(2), 4));\n',
  "tasks/double/hidden.js":
    'import { check, expectClose } from "scratch/check";\nimport * as attempt from "attempt";\n\ncheck("double -3 is -6", () => expectClose(attempt.double(-3), -6));\n',
};

export interface Fixture {
  root: string;
  dir: string;
  cleanup(): void;
}

/** A pack folder named `name` (default "tiny") inside a fresh temporary root. */
export function writePack(changes: Record<string, string | null> = {}, name = "tiny"): Fixture {
  const root = mkdtempSync(join(tmpdir(), "scratchroom-pack-"));
  const dir = join(root, name);
  const files = { ...validFiles, ...changes };
  for (const [path, text] of Object.entries(files)) {
    if (text === null) continue;
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { root, dir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A task held in memory with nothing in its files: for tests that need a pack's shape, not its code. */
export function emptyTask(id: string): Task {
  return {
    id,
    title: id.toUpperCase(),
    instructions: "",
    starter: "",
    solution: "",
    checks: "",
    hidden: null,
    hints: [],
    timeBudgetMs: 1000,
  };
}

/** A workshop pack held in memory, with these tasks (by id) and nothing in their files. */
export function emptyPack(id: string, title: string, taskIds: string[]): Pack {
  return {
    id,
    title,
    track: "workshop",
    duration: 30,
    level: "beginner",
    exposition: [],
    tasks: taskIds.map(emptyTask),
  };
}
