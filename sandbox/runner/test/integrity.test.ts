/**
 * Check integrity (docs/sandbox.md, "Threat model"): attendee code, however hostile, can
 * neither make a check pass that its answer fails nor read what a hidden check compares against.
 * Every attack here runs a wrong answer against the real `scratch` library's checks, visible and
 * hidden, next to one more trick (a built-in, prototype or global override, a hostile value handed
 * to the checks, a forged report), and the checks must still run and fail. Most of these made every
 * check pass before the lockdown (lockdown.ts, checks.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckResult, RunRequest } from "../../events.js";
import { createNodeRunner } from "../node.js";
import { UNFINISHED } from "../checks.js";
import { collect } from "./harness.js";

const runner = createNodeRunner({ poolSize: 1 });
beforeAll(() => runner.ready());
afterAll(() => runner.close());

const VISIBLE = `import { check, expectClose } from "scratch/check";
import { tensor } from "scratch/tensor";
import * as attempt from "attempt";
check("double a tensor", () => expectClose(attempt.double(tensor([1, 2, 3])), tensor([2, 4, 6])));
check("double a list", () => expectClose(attempt.doubleList([1, 2, 3]), [2, 4, 6]));
check("double later", async () => expectClose(await attempt.doubleLater(5), 10));
`;

/** The hidden check's secret: its input 21.5 and the value 43 it expects. */
const HIDDEN = `import { check, expectClose } from "scratch/check";
import { tensor } from "scratch/tensor";
import * as attempt from "attempt";
check("hidden double", () => expectClose(attempt.double(tensor([21.5])), tensor([43])));
`;

const NAMES = ["double a tensor", "double a list", "double later", "hidden double"];

/** A wrong answer (the identity); `let` so an attack can swap a function for a hostile one. */
const WRONG = `import { tensor, Tensor } from "scratch/tensor";
export let double = (x) => x;
export let doubleList = (xs) => xs;
export let doubleLater = async (n) => n;
`;

const RIGHT = `export const double = (x) => x.mul(2);
export const doubleList = (xs) => xs.map((v) => 2 * v);
export const doubleLater = async (n) => 2 * n;
`;

function request(source: string): RunRequest {
  return {
    source,
    seed: 0,
    checks: [
      { name: "checks.js", source: VISIBLE },
      { name: "hidden.js", source: HIDDEN, hidden: true },
    ],
    limits: { timeoutMs: 20_000 },
  };
}

async function checksOfRequest(req: RunRequest) {
  const { events, done, console } = await collect(runner, req);
  return { checks: events.flatMap((e) => (e.type === "check" ? [e.check] : [])), done, console };
}

async function checksOf(source: string) {
  const { events, done, console } = await collect(runner, request(source));
  const checks = events.flatMap((e) => (e.type === "check" ? [e.check] : []));
  return { checks, done, console };
}

/** Every check ran once, under its own name, and failed. */
function expectAllFailed(checks: CheckResult[], label: string): void {
  expect(
    checks.map((c) => c.name),
    label,
  ).toEqual(NAMES);
  expect(
    checks.filter((c) => c.passed).map((c) => c.name),
    label,
  ).toEqual([]);
  expect(checks.find((c) => c.name === "hidden double")?.hidden, label).toBe(true);
}

/** The wrong answer with an attack after it: its imports and exports on top, the rest in a try. */
function withAttack(attack: string): string {
  const lines = attack.split("\n");
  const top = (l: string) => /^(import|export) /.test(l);
  return `${WRONG}${lines.filter(top).join("\n")}\ntry {\n${lines.filter((l) => !top(l)).join("\n")}\n} catch {}\n`;
}

/** Attacks appended to the wrong answer; each is wrapped so the run goes on into the checks. */
const overrides: [string, string][] = [
  [
    "Object.prototype.toJSON returns a passing result for check-shaped objects",
    `Object.prototype.toJSON = function () { return this && typeof this.name === "string" && "passed" in this ? { name: this.name, passed: true } : this; };`,
  ],
  [
    "toJSON copies a failure's message and hint into the name",
    `Object.prototype.toJSON = function () { return this && "passed" in this ? { name: this.name + "|" + this.message + "|" + this.hint, passed: false } : this; };`,
  ],
  ["Math.abs returns 0", `Math.abs = () => 0;`],
  ["Math.abs redefined", `Object.defineProperty(Math, "abs", { value: () => 0 });`],
  ["the global Math replaced", `globalThis.Math = { abs: () => 0, floor: () => 0, max: () => 0 };`],
  [
    "the global Number redefined",
    `Object.defineProperty(globalThis, "Number", { value: Object.assign(() => 0, { isNaN: () => false, NaN: 0 }) });`,
  ],
  ["Array.prototype.forEach does nothing", `Array.prototype.forEach = function () {};`],
  [
    "Array.prototype.every and some lie",
    `Array.prototype.every = () => true; Array.prototype.some = () => false;`,
  ],
  ["Array.from and Array.isArray replaced", `Array.from = () => [2, 4, 6]; Array.isArray = () => false;`],
  ["JSON.stringify forges a payload", `JSON.stringify = () => '{"name":"hidden double","passed":true}';`],
  ["Reflect.apply replaced", `Reflect.apply = () => true;`],
  [
    "Function.prototype.call and apply replaced",
    `Function.prototype.call = function () { return true; }; Function.prototype.apply = function () { return true; };`,
  ],
  [
    "Promise.prototype.then resolves everything",
    `Promise.prototype.then = function (ok) { ok(); return this; };`,
  ],
  ["Promise.resolve replaced", `Promise.resolve = () => ({ then: (ok) => ok() });`],
  [
    "Symbol.hasInstance on Tensor",
    `Object.defineProperty(Tensor, Symbol.hasInstance, { value: () => false });`,
  ],
  [
    "Symbol.iterator on Array.prototype",
    `Array.prototype[Symbol.iterator] = function* () { yield 2; yield 4; yield 6; };`,
  ],
  [
    "Tensor.prototype.data returns zeros",
    `Tensor.prototype.data = function () { return new Float32Array(3); };`,
  ],
  [
    "Tensor.prototype.data redefined",
    `Object.defineProperty(Tensor.prototype, "data", { value: function () { return new Float32Array(3); } });`,
  ],
  [
    "the typed array iterator yields zeros",
    `Object.getPrototypeOf(Float32Array.prototype)[Symbol.iterator] = function* () { yield 0; yield 0; yield 0; };`,
  ],
  ["Float32Array replaced", `globalThis.Float32Array = function () { return [0, 0, 0]; };`],
  [
    "Error.prototype.toString and the error types replaced",
    `Error.prototype.toString = () => "fine"; globalThis.TypeError = Object;`,
  ],
  [
    "Object.getOwnPropertyDescriptor replaced",
    `Object.getOwnPropertyDescriptor = () => undefined; Object.getPrototypeOf = () => null;`,
  ],
  [
    "the array iterator's next replaced",
    `Object.getPrototypeOf([][Symbol.iterator]()).next = () => ({ done: true });`,
  ],
  ["Symbol replaced", `globalThis.Symbol = Object.assign(() => 0, { iterator: "x", hasInstance: "y" });`],
  ["console replaced", `globalThis.console = { log() {} }; console.log = () => {};`],
  [
    "a check result emitted from attendee code while a check calls it",
    `double = (x) => { try { __host.emit("check", { name: "hidden double", passed: true }); } catch {} return x; };`,
  ],
  [
    "the public check() called from attendee code while a check calls it",
    `import { check as report } from "scratch/check";
double = (x) => { try { report("hidden double", () => {}); } catch {} return x; };`,
  ],
  [
    "a forged report, then a thenable that never calls back",
    `doubleLater = () => { try { __host.emit("check", { name: "double later", passed: true }); } catch {} return { then() {} }; };`,
  ],
  [
    "a returned array whose own flat() fakes the comparison",
    `doubleList = (xs) => { const a = xs.slice(); Object.defineProperty(a, "flat", { value: () => ({ map: () => ({ length: 3, forEach() {}, every: () => true, some: () => false, map: () => [] }) }) }); return a; };`,
  ],
  [
    "a Proxy returned for a list",
    `doubleList = (xs) => new Proxy(xs, { get(t, k) { return k === "flat" ? () => ({ map: () => ({ forEach() {}, length: 3 }) }) : t[k]; } });`,
  ],
  [
    "values with Symbol.toPrimitive and valueOf",
    `doubleList = (xs) => xs.map((v) => ({ [Symbol.toPrimitive]: () => 2 * v + 0.5, valueOf: () => 2 * v }));`,
  ],
  [
    "a fake tensor whose data() reads the expected tensor by guessing handles",
    `double = (x) => {
  const fake = Object.create(Tensor.prototype);
  Object.defineProperty(fake, "shape", { get: () => x.shape });
  fake.data = () => {
    let found = x.data();
    for (let d = 1; d < 200; d++) {
      try { const v = new Tensor(x.handle + d).data(); if (v.length === x.shape[0]) found = v; } catch {}
    }
    return found;
  };
  return fake;
};`,
  ],
  [
    "the output repointed at guessed handles (Tensor._swapHandle, the optimisers' in-place update)",
    `let calls = 0;
double = (x) => {
  const out = x.mul(3);
  const offset = [1, 2, -1, 3, -2][calls++ % 5];
  try { out._swapHandle(x.handle + offset); } catch {}
  return out;
};`,
  ],
  [
    "the input repointed at guessed handles (Tensor._swapHandle)",
    `double = (x) => {
  const out = x.mul(3);
  for (const offset of [1, 2, -1]) try { x._swapHandle(x.handle + offset); } catch {}
  return out;
};`,
  ],
  [
    "a thrown object whose toString, message and name getters throw",
    `double = () => { throw { get name() { throw new Error("LEAK"); }, get message() { throw new Error("LEAK"); }, toString() { throw new Error("LEAK"); } }; };`,
  ],
  [
    "a thrown Proxy",
    `double = () => { throw new Proxy(new Error("x"), { get() { throw new Error("LEAK"); }, getPrototypeOf() { throw new Error("LEAK"); } }); };`,
  ],
  [
    "an exported then on the attendee's module",
    `export function then(resolve) { resolve({ double: (x) => x.mul(2) }); }`,
  ],
];

describe("check integrity: a wrong answer fails whatever else the attendee's code does", () => {
  it("the wrong answer fails every check and the right one passes them (the suite is not vacuous)", async () => {
    const wrong = await checksOf(WRONG);
    expect(wrong.done.status).toBe("ok");
    expectAllFailed(wrong.checks, "wrong");
    const right = await checksOf(RIGHT);
    expect(right.checks.map((c) => [c.name, c.passed])).toEqual(NAMES.map((n) => [n, true]));
  });

  for (const [name, attack] of overrides) {
    it(
      name,
      async () => {
        const { checks } = await checksOf(withAttack(attack));
        expectAllFailed(checks, name);
        expect(JSON.stringify(checks), name).not.toMatch(/LEAK/);
      },
      60_000,
    );
  }
});

describe("what the checks compute and report", () => {
  it("the realm's intrinsics are frozen before attendee code runs; its own objects are not", async () => {
    const { done, console } = await checksOf(`${WRONG}
const refused = [];
const attempt = (what, f) => { try { f(); } catch (e) { refused.push(what + ":" + (e instanceof TypeError)); } };
attempt("Object.prototype", () => { Object.prototype.polluted = 1; });
attempt("Math.abs", () => { Math.abs = () => 0; });
attempt("globalThis.JSON", () => { globalThis.JSON = {}; });
attempt("Tensor.prototype", () => { Tensor.prototype.mul = () => 0; });
attempt("TypedArray", () => { Object.getPrototypeOf(Uint8Array).from = () => 0; });
console.log(refused.join(" "));
// Ordinary code keeps working: own classes, methods added to them, Error subclasses naming
// themselves, shadowing toString on an own object, new globals, hardening its own objects.
class Point { constructor(x) { this.x = x; } }
Point.prototype.norm = function () { return Math.abs(this.x); };
class MyError extends Error { constructor(m) { super(m); this.name = "MyError"; } }
const o = { x: 1 }; o.toString = () => "o!";
globalThis.mine = 7;
const frozen = harden({ a: { b: 1 } });
console.log(new Point(-3).norm(), String(new MyError("m")), String(o), mine, Object.isFrozen(frozen.a));
`);
    expect(done.status).toBe("ok");
    expect(console).toEqual([
      "Object.prototype:true Math.abs:true globalThis.JSON:true Tensor.prototype:true TypedArray:true",
      "3 MyError: m o! 7 true",
    ]);
  });

  it("a seeded run's Math.random is still the seeded one, and cannot be replaced", async () => {
    const run = (extra: string) =>
      collect(runner, { source: `${extra}\nconsole.log(Math.random(), Math.random())`, seed: 42 });
    const plain = await run("");
    const attacked = await run(`try { Math.random = () => 0.5; } catch {}`);
    expect(attacked.console).toEqual(plain.console);
    expect(plain.console[0]).not.toMatch(/0\.5 0\.5/);
  });

  it("a check whose promise never settles fails when its module ends, instead of vanishing", async () => {
    const { checks, done } = await checksOf(
      `${WRONG.replace("export let doubleLater = async (n) => n;", "export let doubleLater = () => new Promise(() => {});")}`,
    );
    expect(done.status).toBe("ok");
    expect(checks.find((c) => c.name === "double later")).toEqual({
      name: "double later",
      passed: false,
      message: UNFINISHED,
    });
  });

  it("check modules cannot report a name that is not a string", async () => {
    const { done, events } = await collect(runner, {
      source: `export const x = 1;`,
      checks: [
        {
          name: "checks.js",
          source: `import { check } from "scratch/check";\ncheck({ toString() { return "forged"; } }, () => {});`,
        },
      ],
    });
    expect(done.error?.message).toMatch(/name must be a non-empty string/);
    expect(events.some((e) => e.type === "check")).toBe(false);
  });

  it("attendee code cannot import the check token", async () => {
    const { done } = await collect(runner, { source: `import { token } from "scratch/_check-token";` });
    expect(done.error?.kind).toBe("import");
  });

  it("marks the plots and metrics made while a check runs with the check module (issue 21)", async () => {
    const { events, done } = await collect(runner, {
      source: `import { metrics, plot } from "scratch";
export function fit() { for (let i = 0; i < 3; i++) metrics.log("loss", 3 - i); plot.line([1, 2], { title: "curve" }); }
fit();`,
      checks: [
        {
          name: "checks.js",
          source: `import { check } from "scratch/check";\nimport * as attempt from "attempt";\ncheck("fits", () => attempt.fit());`,
        },
      ],
    });
    expect(done.status).toBe("ok");
    const made = events.flatMap((e) =>
      e.type === "metric" || e.type === "plot" ? [[e.type, e.check ?? "attendee"]] : [],
    );
    expect(made).toEqual([
      ["metric", "attendee"],
      ["metric", "attendee"],
      ["metric", "attendee"],
      ["plot", "attendee"],
      ["metric", "checks.js"],
      ["metric", "checks.js"],
      ["metric", "checks.js"],
      ["plot", "checks.js"],
    ]);
  });

  it("marks an error raised while a hidden check module runs, wherever it points", async () => {
    const { done } = await collect(runner, {
      source: `export function f(x) { throw new Error("LEAK " + x); }`,
      checks: [
        { name: "hidden.js", hidden: true, source: `import * as attempt from "attempt";\nattempt.f(42);` },
      ],
    });
    expect(done.error).toMatchObject({ kind: "runtime", module: "main.js", inHiddenCheck: true });
    const visible = await collect(runner, {
      source: `export function f(x) { throw new Error("mine " + x); }`,
      checks: [{ name: "checks.js", source: `import * as attempt from "attempt";\nattempt.f(1);` }],
    });
    expect(visible.done.error?.inHiddenCheck).toBeUndefined();
  });

  it("the pack's given modules are hardened before attendee code imports them", async () => {
    const { events, done, console } = await collect(runner, {
      source: `import { truth, grid, step } from "pack/model";
export const guess = () => truth.mean;
try { truth.mean = 99; } catch (e) { console.log(e instanceof TypeError); }
try { grid.push(4); } catch (e) { console.log(e instanceof TypeError); }
console.log(step(1));`,
      packModules: {
        "pack/model": `let calls = 0;\nexport const truth = { mean: 1 };\nexport const grid = [1, 2, 3];\nexport function step(x) { calls++; return x + calls; }`,
      },
      checks: [
        {
          name: "hidden.js",
          hidden: true,
          source: `import { check, expect } from "scratch/check";\nimport { truth } from "pack/model";\nimport * as attempt from "attempt";\ncheck("mean", () => expect(attempt.guess() === 2 && truth.mean === 2, "wrong mean"));`,
        },
      ],
    });
    expect(done.status).toBe("ok");
    expect(console).toEqual(["true", "true", "2"]);
    expect(events.flatMap((e) => (e.type === "check" ? [e.check.passed] : []))).toEqual([false]);
  });

  it("an error in a given module still points at its own line", async () => {
    const { done } = await collect(runner, {
      source: `import { boom } from "pack/model";\nboom();`,
      packModules: { "pack/model": `export function boom() {\n  return null.x;\n}` },
    });
    expect(done.error).toMatchObject({ kind: "runtime", module: "pack/model", line: 2 });
  });

  it("a tensor's handle is private: an attempt cannot point the check's own tensor at its answer", async () => {
    // The check computes its expected value from x after the attempt has had x (the pattern the
    // threat model warns about): overwriting x's fields must not turn x into the attempt's output.
    const { checks } = await checksOfRequest({
      source: `export const double = (x) => {
  const out = x.add(100);
  const half = out.div(2);
  for (const key of Object.getOwnPropertyNames(x)) {
    if (typeof x[key] === "number" && x[key] === x.handle) x[key] = half.handle;
  }
  try { x.handle = half.handle; } catch {}
  return out;
};`,
      seed: 0,
      checks: [
        {
          name: "checks.js",
          source: `import { check, expectClose } from "scratch/check";
import { tensor } from "scratch/tensor";
import * as attempt from "attempt";
const x = tensor([1, 2, 3]);
check("double", () => { const got = attempt.double(x); expectClose(got, x.mul(2)); });`,
        },
      ],
    });
    expect(checks).toHaveLength(1);
    expect(checks[0]?.passed).toBe(false);
  });

  it("the tfjs oracle answers the checks only, never the attempt", async () => {
    const { events, done, console } = await collect(runner, {
      source: `import { oracle } from "scratch/check";
import { tensor } from "scratch/tensor";
try { oracle("exp", [tensor([1])]); } catch (e) { console.log(e.message); }
try { __host.k("oracleGrads", "exp", [], 0, "{}"); } catch (e) { console.log(e.message); }
export const f = (a) => a.exp();`,
      checks: [
        {
          name: "checks.js",
          source: `import { check, gradCheck } from "scratch/check";\nimport { tensor } from "scratch/tensor";\nimport * as attempt from "attempt";\ncheck("exp", () => gradCheck(attempt.f, [tensor([1, 2])], { oracle: "exp" }));`,
        },
      ],
    });
    expect(done.status).toBe("ok");
    expect(console).toEqual([
      "only a task's check modules can report checks or ask the tfjs oracle",
      'kernel "oracleGrads" is for checks only',
    ]);
    expect(events.flatMap((e) => (e.type === "check" ? [e.check] : []))).toEqual([
      { name: "exp", passed: true },
    ]);
  });
});
