/**
 * The workshop packs for topics 7–12 and the ResNet hackathon: each loads cleanly and has the
 * shape a host relies on (a few snippets, warm-up-to-core tasks, hints, a seed and a budget that
 * fits the 60 s ceiling), and the "write it yourself" tasks really withhold the ready-made layer.
 * Running the code itself is `scratchroom verify`'s job.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPack } from "../../server/packs/load.js";
import type { Pack } from "../../server/packs/format.js";

const root = join(import.meta.dirname, "..", "..", "sessions");
const PACKS = [
  "w07-convolutional-networks",
  "w08-language-models",
  "w09-rl-the-market",
  "w10-markov-decision-processes",
  "w11-rnns-and-lstms",
  "w12-lstm-time-series",
  "hackathon-resnet",
];

const loaded = new Map<string, Pack>();

/** Loads a pack once per test file (parsing and KaTeX-checking a pack is not free). */
function load(id: string): Pack {
  const cached = loaded.get(id);
  if (cached) return cached;
  const result = loadPack(join(root, id));
  if (!result.ok) throw new Error(`${id}: ${JSON.stringify(result.problems, null, 2)}`);
  loaded.set(id, result.pack);
  return result.pack;
}

describe.each(PACKS)("pack %s", (id) => {
  it("loads as a workshop pack with 2–6 snippets and 2–5 tasks", () => {
    const pack = load(id);
    expect(pack.id).toBe(id);
    expect(pack.track).toBe("workshop");
    expect(pack.exposition.length).toBeGreaterThanOrEqual(2);
    expect(pack.exposition.length).toBeLessThanOrEqual(6);
    expect(pack.tasks.length).toBeGreaterThanOrEqual(2);
    expect(pack.tasks.length).toBeLessThanOrEqual(5);
  });

  it("gives every task instructions, hints, a seed, a budget within 60 s and a starter unlike the solution", () => {
    for (const task of load(id).tasks) {
      expect(task.instructions.trim().length, task.id).toBeGreaterThan(100);
      expect(task.hints.length, task.id).toBeGreaterThanOrEqual(2);
      expect(task.seed, task.id).toBeTypeOf("number");
      expect(task.timeBudgetMs, task.id).toBeLessThanOrEqual(60_000);
      expect(task.starter, task.id).not.toBe(task.solution);
      expect(task.starter, task.id).toMatch(/TODO/);
    }
  });
});

describe("tasks where attendees write the layer themselves", () => {
  const withheld: [string, string][] = [
    ["w11-rnns-and-lstms", "rnn-cell"],
    ["w11-rnns-and-lstms", "lstm-cell"],
    ["w11-rnns-and-lstms", "char-lstm"],
    ["w08-language-models", "mlp-language-model"],
    ["w08-language-models", "causal-attention"],
    ["w12-lstm-time-series", "lstm-forecaster"],
  ];
  it.each(withheld)("%s/%s does not allow scratch/nn", (packId, taskId) => {
    const task = load(packId).tasks.find((t) => t.id === taskId);
    expect(task?.modules).toBeDefined();
    expect(task?.modules).not.toContain("scratch/nn");
  });

  it("plain-JS tasks (convolution by hand, bandits, grid worlds) allow no tensors at all", () => {
    const plain: [string, string][] = [
      ["w07-convolutional-networks", "convolution-by-hand"],
      ["w07-convolutional-networks", "pooling-and-relu"],
      ["w09-rl-the-market", "epsilon-greedy"],
      ["w10-markov-decision-processes", "value-iteration"],
    ];
    for (const [packId, taskId] of plain) {
      const modules = load(packId).tasks.find((t) => t.id === taskId)?.modules ?? [];
      expect(modules, `${packId}/${taskId}`).not.toContain("scratch/tensor");
    }
  });
});
