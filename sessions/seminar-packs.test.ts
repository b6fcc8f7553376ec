/**
 * Structure of the graduate-seminar track (issue 8): twelve packs that load, each shaped like the
 * seminar's two evenings, and tasks whose checks only call what the attendee module exports.
 * Whether each reference passes and each starter fails is `scratchroom verify`'s job.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Pack } from "../server/packs/format.js";
import { loadPack } from "../server/packs/load.js";

const SEMINAR = [
  "g01-glm",
  "g02-vae",
  "g03-hmm",
  "g04-gaussian-processes",
  "g05-gan",
  "g06-intro-rl",
  "g07-kalman-particle",
  "g08-deep-rl",
  "g09-bbvi",
  "g10-actor-critic",
  "g11-diffusion",
  "g12-transformers",
];

const root = fileURLToPath(new URL(".", import.meta.url));

function load(id: string): Pack {
  const result = loadPack(join(root, id));
  if (!result.ok) throw new Error(`${id}: ${JSON.stringify(result.problems)}`);
  return result.pack;
}

/** Names the attendee module exports: `export function f`, `export const a = …, b`, `export class C`. */
function exportedNames(source: string): Set<string> {
  const names = new Set<string>();
  for (const m of source.matchAll(
    /^export\s+(?:async\s+)?(?:function\*?|class|const|let|var)\s+([A-Za-z_$][\w$]*)/gm,
  )) {
    names.add(m[1]!);
  }
  return names;
}

/** Names the checks read from the attendee module: `attempt.name`. */
function attemptUses(checks: string): Set<string> {
  return new Set([...checks.matchAll(/\battempt\.([A-Za-z_$][\w$]*)/g)].map((m) => m[1]!));
}

describe("the seminar track", () => {
  for (const id of SEMINAR) {
    describe(id, () => {
      const pack = load(id);

      it("is a seminar pack named after its folder", () => {
        expect(pack.id).toBe(id);
        expect(pack.track).toBe("seminar");
      });

      it("has 2-6 theory snippets, each with KaTeX math", () => {
        expect(pack.exposition.length).toBeGreaterThanOrEqual(2);
        expect(pack.exposition.length).toBeLessThanOrEqual(6);
        for (const snippet of pack.exposition) expect(snippet.markdown, snippet.id).toMatch(/\$[^$]+\$/);
      });

      it("has 3-6 tasks with instructions, hints and a time budget within 60 s", () => {
        expect(pack.tasks.length).toBeGreaterThanOrEqual(3);
        expect(pack.tasks.length).toBeLessThanOrEqual(6);
        for (const task of pack.tasks) {
          expect(task.instructions.length, task.id).toBeGreaterThan(100);
          expect(task.hints.length, task.id).toBeGreaterThan(0);
          expect(task.timeBudgetMs, task.id).toBeLessThanOrEqual(60_000);
        }
      });

      it("checks call only what both the starter and the solution export", () => {
        for (const task of pack.tasks) {
          const used = new Set([...attemptUses(task.checks), ...attemptUses(task.hidden ?? "")]);
          expect(used.size, `${task.id} checks read nothing from attempt`).toBeGreaterThan(0);
          for (const [which, source] of [
            ["solution", task.solution],
            ["starter", task.starter],
          ] as const) {
            const exported = exportedNames(source);
            const missing = [...used].filter((name) => !exported.has(name));
            expect(missing, `${task.id}/${which}.js does not export`).toEqual([]);
          }
        }
      });

      it("imports only from scratch, the attempt module and the pack's own modules", () => {
        for (const task of pack.tasks) {
          const given = Object.keys(task.packModules ?? {});
          for (const source of [task.starter, task.solution, task.checks, task.hidden ?? ""]) {
            for (const m of source.matchAll(/^import\s[^"']*["']([^"']+)["']/gm)) {
              if (given.includes(m[1]!)) continue;
              expect(m[1], task.id).toMatch(/^(scratch(\/[a-z]+)?|attempt)$/);
            }
          }
          for (const source of Object.values(task.packModules ?? {})) {
            for (const m of source.matchAll(/^import\s[^"']*["']([^"']+)["']/gm)) {
              expect(m[1], task.id).toMatch(/^(scratch(\/[a-z]+)?|pack\/[a-z0-9-]+)$/);
            }
          }
        }
      });
    });
  }
});
