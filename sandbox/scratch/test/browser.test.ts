/**
 * `scratch` in a real browser: Vite builds a page with the browser runner and the browser build of
 * the library (guest sources bundled as strings, tfjs wasm as in the CLI and verify, with local
 * wasm files, data files as assets fetched on demand); Chromium runs programs there.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { CheckResult, RunEvent, RunRequest } from "../../events.js";
import { describeWith } from "../../../test/support/requirements.js";
import { openPage, type TestPage } from "../../../support/browser-page.js";
import { PROGRAMS, programSource } from "../programs/cases.js";

const root = new URL("./browser/", import.meta.url).pathname;

await describeWith(["chromium"], "scratch in the browser runner (Chromium)", () => {
  let testPage: TestPage | undefined;
  let page: Page;
  const requested: string[] = [];

  beforeAll(async () => {
    testPage = await openPage(root, (p) => p.on("request", (r) => requested.push(r.url())));
    page = testPage.page;
  }, 240_000);

  afterAll(() => testPage?.close());

  async function run(request: RunRequest): Promise<RunEvent[]> {
    return page.evaluate(
      (req) => (globalThis as unknown as { runCase: (r: RunRequest) => Promise<RunEvent[]> }).runCase(req),
      request,
    );
  }

  it("computes with a local tfjs backend and fetches nothing from outside", async () => {
    const events = await run({
      source: `import { tensor, backend } from "scratch";
        const x = tensor([[1, 2], [3, 4]]);
        console.log(backend(), JSON.stringify(x.matmul(x).toArray()));`,
    });
    const done = events.at(-1);
    expect(done).toMatchObject({ type: "done", status: "ok" });
    const line = events.find((e) => e.type === "console") as { text: string } | undefined;
    console.log(`scratch in Chromium: ${line?.text}`);
    expect(line?.text).toBe("wasm [[7,10],[15,22]]");
    const origin = new URL(page.url()).origin;
    expect(requested.filter((u) => !u.startsWith(origin) && !u.startsWith("data:"))).toEqual([]);
  }, 120_000);

  it("loads a data set only when a run asks for it", async () => {
    const before = requested.filter((u) => u.includes("iris")).length;
    const events = await run({
      source: `import { data } from "scratch"; const { x, classes } = data.iris(); console.log(x.shape.join("x"), classes.join(","));`,
    });
    expect(events.at(-1)).toMatchObject({ status: "ok" });
    expect(events.find((e) => e.type === "console")).toMatchObject({
      text: "150x4 setosa,versicolor,virginica",
    });
    expect(requested.filter((u) => u.includes("iris")).length).toBe(before + 1);
    expect(requested.some((u) => u.includes("moby"))).toBe(false);
  }, 120_000);

  it("trains the spirals MLP to > 95% training accuracy", async () => {
    const program = PROGRAMS.find((p) => p.file === "spirals-mlp")!;
    const events = await run({
      source: programSource(program.file),
      checks: [{ name: "verify.js", source: program.verify }],
    });
    const checks = events.flatMap((e) => (e.type === "check" ? [e.check] : [])) as CheckResult[];
    expect(events.at(-1)).toMatchObject({ status: "ok" });
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ passed: true });
  }, 180_000);
});
