import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, type RunRequest } from "../../events.js";
import type { HostLibrary } from "../../kernel/types.js";
import { guestError } from "../errors.js";
import { LIMIT_BOUNDS, resolveLimits } from "../limits.js";
import { ImportDenied, loadTypeStripper, ModuleGraph, type StripTypes } from "../modules.js";
import { EVENT_BURST, OutputBudget } from "../output.js";

describe("resolveLimits", () => {
  it("fills defaults and clamps hostile values", () => {
    expect(resolveLimits(undefined)).toEqual(DEFAULT_LIMITS);
    const limits = resolveLimits({
      timeoutMs: -5,
      memoryBytes: Number.NaN,
      stackBytes: 1e12,
      tensorCount: 2.7,
    });
    expect(limits.timeoutMs).toBe(LIMIT_BOUNDS.timeoutMs[0]);
    expect(limits.memoryBytes).toBe(DEFAULT_LIMITS.memoryBytes);
    expect(limits.stackBytes).toBe(LIMIT_BOUNDS.stackBytes[1]);
    expect(limits.tensorCount).toBe(2);
  });

  it("keeps the stack limit within what the worker can hold", () => {
    expect(resolveLimits({ stackBytes: 900_000 }, 160 * 1024).stackBytes).toBe(160 * 1024);
  });
});

describe("OutputBudget", () => {
  it("ends a run over its byte budget", () => {
    const budget = new OutputBudget(2000, () => 0);
    budget.charge(1000);
    expect(() => budget.charge(1000)).toThrow(/more than 2000 bytes/);
  });

  it("caps the event rate, refilling over time", () => {
    let now = 0;
    const budget = new OutputBudget(1e9, () => now);
    for (let i = 0; i < EVENT_BURST; i++) budget.charge(0);
    expect(() => budget.charge(0)).toThrow(/per second/);
    now += 1000;
    expect(() => budget.charge(0)).not.toThrow();
  });
});

describe("guestError", () => {
  const user = new Set(["main.js"]);
  it("prefers the attendee's frame over library frames", () => {
    const e = guestError(
      {
        name: "Error",
        message: "bad",
        stack: "    at k (scratch/_core:3:9)\n    at <anonymous> (main.js:7:2)\n",
      },
      user,
    );
    expect(e).toMatchObject({
      kind: "runtime",
      module: "main.js",
      line: 7,
      column: 2,
      message: "Error: bad",
    });
  });

  it("turns QuickJS's own overflow and out-of-memory errors into limits", () => {
    expect(guestError({ name: "InternalError", message: "stack overflow" }, user)).toMatchObject({
      limit: "stack",
    });
    expect(guestError({ name: "SyntaxError", message: "stack overflow" }, user)).toMatchObject({
      limit: "stack",
    });
    expect(guestError({ name: "InternalError", message: "out of memory" }, user)).toMatchObject({
      limit: "memory",
    });
  });

  it("handles thrown non-errors and hostile fields", () => {
    expect(guestError(42, user).message).toBe("Uncaught 42");
    expect(guestError({ name: { evil: 1 }, message: "x".repeat(10_000) }, user).message.length).toBeLessThan(
      2200,
    );
  });
});

describe("ModuleGraph", () => {
  const library: HostLibrary = {
    modules: { "scratch/a": "export const a = 1;", "scratch/b": "export const b = 2;", "scratch/_c": "" },
    publicModules: ["scratch/a", "scratch/b"],
    umbrella: (allowed) => allowed.join(","),
    kernels: {},
  };
  let strip: StripTypes;
  beforeAll(async () => {
    strip = await loadTypeStripper();
  });
  const graph = (request: Partial<RunRequest>) => new ModuleGraph(library, { source: "", ...request }, strip);

  it("lets user modules import only allowed specifiers", () => {
    const g = graph({ allowedModules: ["scratch/a", "not-a-module"] });
    expect([...g.allowed]).toEqual(["scratch/a"]);
    expect(g.resolve("main.js", "scratch/a")).toBe("scratch/a");
    expect(g.resolve("main.js", "scratch")).toBe("scratch");
    expect(() => g.resolve("main.js", "scratch/b")).toThrow(ImportDenied);
    expect(() => g.resolve("main.js", "scratch/_c")).toThrow(ImportDenied);
    expect(() => g.resolve("main.js", "../etc/passwd")).toThrow(ImportDenied);
    expect(g.load("scratch")).toBe("scratch/a");
    expect(g.denied).toEqual(["scratch/b", "scratch/_c", "../etc/passwd"]);
  });

  it("lets library modules import each other, and checks import attempt", () => {
    const g = graph({ allowedModules: [], checks: [{ name: "check.js", source: "" }] });
    expect(g.resolve("scratch/a", "scratch/_c")).toBe("scratch/_c");
    expect(g.resolve("check.js", "attempt")).toBe("main.js");
    expect(() => g.resolve("main.js", "attempt")).toThrow(ImportDenied);
    expect(() => g.resolve("scratch/a", "fs")).toThrow(ImportDenied);
  });

  it("gives check modules, and only them, the private check instance that can import the token", () => {
    const checked: HostLibrary = { ...library, checkModule: "scratch/b" };
    const g = new ModuleGraph(
      checked,
      {
        source: "",
        checks: [{ name: "checks.js", source: "" }],
        packModules: { "pack/env": "" },
      },
      strip,
      "s3cret",
    );
    expect(g.resolve("checks.js", "scratch/b")).toBe("scratch/b#checks");
    expect(g.resolve("checks.js", "scratch")).toBe("scratch#checks");
    expect(g.resolve("scratch#checks", "scratch/b")).toBe("scratch/b#checks");
    expect(g.resolve("scratch#checks", "scratch/a")).toBe("scratch/a");
    expect(g.load("scratch/b#checks")).toBe("export const b = 2;");
    expect(g.resolve("scratch/b#checks", "scratch/_check-token")).toBe("scratch/_check-token#checks");
    expect(g.load("scratch/_check-token#checks")).toBe('export const token = "s3cret";\n');
    // Everyone else: the public instance, whose token is null, and no way to the private ones.
    expect(g.resolve("main.js", "scratch/b")).toBe("scratch/b");
    expect(g.resolve("pack/env", "scratch/b")).toBe("scratch/b");
    expect(g.resolve("scratch", "scratch/b")).toBe("scratch/b");
    expect(g.resolve("scratch/b", "scratch/_check-token")).toBe("scratch/_check-token");
    expect(g.load("scratch/_check-token")).toBe("export const token = null;\n");
    for (const [base, spec] of [
      ["main.js", "scratch/_check-token"],
      ["main.js", "scratch/_check-token#checks"],
      ["main.js", "scratch/b#checks"],
      ["main.js", "scratch#checks"],
      ["pack/env", "scratch/_check-token"],
      ["checks.js", "scratch/_check-token"],
    ]) {
      expect(() => g.resolve(base!, spec!), `${base} → ${spec}`).toThrow(ImportDenied);
    }
  });

  it("resolves pack modules for user and pack modules, under the attendee's rule", () => {
    const g = graph({
      allowedModules: ["scratch/a"],
      checks: [{ name: "checks.js", source: "" }],
      packModules: { "pack/env": "export const e = 1;", "pack/Bad": "x", "pack/../x": "y", "pack/two": "" },
    });
    expect([...g.pack.keys()]).toEqual(["pack/env", "pack/two"]);
    expect(g.resolve("main.js", "pack/env")).toBe("pack/env");
    expect(g.resolve("checks.js", "pack/env")).toBe("pack/env");
    expect(g.resolve("pack/env", "pack/two")).toBe("pack/two");
    expect(g.resolve("pack/env", "scratch/a")).toBe("scratch/a");
    expect(g.load("pack/env")).toMatch(
      /^export const e = 1;\n;import \* as \w+ from "pack\/env";\nharden\(\w+\);\n$/,
    );
    expect(() => g.resolve("pack/env", "scratch/b")).toThrow(ImportDenied);
    expect(() => g.resolve("pack/env", "attempt")).toThrow(ImportDenied);
    expect(() => g.resolve("scratch/a", "pack/env")).toThrow(ImportDenied);
    expect(() => g.resolve("main.js", "pack/Bad")).toThrow(
      /allows only "scratch", "scratch\/a", "pack\/env", "pack\/two"/,
    );
    expect(g.userIds.has("pack/env")).toBe(true);
  });

  it("never lets a file or check name shadow a library module", () => {
    const g = graph({
      filename: "scratch/a",
      checks: [
        { name: "attempt", source: "" },
        { name: "../x.js", source: "" },
      ],
    });
    expect(g.attendee.id).toBe("main.js");
    expect(g.checks.map((c) => c.id)).toEqual(["check-1.js", "check-2.js"]);
  });

  it("strips TypeScript types keeping line numbers", () => {
    const g = graph({
      language: "ts",
      source: "type T = {\n  a: number\n};\nconst x: T = { a: 1 };\nthrow x;",
    });
    expect(g.attendee.id).toBe("main.ts");
    expect(g.attendee.source.split("\n")).toHaveLength(5);
    expect(g.attendee.source.split("\n")[4]).toBe("throw x;");
  });
});
