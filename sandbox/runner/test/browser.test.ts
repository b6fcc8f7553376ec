/**
 * The same runner API in a real browser: Vite builds a test page (runner + Web Worker + test
 * library), Debian's Chromium opens it through playwright-core, and each case runs there.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunError, RunEvent, RunRequest } from "../../events.js";
import { describeWith } from "../../../test/support/requirements.js";
import { openPage, type TestPage } from "../../../support/browser-page.js";

type Arrived = RunEvent & { arrivedMs: number };

await describeWith(["chromium"], "browser runner (Chromium)", () => {
  let testPage: TestPage | undefined;
  let page: Page;

  beforeAll(async () => {
    testPage = await openPage(new URL("./browser/", import.meta.url).pathname);
    page = testPage.page;
  }, 180_000);

  afterAll(() => testPage?.close());

  async function run(
    request: RunRequest,
    abortAfterMs?: number,
  ): Promise<{ events: Arrived[]; error?: RunError; console: string[] }> {
    const { events } = await page.evaluate(
      ([req, abort]) =>
        (
          globalThis as unknown as { runCase: (r: RunRequest, a?: number) => Promise<{ events: Arrived[] }> }
        ).runCase(req, abort),
      [request, abortAfterMs] as const,
    );
    const done = events.at(-1);
    if (done?.type !== "done") throw new Error("no done event");
    const console = events.flatMap((e) => (e.type === "console" ? [e.text] : []));
    return { events, console, ...(done.error ? { error: done.error } : {}) };
  }

  async function nextRunWorks(): Promise<void> {
    const next = await run({ source: `console.log("alive")` });
    expect(next.error).toBeUndefined();
    expect(next.console).toEqual(["alive"]);
  }

  const FAST = { timeoutMs: 1500, memoryBytes: 48 * 1024 * 1024 };

  it("runs a program with kernels and streams its output", async () => {
    const { error, console, events } = await run({
      source: `import { tensor } from "scratch";\nconst a = tensor([1, 2, 3, 4], [2, 2]);\nconsole.log(a.matmul(a).toArray());\n__host.emit("metric", { name: "loss", step: 0, value: 0.5 });`,
    });
    expect(error).toBeUndefined();
    expect(console).toEqual(["[7, 10, 15, 22]"]);
    expect(events.some((e) => e.type === "metric")).toBe(true);
  });

  it("delivers early console lines before a long run ends", async () => {
    const { events } = await run({
      source: `console.log("early"); const end = Date.now() + 1200; while (Date.now() < end) {} console.log("late")`,
    });
    const early = events.find((e) => e.type === "console" && e.text === "early")!;
    const done = events.at(-1)!;
    expect(done.arrivedMs - early.arrivedMs).toBeGreaterThan(800);
  });

  const limitCases: [string, string, string][] = [
    ["time: while(true)", `while (true) {}`, "time"],
    ["time: catastrophic regex", `/(a+)+$/.test("a".repeat(40) + "b")`, "time"],
    ["time: host kernel that never returns", `__host.k("spin", 60000)`, "time"],
    ["memory: typed array bomb", `const a = []; for (;;) a.push(new Float64Array(1e6));`, "memory"],
    ["memory: string doubling", `let s = "x"; for (;;) s += s;`, "memory"],
    ["stack: recursion", `function f() { return f() + 1; }\nf();`, "stack"],
    [
      "stack: recursive Proxy trap",
      `const p = new Proxy({}, { get(t, k, r) { return r[k]; } });\np.x;`,
      "stack",
    ],
    ["jobs: for(;;) await 0", `for (;;) await 0;`, "jobs"],
    ["output: console flood", `for (;;) console.log("x".repeat(1000));`, "output"],
    ["tensors: count quota", `for (;;) __host.k("zeros", [2]);`, "tensors"],
  ];
  for (const [name, source, limit] of limitCases) {
    it(name, async () => {
      const { error } = await run({
        source,
        limits: { ...FAST, tensorCount: 100, maxPendingJobs: 10_000, outputBytes: 64 * 1024 },
      });
      expect(error, name).toMatchObject({ kind: "limit", limit });
      await nextRunWorks();
    });
  }

  it("refuses imports outside the allow-list", async () => {
    const { error } = await run({ source: `import fs from "fs";` });
    expect(error).toMatchObject({ kind: "import", module: "main.js" });
    const withheld = await run({
      source: `import { grad } from "scratch/autograd";`,
      allowedModules: ["scratch/tensor"],
    });
    expect(withheld.error?.kind).toBe("import");
    await nextRunWorks();
  });

  it("runs the pack's own modules given with the request", async () => {
    const result = await run({
      source: `import { twice } from "pack/util";\nconsole.log(twice(21));`,
      packModules: { "pack/util": `export const twice = (x) => 2 * x;` },
    });
    expect(result.error).toBeUndefined();
    expect(result.console).toEqual(["42"]);
  });

  it("rejects forged handles", async () => {
    const { error } = await run({ source: `__host.shape(987654321)` });
    expect(error?.message).toMatch(/not a live tensor/);
  });

  it("delivers HTML and control characters as plain text", async () => {
    const text = `<img src=x onerror=alert(1)>\u001b[31m`;
    const { console } = await run({ source: `console.log(${JSON.stringify(text)})` });
    expect(console).toEqual([text]);
    expect(await page.evaluate(() => document.querySelectorAll("img").length)).toBe(0);
  });

  it("seeds Math.random like Node does", async () => {
    const a = await run({ source: `console.log(Math.random())`, seed: 42 });
    const b = await run({ source: `console.log(Math.random())`, seed: 42 });
    expect(a.console).toEqual(b.console);
  });

  it("stops a run on abort and serves the next one (not isolated: by replacing the worker)", async () => {
    const started = () =>
      page.evaluate(() => (globalThis as unknown as { workersStarted: () => number }).workersStarted());
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(false);
    const before = await started();
    const { error } = await run({ source: `for (;;) {}` }, 300);
    expect(error?.message).toBe("Run stopped.");
    await nextRunWorks();
    expect(await started()).toBe(before + 1);
  });

  it("reports errors with line and column", async () => {
    const { error } = await run({ source: `const x = 1;\nx.y.z;`, filename: "attempt.js" });
    expect(error).toMatchObject({ kind: "runtime", module: "attempt.js", line: 2 });
  });
});

await describeWith(["chromium"], "Stop in a cross-origin isolated page (Chromium)", () => {
  let testPage: TestPage | undefined;
  let page: Page;

  beforeAll(async () => {
    testPage = await openPage(new URL("./browser/", import.meta.url).pathname, undefined, { isolated: true });
    page = testPage.page;
  }, 180_000);

  afterAll(() => testPage?.close());

  const runCase = (source: string, abortAfterMs?: number) =>
    page.evaluate(
      ([s, a]) =>
        (
          globalThis as unknown as {
            runCase: (r: RunRequest, a?: number) => Promise<{ events: RunEvent[] }>;
          }
        ).runCase({ source: s }, a),
      [source, abortAfterMs] as const,
    );
  const workersStarted = () =>
    page.evaluate(() => (globalThis as unknown as { workersStarted: () => number }).workersStarted());

  it("stops a loop through the shared interrupt flag and keeps the worker", async () => {
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    const before = await workersStarted();
    const { events } = await runCase(`for (;;) {}`, 300);
    expect(events.at(-1)).toMatchObject({ type: "done", error: { message: "Run stopped." } });
    const next = await runCase(`console.log("alive")`);
    expect(next.events.find((e) => e.type === "console")).toMatchObject({ text: "alive" });
    // The same worker served the next run: the stop did not terminate and replace it.
    expect(await workersStarted()).toBe(before);
  });
});

await describeWith(["chromium"], "browser runner with the real scratch library (Chromium)", () => {
  let testPage: TestPage | undefined;

  beforeAll(async () => {
    testPage = await openPage(new URL("./browser-scratch/", import.meta.url).pathname);
  }, 180_000);

  afterAll(() => testPage?.close());

  it("runs a scratch program in the default worker, under the same limits", async () => {
    const source = `import { tensor } from "scratch";\nconst x = tensor([[1, 2], [3, 4]]);\nconsole.log(x.matmul(x).toArray());\nwhile (true) {}`;
    const { events } = await testPage!.page.evaluate(
      (req) =>
        (globalThis as unknown as { runCase: (r: RunRequest) => Promise<{ events: RunEvent[] }> }).runCase(
          req,
        ),
      { source, limits: { timeoutMs: 3000 } } as RunRequest,
    );
    expect(events.flatMap((e) => (e.type === "console" ? [e.text] : []))).toEqual(["[[7, 10], [15, 22]]"]);
    expect(events.at(-1)).toMatchObject({
      type: "done",
      status: "error",
      error: { kind: "limit", limit: "time" },
    });
  }, 120_000);
});
