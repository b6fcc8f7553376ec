/**
 * The attack suite: hostile programs against the Node runner. Every case asserts that the host
 * survives (the test process and the runner keep going), that the run ends with the named limit or
 * a clear error, and that the next run on the same runner works.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LimitName, RunError, RunLimits } from "../../events.js";
import { collect, testRunner } from "./harness.js";

const runner = testRunner(2);
beforeAll(() => runner.ready());
afterAll(() => runner.close());

/** Tight limits keep the suite fast; each case may override some. */
const FAST: Partial<RunLimits> = { timeoutMs: 1500, memoryBytes: 48 * 1024 * 1024 };
/** Job and output floods get a small budget of their own and time to spend it on a loaded machine. */
const JOBS: Partial<RunLimits> = { timeoutMs: 30_000, maxPendingJobs: 10_000 };
const OUTPUT: Partial<RunLimits> = { timeoutMs: 30_000, outputBytes: 64 * 1024 };

type Expectation = LimitName | LimitName[] | { kind: RunError["kind"]; message?: RegExp };

interface Attack {
  name: string;
  source: string;
  expect: Expectation;
  limits?: Partial<RunLimits>;
  allowedModules?: string[];
}

async function nextRunWorks(limits: Partial<RunLimits>): Promise<void> {
  const next = await collect(runner, { source: `console.log("alive", 6 * 7)`, limits });
  expect(next.done.status).toBe("ok");
  expect(next.console).toEqual(["alive 42"]);
}

function check(error: RunError | undefined, expected: Expectation, name: string): void {
  expect(error, name).toBeDefined();
  if (typeof expected === "string" || Array.isArray(expected)) {
    const allowed = typeof expected === "string" ? [expected] : expected;
    expect(error?.kind, `${name}: ${error?.message}`).toBe("limit");
    expect(allowed, `${name}: got ${error?.limit}`).toContain(error?.limit);
    expect(error?.message).toMatch(/limit exceeded/i);
  } else {
    expect(error?.kind, `${name}: ${error?.message}`).toBe(expected.kind);
    if (expected.message) expect(error?.message, name).toMatch(expected.message);
  }
}

const attacks: Attack[] = [
  // Runaway loops.
  { name: "while(true)", source: `while (true) {}`, expect: "time" },
  { name: "loop in a function", source: `function spin() { for (;;) {} }\nspin();`, expect: "time" },
  { name: "catch and retry", source: `for (;;) { try { for (;;) {} } catch (e) {} }`, expect: "time" },
  { name: "finally retry", source: `for (;;) { try { for (;;) {} } finally { continue; } }`, expect: "time" },
  { name: "catastrophic regex", source: `/(a+)+$/.test("a".repeat(40) + "b")`, expect: "time" },
  {
    name: "long native sort",
    source: `const a = Array.from({ length: 200000 }, (_, i) => String(-i)); for (;;) a.slice().sort();`,
    expect: "time",
  },
  { name: "long native fill", source: `for (;;) new Array(1e6).fill(0);`, expect: ["time", "memory"] },
  {
    name: "long native join",
    source: `const a = new Array(1e5).fill("ab"); for (;;) a.join(",");`,
    expect: "time",
  },
  { name: "long native repeat", source: `for (;;) "ab".repeat(1e6);`, expect: "time" },
  { name: "async infinite loop", source: `async function f() { for (;;) {} }\nf();`, expect: "time" },
  {
    name: "generator loop",
    source: `function* g() { for (;;) yield 1; }\nfor (const x of g()) {}`,
    expect: "time",
  },
  {
    name: "getter loop inside console.log",
    source: `console.log({ get x() { for (;;) {} } });`,
    expect: "time",
  },
  { name: "host kernel that never returns (watchdog)", source: `__host.k("spin", 60000);`, expect: "time" },
  // Memory bombs.
  { name: "string doubling", source: `let s = "x"; for (;;) s += s;`, expect: "memory" },
  {
    name: "array of objects",
    source: `const a = []; for (;;) a.push({ i: a.length, s: "x" + a.length });`,
    expect: "memory",
    // Small objects fill memory slowly on a loaded machine: give time enough that memory runs out first.
    limits: { timeoutMs: 20_000 },
  },
  { name: "typed arrays", source: `const a = []; for (;;) a.push(new Float64Array(1e6));`, expect: "memory" },
  {
    name: "map entries",
    source: `const m = new Map(); for (let i = 0; ; i++) m.set(i, new Float64Array(1e4));`,
    expect: "memory",
  },
  {
    name: "huge ArrayBuffer",
    source: `new ArrayBuffer(2 ** 31);`,
    expect: { kind: "runtime", message: /RangeError/ },
  },
  { name: "buffer beyond the memory cap", source: `new ArrayBuffer(1e9);`, expect: "memory" },
  { name: "huge repeat", source: `"x".repeat(2 ** 29);`, expect: "memory" },
  {
    name: "negative array length",
    source: `new Array(-1);`,
    expect: { kind: "runtime", message: /RangeError/ },
  },
  {
    name: "fractional array length",
    source: `new Array(1.5);`,
    expect: { kind: "runtime", message: /RangeError/ },
  },
  {
    name: "NaN typed array length",
    source: `new Float64Array(-Infinity);`,
    expect: { kind: "runtime", message: /RangeError/ },
  },
  {
    name: "sparse array bomb",
    source: `const a = []; a[2 ** 32 - 2] = 1; a.fill(0);`,
    expect: ["memory", "time"],
  },
  {
    name: "tensor count quota",
    source: `for (;;) __host.k("zeros", [2]);`,
    limits: { tensorCount: 100 },
    expect: "tensors",
  },
  {
    name: "tensor bytes quota",
    source: `__host.k("zeros", [1000, 1000]);`,
    limits: { tensorBytes: 1024 * 1024 },
    expect: "tensors",
  },
  {
    name: "tensor quota error cannot be caught",
    source: `for (;;) { try { __host.k("zeros", [2]); } catch (e) {} }`,
    limits: { tensorCount: 50 },
    expect: "tensors",
  },
  // Stack overflow.
  { name: "recursion", source: `function f() { return f() + 1; }\nf();`, expect: "stack" },
  { name: "mutual recursion", source: `const a = () => b(); const b = () => a();\na();`, expect: "stack" },
  { name: "nested JSON.parse", source: `JSON.parse("[".repeat(200000));`, expect: "stack" },
  {
    name: "deep JSON.stringify",
    // QuickJS's cycle check makes this quadratic and native: the stack limit or the watchdog.
    source: `let x = []; for (let i = 0; i < 100000; i++) x = [x];\nJSON.stringify(x);`,
    expect: ["stack", "time"],
  },
  { name: "recursive getter", source: `const o = { get x() { return this.x; } };\no.x;`, expect: "stack" },
  {
    name: "recursive Proxy trap",
    source: `const p = new Proxy({}, { get(t, k, r) { return r[k]; } });\np.x;`,
    expect: "stack",
  },
  {
    name: "recursive toString",
    source: `const o = {}; o.toString = () => String(o);\nString(o);`,
    expect: "stack",
  },
  {
    name: "recursion through host calls",
    source: `function f() { __host.allows("scratch/tensor"); return f(); }\nf();`,
    expect: "stack",
  },
  {
    name: "deep formatting in console.log",
    source: `let o = {}; for (let i = 0; i < 1e5; i++) o = { o };\nconsole.log(o, JSON.stringify(o));`,
    expect: ["stack", "time"],
  },
  {
    name: "catching stack overflow forever",
    source: `for (;;) { try { (function f() { f(); })(); } catch (e) {} }`,
    expect: "time",
  },
  // Promise floods.
  { name: "for(;;) await 0", source: `for (;;) await 0;`, limits: JOBS, expect: "jobs" },
  {
    name: "promise flood",
    source: `for (let i = 0; i < 2e5; i++) Promise.resolve().then(() => {});`,
    limits: JOBS,
    expect: ["jobs", "memory"],
  },
  {
    name: "self-scheduling then",
    source: `function f() { Promise.resolve().then(f); }\nf();`,
    limits: JOBS,
    expect: "jobs",
  },
  {
    name: "async recursion",
    source: `async function f() { await null; return f(); }\nawait f();`,
    limits: JOBS,
    expect: "jobs",
  },
  {
    name: "never-settling promise",
    source: `await new Promise(() => {});`,
    expect: { kind: "runtime", message: /never settle/ },
  },
  // Re-entrancy into host functions.
  {
    name: "valueOf op name",
    source: `__host.k({ toString() { return "zeros"; } }, [2]);`,
    expect: { kind: "runtime", message: /expected an op name/ },
  },
  {
    name: "valueOf number argument frees its tensor",
    source: `const t = __host.k("zeros", [2]);\n__host.k("scale", t, { valueOf() { __host.free(t); return 2; } });`,
    expect: { kind: "runtime", message: /expected a number/ },
  },
  {
    name: "toJSON re-enters the host",
    source: `const shape = [2]; shape.toJSON = () => { __host.k("zeros", [1]); return [2]; };\n__host.k("zeros", shape);`,
    expect: { kind: "runtime", message: /could not be read/ },
  },
  {
    name: "getter frees a tensor half-way through a call",
    source: `const a = __host.k("zeros", [2]), b = __host.k("zeros", [2]);\nconst list = [a]; Object.defineProperty(list, 1, { get() { __host.free(a); return b; }, enumerable: true });\n__host.k("concat", list, 0);`,
    expect: { kind: "runtime", message: /could not be read/ },
  },
  // Handles.
  {
    name: "forged handle",
    source: `__host.shape(123456789);`,
    expect: { kind: "runtime", message: /not a live tensor/ },
  },
  {
    name: "disposed handle",
    source: `const t = __host.k("zeros", [2]);\n__host.free(t);\n__host.k("add", t, t);`,
    expect: { kind: "runtime", message: /not a live tensor/ },
  },
  {
    name: "odd handles",
    source: `__host.free(-1); __host.free(NaN); __host.free(1.5); __host.free("1");`,
    expect: { kind: "runtime", message: /expected a tensor handle/ },
  },
  // Prototype pollution through emitted payloads.
  {
    name: "__proto__ in a plot, then a bad plot",
    source: `__host.emit("plot", JSON.parse('{"kind":"line","series":[{"y":[1],"__proto__":{"x":[9]}}],"__proto__":{"polluted":true}}'));\n__host.emit("plot", { kind: "pie" });`,
    expect: { kind: "runtime", message: /plot kind must be/ },
  },
  // Imports outside the allow-list.
  {
    name: "import fs",
    source: `import fs from "fs";`,
    expect: { kind: "import", message: /Cannot import "fs"/ },
  },
  {
    name: "import node:child_process",
    source: `import cp from "node:child_process";`,
    expect: { kind: "import" },
  },
  { name: "relative import", source: `import x from "./secret.js";`, expect: { kind: "import" } },
  { name: "URL import", source: `import x from "https://example.com/x.js";`, expect: { kind: "import" } },
  { name: "dynamic import", source: `await import("os");`, expect: { kind: "import" } },
  {
    name: "library internal module",
    source: `import { k } from "scratch/_core";`,
    expect: { kind: "import" },
  },
  { name: "attempt from attendee code", source: `import * as a from "attempt";`, expect: { kind: "import" } },
  {
    name: "withheld sub-module",
    source: `import { grad } from "scratch/autograd";`,
    allowedModules: ["scratch/tensor"],
    expect: { kind: "import", message: /scratch\/autograd/ },
  },
  // Output floods.
  {
    name: "console flood",
    source: `for (;;) console.log("x".repeat(1000));`,
    limits: OUTPUT,
    expect: "output",
  },
  { name: "empty line flood", source: `for (;;) console.log();`, limits: OUTPUT, expect: "output" },
  {
    name: "flood survives catch",
    source: `for (;;) { try { console.log("y".repeat(500)); } catch (e) {} }`,
    limits: OUTPUT,
    expect: "output",
  },
  {
    name: "plot flood",
    source: `for (let i = 0; ; i++) __host.emit("plot", { kind: "line", series: [{ y: [i] }] });`,
    limits: OUTPUT,
    expect: "output",
  },
  {
    name: "metric flood",
    source: `for (let i = 0; ; i++) __host.emit("metric", { name: "m", step: i, value: i });`,
    limits: OUTPUT,
    expect: "output",
  },
];

describe("attack suite", () => {
  it("has at least 40 cases", () => {
    expect(attacks.length).toBeGreaterThanOrEqual(40);
  });

  for (const attack of attacks) {
    it(
      attack.name,
      async () => {
        const limits = { ...FAST, ...attack.limits };
        const request = {
          source: attack.source,
          limits,
          ...(attack.allowedModules ? { allowedModules: attack.allowedModules } : {}),
        };
        const { done } = await collect(runner, request);
        expect(done.status).toBe("error");
        check(done.error, attack.expect, attack.name);
        await nextRunWorks(limits);
      },
      60_000,
    );
  }

  it("a handle from one run is not valid in the next", async () => {
    const first = await collect(runner, { source: `console.log(__host.k("zeros", [2]))` });
    const handle = Number(first.console[0]);
    expect(Number.isInteger(handle)).toBe(true);
    const second = await collect(runner, { source: `__host.shape(${handle})` });
    expect(second.done.error?.message).toMatch(/not a live tensor/);
  });

  it("freeing a kernel's returned input does not kill the input", async () => {
    const { done, console } = await collect(runner, {
      source: `const a = __host.k("zeros", [3]); const b = __host.k("identity", a); __host.free(b); console.log(__host.shape(a), a !== b);`,
    });
    expect(done.status).toBe("ok");
    expect(console).toEqual(["[3] true"]);
  });

  it("payload keys such as __proto__ never reach host prototypes", async () => {
    const { events, done } = await collect(runner, {
      source: `__host.emit("plot", JSON.parse('{"kind":"line","title":"t","series":[{"y":[1]}],"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'));
__host.emit("metric", JSON.parse('{"name":"m","step":0,"value":1,"__proto__":{"polluted":true}}'));`,
    });
    expect(done.status).toBe("ok");
    const plot = events.find((e) => e.type === "plot");
    const metric = events.find((e) => e.type === "metric");
    expect(plot && Object.getPrototypeOf(plot)).toBe(Object.prototype);
    expect(plot && Object.keys((plot as { plot: object }).plot).sort()).toEqual([
      "id",
      "kind",
      "series",
      "title",
    ]);
    expect(metric && Object.keys(metric).sort()).toEqual(["name", "step", "t", "type", "value"]);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it("HTML and control characters arrive as plain text, unchanged", async () => {
    const text = `<script>alert(1)</script><img src=x onerror=alert(2)> \u001b[31mred\u001b[0m \u0007\r\u202e`;
    const { console, done } = await collect(runner, {
      source: `console.log(${JSON.stringify(text)}, "a\\0b")`,
    });
    expect(done.status).toBe("ok");
    // NUL is the one character shown differently: the host reads guest strings as C strings.
    expect(console).toEqual([`${text} a\u2400b`]);
  });

  it("a stop request ends even a host kernel that never returns", async () => {
    const controller = new AbortController();
    const pending = collect(runner, { source: `__host.k("spin", 60000)` }, controller.signal);
    await new Promise((r) => setTimeout(r, 300));
    controller.abort();
    const { done } = await pending;
    expect(done.error?.message).toBe("Run stopped.");
    await nextRunWorks({});
  });
});
