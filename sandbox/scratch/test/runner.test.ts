/**
 * The `scratch` library inside the real sandbox runner (QuickJS in worker threads): the training
 * programs, verified by check modules; the guaranteed API; withholding autograd; tensor cleanup.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckResult, RunEvent, RunRequest } from "../../events.js";
import { createNodeRunner } from "../../runner/node.js";
import type { DoneEvent } from "../../runner/runner.js";
import { PROGRAMS, programSource } from "../programs/cases.js";

const runner = createNodeRunner({ poolSize: 1, library: new URL("../library.ts", import.meta.url) });
beforeAll(() => runner.ready(), 120_000);
afterAll(() => runner.close());

async function run(
  request: RunRequest,
): Promise<{ events: RunEvent[]; done: DoneEvent; checks: CheckResult[] }> {
  const events: RunEvent[] = [];
  const done = await runner.run(request, (e) => events.push(e));
  const checks = events.flatMap((e) => (e.type === "check" ? [e.check] : []));
  return { events, done, checks };
}

describe("training programs inside the sandbox", () => {
  for (const program of PROGRAMS) {
    it(
      program.name,
      async () => {
        const { done, checks } = await run({
          source: programSource(program.file),
          filename: `${program.file}.js`,
          checks: [{ name: "verify.js", source: program.verify }],
          limits: { timeoutMs: program.timeoutMs },
        });
        expect(done.error).toBeUndefined();
        expect(done.status).toBe("ok");
        expect(checks.length).toBeGreaterThan(0);
        for (const c of checks) expect(c, c.name).toMatchObject({ passed: true });
      },
      program.timeoutMs + 30_000,
    );
  }
});

describe("scratch in the sandbox", () => {
  it("streams plots and metrics as events", async () => {
    const { done, events } = await run({
      source: `import { tensor, plot, metrics } from "scratch";
        plot.line(tensor([3, 2, 1]), { title: "loss" });
        plot.image(tensor([[0, 1], [1, 0]]));
        metrics.log("loss", 0.5);`,
    });
    expect(done.status).toBe("ok");
    const out = events.filter((e) => e.type === "plot" || e.type === "metric");
    expect(out).toMatchObject([
      { type: "plot", plot: { kind: "line", title: "loss", series: [{ x: [0, 1, 2], y: [3, 2, 1] }] } },
      { type: "plot", plot: { kind: "image", values: [0, 1, 1, 0], shape: [2, 2] } },
      { type: "metric", name: "loss", step: 0, value: 0.5 },
    ]);
  });

  it("carries NaN and ±Infinity in plots as those numbers (tensors and arrays, x, y and values)", async () => {
    const { done, events } = await run({
      source: `import { tensor, plot } from "scratch";
        plot.line(tensor([1, 1, -1, 0]).div(tensor([1, 0, 0, 0])), { id: "t" });
        plot.scatter([0, Infinity], [-Infinity, NaN], { id: "s" });
        plot.heatmap([[1, -Infinity], [Infinity, NaN]], { id: "h" });`,
    });
    expect(done.status).toBe("ok");
    const plots = Object.fromEntries(events.flatMap((e) => (e.type === "plot" ? [[e.plot.id, e.plot]] : [])));
    // [1/1, 1/0, −1/0, 0/0]
    const line = plots.t?.series?.[0]?.y ?? [];
    expect(line.slice(0, 3)).toEqual([1, Infinity, -Infinity]);
    expect(line[3]).toBeNaN();
    expect(plots.s?.series?.[0]?.x).toEqual([0, Infinity]);
    expect(plots.s?.series?.[0]?.y[0]).toBe(-Infinity);
    expect(plots.s?.series?.[0]?.y[1]).toBeNaN();
    expect(plots.h?.values?.slice(0, 3)).toEqual([1, -Infinity, Infinity]);
    expect(plots.h?.values?.[3]).toBeNaN();
  });

  it("withholds autograd when the task does not allow it", async () => {
    const { done } = await run({
      source: `import { randn } from "scratch"; randn([2]).requiresGrad();`,
      allowedModules: ["scratch/tensor", "scratch/nn"],
    });
    expect(done.status).toBe("error");
    expect(done.error?.message).toMatch(
      /autograd is not available in this task: compute the gradients yourself/,
    );
    const { done: imported } = await run({
      source: `import { noGrad } from "scratch/autograd";`,
      allowedModules: ["scratch/tensor"],
    });
    expect(imported.status).toBe("error");
    expect(imported.error?.kind).toBe("import");
  });

  it("a kernel's refusal names the scratch function, the shapes and the attendee's line", async () => {
    const { done } = await run({
      source: `import { tensor, solve } from "scratch";\nconst a = tensor([[1, 2], [2, 4]]);\nsolve(a, tensor([[1], [1]]));`,
      filename: "main.js",
    });
    expect(done.status).toBe("error");
    expect(done.error?.message).toMatch(
      /^RangeError: solve: the matrix is singular \(no usable pivot in column 1\); called with shapes \[2,2\] and \[2,1\]$/,
    );
    expect(done.error?.line).toBe(3);
  });

  it("gives a checks module the hint of expectClose", async () => {
    const { checks } = await run({
      source: `import { tensor } from "scratch"; export const w = tensor([[1, 2], [3, 4]]).transpose();`,
      checks: [
        {
          name: "verify.js",
          source: `import * as attempt from "attempt";
            import { check, expectClose } from "scratch/check";
            check("weights", () => expectClose(attempt.w, [[1, 2], [3, 4]]));`,
        },
      ],
    });
    expect(checks).toEqual([
      {
        name: "weights",
        passed: false,
        message: "element [0, 1]: expected 2, got 3 (2 of 4 elements differ)",
        hint: "looks transposed",
      },
    ]);
  });

  it("names the export a check needs and the attendee's code lacks", async () => {
    const { checks } = await run({
      source: `export function forward(x) { return x; }\nexport function helper() { return null.boom(); }`,
      checks: [
        {
          name: "verify.js",
          source: `import * as attempt from "attempt";
            import { check } from "scratch/check";
            check("one line", () => attempt.step(1));
            check("several calls", () => {
              const y = attempt.forward(1);
              return attempt.backward(y);
            });
            check("a bug inside the attendee's function", () => attempt.helper());`,
        },
      ],
    });
    const hint = (name: string) =>
      `add \`export function ${name}(…)\` (or \`export const ${name} = …\`) with exactly this name`;
    expect(checks.slice(0, 2)).toEqual([
      {
        name: "one line",
        passed: false,
        message: "your code does not export step (the check calls attempt.step, which is undefined)",
        hint: hint("step"),
      },
      {
        name: "several calls",
        passed: false,
        message: "your code does not export backward (the check calls attempt.backward, which is undefined)",
        hint: hint("backward"),
      },
    ]);
    expect(checks[2]).toMatchObject({ name: "a bug inside the attendee's function", passed: false });
    expect(checks[2]?.message).not.toMatch(/does not export/);
  });

  it("checks gradients against the tfjs oracle on wasm (conv2d, gather, crossEntropy)", async () => {
    const { done, checks } = await run({
      source: `export const ok = true;`,
      checks: [
        {
          name: "grads.js",
          source: `import { randn, randint, conv2d, nn } from "scratch";
            import { check, gradCheck } from "scratch/check";
            check("conv2d", () => gradCheck((x, w) => conv2d(x, w, { stride: 2, padding: 1 }), [randn([2, 3, 7, 7]), randn([4, 3, 3, 3])],
              { oracle: "conv2d", attrs: { stride: [2, 2], padding: [1, 1] } }));
            check("gather", () => gradCheck((x, i) => x.gather(i), [randn([5, 3]), randint(0, 5, [7])], { oracle: "gather", wrt: [0] }));
            check("crossEntropy", () => gradCheck((l, y) => nn.crossEntropy(l, y), [randn([6, 4]), randint(0, 4, [6])], { oracle: "crossEntropy", wrt: [0] }));`,
        },
      ],
    });
    expect(done.status).toBe("ok");
    expect(checks).toEqual([
      { name: "conv2d", passed: true },
      { name: "gather", passed: true },
      { name: "crossEntropy", passed: true },
    ]);
  });

  it("__host.backward refuses forged walks and frees nothing it did not make", async () => {
    const { done, events } = await run({
      source: `
const k = __host.k, b = __host.backward;
const x = k("fill", [4, 2], 1, "float32"), w = k("fill", [2, 3], 0.5, "float32"), bias = k("fill", [3], 0, "float32");
const labels = k("tensor", [0, 1, 2, 0], [4], "float32");
const y = k("linear", x, w, bias);
const [loss, logp] = k("crossEntropy", y, labels);
const nodes = [loss, 1, y, y, 3, x, w, bias];
const out = [];
out.push(b(loss, JSON.stringify([loss, 1, w]), "[]"));                 // inputs that are not the recorded ones
out.push(b(y, JSON.stringify(nodes), "[]"));                           // root is not the first node
out.push(b(loss, JSON.stringify(nodes), JSON.stringify([y])));        // a node given as a leaf
out.push(b(loss, JSON.stringify([loss, 9, y]), "[]"));                // a malformed node list
out.push(b(123456789, "[123456789, 0]", "[]"));                        // a forged root
const sneaky = [...nodes]; sneaky.toJSON = () => { k("fill", [1], 1, "float32"); return nodes; };
try { b(loss, sneaky, "[]"); } catch (e) { out.push(e.message); }
try { b(loss, "x".repeat(20), "[]"); } catch (e) { out.push(e.message); }
const grads = b(loss, JSON.stringify(nodes), JSON.stringify([w, bias]));
out.push(grads.map((g) => __host.shape(g)).join(" "));
out.push(b(loss, JSON.stringify(nodes), JSON.stringify([w, bias])));  // walked once: the tape forgot it
for (const t of [x, w, bias, labels, y, loss, logp]) __host.shape(t);  // every tensor the program holds lives
console.log(JSON.stringify(out));`,
    });
    expect(done.status, done.error?.message).toBe("ok");
    const lines = events.flatMap((e) => (e.type === "console" ? [e.text] : []));
    expect(JSON.parse(lines[0]!)).toEqual([
      null,
      null,
      null,
      null,
      null,
      "backward argument 2: could not be read",
      "backward argument 2: expected a list of at most 1048576 integers",
      "2,3 3",
      null,
    ]);
  });

  it("is seeded by the run's seed", async () => {
    const source = `import { randn, data } from "scratch"; console.log(JSON.stringify(randn([3]).toArray()), JSON.stringify(data.spirals({ n: 2 }).x.toArray()));`;
    const a = await run({ source, seed: 5 });
    const b = await run({ source, seed: 5 });
    const c = await run({ source, seed: 6 });
    const line = (r: { events: RunEvent[] }) => r.events.find((e) => e.type === "console");
    expect(line(a)).toMatchObject({ text: (line(b) as { text: string }).text });
    expect((line(a) as { text: string }).text).not.toBe((line(c) as { text: string }).text);
  });
});
