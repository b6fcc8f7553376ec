/**
 * The workshop packs for topics 1–6: each loads as a workshop pack with the shape a host relies on
 * (2–6 short snippets, 2–5 tasks from warm-up to the core algorithm, hints, a seed, a budget within
 * the 60 s ceiling, a starter with TODOs), and the topics that are about writing something by hand
 * withhold the library's ready-made version. Running the code is `scratchroom verify`'s job
 * (sessions/verify.test.ts).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Pack } from "../../server/packs/format.js";
import { loadPack } from "../../server/packs/load.js";

const root = join(import.meta.dirname, "..", "..", "sessions");
const PACKS = [
  "w01-introduction",
  "w02-simple-linear-regression",
  "w03-multiple-linear-regression",
  "w04-neural-networks-1",
  "w05-neural-networks-2",
  "w06-classification",
];

function load(id: string): Pack {
  const result = loadPack(join(root, id));
  if (!result.ok) throw new Error(`${id}: ${JSON.stringify(result.problems, null, 2)}`);
  return result.pack;
}

describe.each(PACKS)("pack %s", (id) => {
  it("loads as a workshop pack with 2–6 short snippets and 2–5 tasks", () => {
    const pack = load(id);
    expect(pack.id).toBe(id);
    expect(pack.track).toBe("workshop");
    expect(pack.exposition.length).toBeGreaterThanOrEqual(2);
    expect(pack.exposition.length).toBeLessThanOrEqual(6);
    for (const snippet of pack.exposition) expect(snippet.markdown.length, snippet.id).toBeLessThan(1200);
    expect(pack.tasks.length).toBeGreaterThanOrEqual(2);
    expect(pack.tasks.length).toBeLessThanOrEqual(5);
  });

  it("gives every task instructions, hints, a seed, a budget within 60 s and a starter with TODOs", () => {
    for (const task of load(id).tasks) {
      expect(task.instructions.trim().length, task.id).toBeGreaterThan(100);
      expect(task.hints.length, task.id).toBeGreaterThanOrEqual(2);
      expect(task.seed, task.id).toBeTypeOf("number");
      expect(task.timeBudgetMs, task.id).toBeLessThanOrEqual(60_000);
      expect(task.modules, task.id).toContain("scratch/check");
      expect(task.starter, task.id).toMatch(/TODO/);
      expect(task.starter, task.id).not.toBe(task.solution);
    }
  });
});

describe("topics written by hand", () => {
  it("no workshop 1–6 task hands out autograd, nn or optim: gradients are derived by hand", () => {
    for (const id of PACKS) {
      for (const task of load(id).tasks) {
        for (const module of ["scratch/autograd", "scratch/nn", "scratch/optim"]) {
          expect(task.modules, `${id}/${task.id}`).not.toContain(module);
        }
      }
    }
  });

  it("plain-JavaScript warm-ups allow no tensors", () => {
    const plain: [string, string][] = [
      ["w01-introduction", "js-warmup"],
      ["w02-simple-linear-regression", "predict-and-cost"],
      ["w02-simple-linear-regression", "gradients"],
      ["w04-neural-networks-1", "neuron"],
      ["w06-classification", "metrics"],
    ];
    for (const [packId, taskId] of plain) {
      const modules = load(packId).tasks.find((t) => t.id === taskId)?.modules ?? [];
      expect(modules, `${packId}/${taskId}`).not.toContain("scratch/tensor");
    }
  });

  it("data comes from the npm data packages through scratch/data, or from seeded generators", () => {
    for (const id of PACKS) {
      for (const task of load(id).tasks) {
        for (const source of [task.starter, task.solution]) {
          expect(source, `${id}/${task.id}`).not.toMatch(/\bfetch\s*\(|XMLHttpRequest|https?:\/\//);
          if (/\bdata\.\w+\(/.test(source))
            expect(task.modules, `${id}/${task.id}`).toContain("scratch/data");
        }
      }
    }
  });
});
