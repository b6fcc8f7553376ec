/**
 * The session pack format: what a host writes in `sessions/<pack-id>/`.
 *
 *   sessions/<pack-id>/pack.json            { id, title, track, duration, level, summary?, tasks: [taskId…] }
 *   sessions/<pack-id>/exposition/NN-*.md    exposition snippets, broadcast in file-name order
 *   sessions/<pack-id>/tasks/<taskId>/task.json      { title, modules?, seed?, timeBudgetMs?, hints?, accelerate? }
 *   sessions/<pack-id>/tasks/<taskId>/instructions.md
 *   sessions/<pack-id>/tasks/<taskId>/starter.js     what the attendee starts from
 *   sessions/<pack-id>/tasks/<taskId>/solution.js    the reference solution
 *   sessions/<pack-id>/tasks/<taskId>/checks.js      visible checks (sent to attendees)
 *   sessions/<pack-id>/tasks/<taskId>/hidden.js      hidden checks (server only; optional)
 *   sessions/<pack-id>/modules/<name>.js      given code any task may import as "pack/<name>"
 *                                             (sent to attendees; optional)
 *
 * Check modules `import * as attempt from "attempt"` (the attendee's module) and the checks API
 * from "scratch/check".
 */

import type { Accelerate } from "../../sandbox/events.js";

export type Track = "workshop" | "seminar" | "demo";

export interface Snippet {
  /** Stable id within the pack (the file name without extension). */
  id: string;
  markdown: string;
}

export interface Task {
  id: string;
  title: string;
  instructions: string;
  starter: string;
  solution: string;
  checks: string;
  hidden: string | null;
  hints: string[];
  /** Allowed `scratch` sub-modules; undefined means all. */
  modules?: string[];
  seed?: number;
  /** The pack's own modules ("pack/<name>" → source), given to every run of the task. */
  packModules?: Record<string, string>;
  timeBudgetMs: number;
  /** What the room computes this task with; undefined means "cpu" (wasm, like verify). */
  accelerate?: Exclude<Accelerate, "cpu">;
}

export interface Pack {
  id: string;
  title: string;
  track: Track;
  /** Minutes. */
  duration: number;
  level: "beginner" | "intermediate" | "advanced";
  summary?: string;
  exposition: Snippet[];
  tasks: Task[];
  /** Set on packs uploaded through the start page (server/packs/catalog.ts), not shipped in sessions/. */
  uploaded?: true;
}

/** What an attendee may see of a task before the host reveals more: no solution, no hidden checks. */
export interface PublicTask {
  id: string;
  title: string;
  instructions: string;
  starter: string;
  checks: string;
  modules?: string[];
  seed?: number;
  packModules?: Record<string, string>;
  timeBudgetMs: number;
  hintCount: number;
  accelerate?: Exclude<Accelerate, "cpu">;
}

export function publicTask(task: Task): PublicTask {
  return {
    id: task.id,
    title: task.title,
    instructions: task.instructions,
    starter: task.starter,
    checks: task.checks,
    ...(task.modules ? { modules: task.modules } : {}),
    ...(task.seed !== undefined ? { seed: task.seed } : {}),
    ...(task.packModules ? { packModules: task.packModules } : {}),
    timeBudgetMs: task.timeBudgetMs,
    hintCount: task.hints.length,
    ...(task.accelerate ? { accelerate: task.accelerate } : {}),
  };
}
