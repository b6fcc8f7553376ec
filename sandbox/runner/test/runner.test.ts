import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunEvent } from "../../events.js";
import { collect, testRunner } from "./harness.js";

const runner = testRunner(2);
beforeAll(() => runner.ready());
afterAll(() => runner.close());

describe("node runner", () => {
  it("runs a module and streams console lines, then one done event", async () => {
    const { events, done, console } = await collect(runner, {
      source: `console.log("a", 1, [1, "b"], { x: { y: { z: { w: 1 } } } }); console.warn("w"); console.error(new TypeError("bad"))`,
    });
    expect(done.status).toBe("ok");
    expect(events.at(-1)).toBe(done);
    expect(events.filter((e) => e.type === "done")).toHaveLength(1);
    expect(console[0]).toBe(`a 1 [1, "b"] { x: { y: { z: { w: 1 } } } }`);
    expect(events[1]).toMatchObject({ type: "console", level: "warn", text: "w" });
    expect(console[2]).toMatch(/^TypeError: bad/);
    expect(done.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("formats values like a browser console, bounded", async () => {
    const { console } = await collect(runner, {
      source: `
        const o = { a: 1 }; o.self = o;
        console.log(o);
        console.log(new Array(150).fill(0));
        console.log("%s=%d (%i) %f %o %%", "n", 4.7, 3.9, 0.5, [1]);
        console.log(new Map([["k", 1]]), new Set([1]), new Float32Array([1, 2]), -0, 2n, null, undefined, Symbol("s"));
        console.log(function named() {}, class K {}, new (class Point { constructor() { this.x = 1 } })());
        console.log({ a: { b: { c: { d: { e: 1 } } } } });
        console.log("x".repeat(20000).length, "y".repeat(20000));
      `,
    });
    expect(console[0]).toBe("{ a: 1, self: [Circular] }");
    expect(console[1]).toMatch(/^\[0, 0, .*… 50 more items\]$/);
    expect(console[2]).toBe(`n=4 (3) 0.5 [1] %`);
    expect(console[3]).toBe(
      `Map(1) { "k" => 1 } Set(1) { 1 } Float32Array(2) [1, 2] -0 2n null undefined Symbol(s)`,
    );
    expect(console[4]).toBe("[Function: named] [Function: K] Point { x: 1 }");
    expect(console[5]).toBe("{ a: { b: { c: { d: [Object] } } } }");
    expect(console[6]!.length).toBeLessThan(10_100);
    expect(console[6]).toMatch(/line truncated\)$/);
  });

  it("delivers console lines while a long run is still going", async () => {
    const arrivals: { type: string; at: number }[] = [];
    const start = performance.now();
    const done = await runner.run(
      {
        source: `console.log("early"); const end = Date.now() + 1500; while (Date.now() < end) {} console.log("late")`,
      },
      (e: RunEvent) =>
        arrivals.push({ type: e.type === "console" ? e.text : e.type, at: performance.now() - start }),
    );
    expect(done.status).toBe("ok");
    const early = arrivals.find((a) => a.type === "early")!;
    const finished = arrivals.find((a) => a.type === "done")!;
    expect(finished.at - early.at).toBeGreaterThan(1000);
  });

  it("reports errors with the attendee's module, line and column", async () => {
    const { done } = await collect(runner, {
      source: `const x = 1;\n\nfunction f() {\n  return x.y.z;\n}\nf();`,
      filename: "model.js",
    });
    expect(done.error).toMatchObject({ kind: "runtime", module: "model.js", line: 4, column: 13 });
    expect(done.error?.message).toMatch(/TypeError: cannot read property 'z' of undefined/);
  });

  it("reports syntax errors with their line", async () => {
    const { done } = await collect(runner, { source: `const a = 1;\nconst b = ;` });
    expect(done.error).toMatchObject({ kind: "syntax", module: "main.js", line: 2 });
  });

  it("locates an error thrown inside the library at the attendee's call", async () => {
    const { done } = await collect(runner, {
      source: `import { tensor } from "scratch";\nconst a = tensor([1, 2], [2]);\nconst b = tensor([1, 2, 3], [3]);\n\na.add(b);`,
    });
    expect(done.error).toMatchObject({ kind: "runtime", module: "main.js", line: 5 });
    expect(done.error?.message).toMatch(/add/);
  });

  it("strips TypeScript types and keeps line numbers", async () => {
    const { done, console } = await collect(runner, {
      language: "ts",
      filename: "main.ts",
      source: `interface P { x: number }\nconst p: P = { x: 2 };\nconsole.log(p.x as number);\nfunction f(a: string): never {\n  throw new Error(a);\n}\nf("boom");`,
    });
    expect(console).toEqual(["2"]);
    expect(done.error).toMatchObject({ kind: "runtime", module: "main.ts", line: 5, message: "Error: boom" });
  });

  it("reports a TypeScript syntax error", async () => {
    const { done } = await collect(runner, { language: "ts", source: `const a: = 1;` });
    expect(done.error?.kind).toBe("syntax");
  });

  it("seeds Math.random deterministically", async () => {
    const source = `console.log(Math.random(), Math.random(), __host.seed)`;
    const a = await collect(runner, { source, seed: 42 });
    const b = await collect(runner, { source, seed: 42 });
    const c = await collect(runner, { source, seed: 43 });
    const d = await collect(runner, { source });
    expect(a.console).toEqual(b.console);
    expect(a.console).not.toEqual(c.console);
    expect(a.console[0]).toMatch(/ 42$/);
    expect(d.console[0]).toMatch(/ undefined$/);
  });

  it("runs kernels through __host with handles, and frees every tensor at the end", async () => {
    const { done, console } = await collect(runner, {
      source: `
        import { tensor } from "scratch";
        const a = tensor([1, 2, 3, 4], [2, 2]);
        console.log(a.shape, a.matmul(a).toArray(), a.sum().toArray(), a.sum(0).toArray());
        const buf = new Float32Array([1, 2]).buffer;
        const b = __host.k("tensor", buf, [2]);
        console.log(__host.dtype(b), __host.shape(b), __host.k("size", b), __host.k("describe", "s", true));
        const parts = __host.k("split", __host.k("tensor", [1, 2, 3, 4], [4]), 2);
        console.log(parts.length, parts.every(Number.isInteger), __host.k("sum", __host.k("concat", parts, 0), null));
        console.log(__host.allows("scratch/tensor"), __host.allows("fs"), __host.allows(1));
      `,
    });
    expect(done.status).toBe("ok");
    expect(console[0]).toBe("[2, 2] [7, 10, 15, 22] [10] [4, 6]");
    expect(console[1]).toMatch(/^float32 \[2\] 2 s:true$/);
    expect(console[2]).toMatch(/^2 true \d+$/);
    expect(console[3]).toBe("true false false");
  });

  it("frees many handles in one call (freeMany), refusing anything but handles and too many", async () => {
    const { done, console } = await collect(runner, {
      source: `
        const hs = [1, 2, 3].map(() => __host.k("zeros", [2]));
        const kept = __host.k("zeros", [2]);
        __host.freeMany(...hs, 12345);
        const state = (h) => { try { __host.shape(h); return "live"; } catch { return "freed"; } };
        console.log(hs.map(state).join(" "), state(kept));
        try { __host.freeMany(kept, "x"); } catch (e) { console.log(e.message, state(kept)); }
        try { __host.freeMany(...new Array(4097).fill(kept)); } catch (e) { console.log(e.name, e.message); }
      `,
    });
    expect(done.status).toBe("ok");
    expect(console).toEqual([
      "freed freed freed live",
      "freeMany: expected a tensor handle live",
      "RangeError freeMany: at most 4096 handles per call",
    ]);
  });

  it("takes a list argument as an array or as its JSON text, checked the same way", async () => {
    const { done, console } = await collect(runner, {
      source: `
        const a = __host.k("zeros", "[2, 3]"), b = __host.k("zeros", [2, 3]);
        const parts = __host.k("split", __host.k("tensor", [1, 2, 3, 4], "[4]"), 2);
        const c = __host.k("concat", JSON.stringify(parts), 0);
        console.log(__host.shape(a), __host.shape(b), __host.shape(c));
      `,
    });
    expect(done.status, done.error?.message).toBe("ok");
    expect(console).toEqual(["[2, 3] [2, 3] [4]"]);
    const cases: [string, RegExp][] = [
      [`__host.k("zeros", "[2, ")`, /argument 1: expected a list of integers/],
      [`__host.k("zeros", "[1.5]")`, /argument 1: expected a list of integers/],
      [`__host.k("zeros", "{}")`, /argument 1: expected a list of integers/],
      [`__host.k("zeros", "2")`, /argument 1: expected a list of integers/],
      [`__host.k("zeros", { length: 1, 0: 2 })`, /argument 1: expected a list of integers/],
      [`__host.k("zeros", new Int32Array([2]))`, /argument 1: expected a list of integers/],
      [`__host.k("zeros", "[" + "1,".repeat(9e6) + "1]")`, /argument 1: too large/],
      [`__host.k("concat", "[123456789, 987654321]", 0)`, /not a live tensor/],
      [`__host.k("concat", "[1.5]", 0)`, /expected a list of integers/],
      [`__host.k("concat", "x", 0)`, /expected a list of tensor handles/],
    ];
    for (const [source, message] of cases) {
      const { done } = await collect(runner, { source });
      expect(done.error?.kind, source).toBe("runtime");
      expect(done.error?.message, source).toMatch(message);
    }
  });

  it("checks kernel arguments and reports generic errors", async () => {
    const cases: [string, RegExp][] = [
      [`__host.k("nope")`, /unknown kernel "nope"/],
      [`__host.k("add", 1)`, /expects 2 arguments, got 1/],
      [`__host.k("scale", __host.k("zeros", [2]), "2")`, /expected a number/],
      [`__host.k("scale", __host.k("zeros", [2]), Infinity)`, /finite number/],
      [`__host.k("zeros", [1.5])`, /integers/],
      [`__host.k("tensor", new ArrayBuffer(3), [1])`, /multiple of 4/],
      [`__host.k("tensor", [1, "a"], [2])`, /only numbers/],
      [`__host.k("describe", "x".repeat(5000), true)`, /too long/],
      [`__host.k("matmul", __host.k("zeros", [2, 3]), __host.k("zeros", [2, 3]))`, /matmul/],
      [`__host.emit("sound", {})`, /type must be/],
    ];
    for (const [source, message] of cases) {
      const { done } = await collect(runner, { source });
      expect(done.error?.kind, source).toBe("runtime");
      expect(done.error?.message, source).toMatch(message);
      expect(done.error?.message, source).not.toMatch(/node_modules|\/work\//);
    }
  });

  it("ends a run whose kernel fails inside the backend, even if the guest catches it, naming the kernel", async () => {
    const { done } = await collect(runner, {
      source: `try { __host.k("fails"); } catch {}\nconsole.log("after");`,
    });
    expect(done.status).toBe("error");
    expect(done.error).toMatchObject({
      kind: "internal",
      message: /^fails failed inside the tensor backend/,
    });
    expect(done.error?.message).not.toMatch(/on purpose|node_modules/);
    const next = await collect(runner, { source: `console.log(__host.k("size", __host.k("zeros", [3])))` });
    expect(next.console).toEqual(["3"]);
  });

  it("streams plots and metrics, validated", async () => {
    const { events, done } = await collect(runner, {
      source: `
        import { line, metric } from "scratch/plot";
        line([1, 2, NaN], { title: "loss" });
        for (let i = 0; i < 3; i++) metric("loss", i, 1 / (i + 1));
        __host.emit("plot", { kind: "image", values: [0, 1, 2, 3], shape: [2, 2], title: "img" });
        __host.emit("plot", { kind: "histogram", values: [1, 2, 2], bins: 2 });
      `,
    });
    expect(done.status).toBe("ok");
    const plots = events.filter((e) => e.type === "plot");
    expect(plots[0]).toMatchObject({ plot: { kind: "line", title: "loss", series: [{ x: [0, 1, 2] }] } });
    expect(Number.isNaN((plots[0] as { plot: { series: { y: number[] }[] } }).plot.series[0]!.y[2])).toBe(
      true,
    );
    expect(plots[1]).toMatchObject({ plot: { kind: "image", shape: [2, 2] } });
    expect(plots[2]).toMatchObject({ plot: { kind: "histogram", bins: 2 } });
    expect(events.filter((e) => e.type === "metric").map((e) => (e as { value: number }).value)).toEqual([
      1,
      0.5,
      1 / 3,
    ]);
    const bad = await collect(runner, {
      source: `__host.emit("plot", { kind: "image", values: [1, 2, 3], shape: [2, 2] })`,
    });
    expect(bad.done.error?.message).toMatch(/shape does not match/);
  });

  it("runs check modules after the attendee module, importing it as attempt", async () => {
    const { events, done } = await collect(runner, {
      source: `export function double(x) { return 2 * x }\nconsole.log("attempt ran")`,
      checks: [
        {
          name: "doubles.js",
          source: `import { double } from "attempt";\nimport { report } from "scratch/checks";\nreport("double(2) is 4", double(2) === 4);\nreport("double(3) is 7", double(3) === 7, "expected 7");`,
        },
        {
          name: "secret.js",
          hidden: true,
          source: `import * as attempt from "attempt";\nimport { report } from "scratch/checks";\nreport("hidden one", true);`,
        },
      ],
    });
    expect(done.status).toBe("ok");
    const checks = events.flatMap((e) => (e.type === "check" ? [e.check] : []));
    expect(checks).toEqual([
      { name: "double(2) is 4", passed: true },
      { name: "double(3) is 7", passed: false, message: "expected 7" },
      { name: "hidden one", passed: true, hidden: true },
    ]);
    expect(events.findIndex((e) => e.type === "console")).toBeLessThan(
      events.findIndex((e) => e.type === "check"),
    );
  });

  it("does not run checks when the attendee module throws", async () => {
    const { events, done } = await collect(runner, {
      source: `export const x = 1;\nthrow new Error("attendee bug");`,
      checks: [{ name: "c.js", source: `__host.emit("check", { name: "ran", passed: true })` }],
    });
    expect(done.error).toMatchObject({ kind: "runtime", module: "main.js", line: 2 });
    expect(events.some((e) => e.type === "check")).toBe(false);
  });

  it("reports an error in a check module with its name", async () => {
    const { done } = await collect(runner, {
      source: `export const f = () => 1;`,
      checks: [{ name: "grader.js", source: `import { f } from "attempt";\n\nnull.boom;` }],
    });
    expect(done.error).toMatchObject({ kind: "runtime", module: "grader.js", line: 3 });
  });

  it("refuses check results from attendee code", async () => {
    const { done, events } = await collect(runner, {
      source: `__host.emit("check", { name: "fake", passed: true })`,
    });
    expect(done.error?.message).toMatch(/only be reported by check modules/);
    expect(events.some((e) => e.type === "check")).toBe(false);
  });

  it("lets a run restrict the library modules, while library modules import each other", async () => {
    const allowedModules = ["scratch/tensor", "scratch/nn"];
    const ok = await collect(runner, {
      allowedModules,
      source: `import { usesGrad } from "scratch/nn"; import * as s from "scratch"; console.log(usesGrad(), Object.keys(s).sort().join(","), __host.allows("scratch/autograd"))`,
    });
    expect(ok.done.status).toBe("ok");
    expect(ok.console).toEqual(["autograd Tensor,tensor,usesGrad false"]);
    const denied = await collect(runner, {
      allowedModules,
      source: `import { grad } from "scratch/autograd";`,
    });
    expect(denied.done.error).toMatchObject({ kind: "import", module: "main.js" });
    expect(denied.done.error?.message).toMatch(/Cannot import "scratch\/autograd"/);
  });

  it("runs a pack's own modules for the attendee and the checks, and locates errors in them", async () => {
    const packModules = {
      "pack/env": `import { tensor } from "scratch/tensor";\nexport const start = () => tensor([1, 2]).toArray().reduce((a, b) => a + b);\nexport function fail() {\n  throw new RangeError("no");\n}`,
    };
    const ok = await collect(runner, {
      packModules,
      source: `import { start } from "pack/env"; export const v = start(); console.log(v)`,
      checks: [
        {
          name: "checks.js",
          source: `import { report } from "scratch/checks"; import { start } from "pack/env"; import * as a from "attempt"; report("same", a.v === start());`,
        },
      ],
    });
    expect(ok.done.error).toBeUndefined();
    expect(ok.console).toEqual(["3"]);
    expect(ok.events.filter((e) => e.type === "check")).toMatchObject([
      { check: { name: "same", passed: true } },
    ]);
    const failed = await collect(runner, { packModules, source: `import { fail } from "pack/env"; fail();` });
    expect(failed.done.error).toMatchObject({ kind: "runtime", module: "pack/env", line: 4 });
    const denied = await collect(runner, {
      allowedModules: ["scratch/plot"],
      packModules,
      source: `import { start } from "pack/env"; start();`,
    });
    // A task that withholds a module withholds it from the pack's modules too.
    expect(denied.done.error).toMatchObject({ kind: "import" });
    expect(denied.done.error?.message).toMatch(/Cannot import "scratch\/tensor"/);
  });

  it("awaits top-level promises and reports a module stuck on one that never settles", async () => {
    const ok = await collect(runner, { source: `const v = await Promise.resolve(5); console.log(v)` });
    expect(ok.console).toEqual(["5"]);
    const stuck = await collect(runner, { source: `await new Promise(() => {})` });
    expect(stuck.done.error).toMatchObject({ kind: "runtime" });
    expect(stuck.done.error?.message).toMatch(/never settle/);
  });

  it("stops a run through its AbortSignal and keeps serving", async () => {
    const controller = new AbortController();
    const pending = collect(runner, { source: `console.log("started"); for (;;) {}` }, controller.signal);
    await new Promise((r) => setTimeout(r, 300));
    controller.abort();
    const { done } = await pending;
    expect(done.error).toMatchObject({ kind: "runtime", message: "Run stopped." });
    const next = await collect(runner, { source: `console.log("next")` });
    expect(next.console).toEqual(["next"]);
  });

  it("queues runs beyond the pool size", async () => {
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => collect(runner, { source: `console.log(${n} * 2)` })),
    );
    expect(results.map((r) => r.console[0])).toEqual(["2", "4", "6", "8", "10"]);
  });
});

describe("tensor lifetime", () => {
  const single = testRunner(1);
  beforeAll(() => single.ready());
  afterAll(() => single.close());

  it("leaves no tfjs tensor behind, whether a run frees its tensors, leaks them, or hits the quota", async () => {
    const count = async () =>
      Number((await collect(single, { source: `console.log(__host.k("liveTensors"))` })).console[0]);
    const baseline = await count();
    await collect(single, { source: `for (let i = 0; i < 50; i++) __host.k("zeros", [10]);` });
    expect(await count()).toBe(baseline);
    const quota = await collect(single, {
      source: `__host.k("split", __host.k("zeros", [10]), 10);`,
      limits: { tensorCount: 4 },
    });
    expect(quota.done.error).toMatchObject({ kind: "limit", limit: "tensors" });
    expect(await count()).toBe(baseline);
    const late = await collect(single, {
      source: `__host.k("zeros", [10]); __host.k("spin", 400); __host.k("zeros", [10]);`,
      limits: { timeoutMs: 200 },
    });
    expect(late.done.error).toMatchObject({ kind: "limit", limit: "time" });
    expect(await count()).toBe(baseline);
  });
});
