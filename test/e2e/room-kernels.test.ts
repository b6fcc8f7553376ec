/**
 * The room computes what the server verifies: in real Chromium, the room page is cross-origin
 * isolated (COOP/COEP on pages, assets and wasm files), loads with no error or warning in its
 * console, computes with tfjs wasm (SIMD, threads) from wasm files our server serves, and prints the
 * CLI's numbers, NaN and Infinity included.
 *
 * Its client build, server and Chromium are its own (`startBrowserWorld` in support/harness.ts).
 */
import type { Browser, ConsoleMessage, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunningServer } from "../../server/main.js";
import type { RunReport } from "../../contract/run-report.js";
import { createNodeRunner } from "../../sandbox/runner/node.js";
import { runInNode } from "../../sandbox/scratch/test/run-in-node.js";
import { publicTask, type PublicTask } from "../../server/packs/format.js";
import { applyEvent, emptyOutcome, reportFor, runRequestFor } from "../../client/run/report.js";
import { describeWith } from "../support/requirements.js";
import { startBrowserWorld, type BrowserWorld } from "../../support/harness.js";

/** Finite and non-finite results the room must print exactly as the CLI does. */
const PROGRAM = `import { tensor, backend, metrics, plot } from "scratch";
const x = tensor([1, 2, 3]).requiresGrad();
const y = x.mul(x).sum();
y.backward();
console.log("y", y.item(), "grad", x.grad.toArray());
console.log("exp", tensor([1000]).exp().div(tensor([1000]).exp()).item());
console.log("0/0", tensor([0, 1, -1]).div(tensor([0, 0, 0])).toArray());
console.log("log0", tensor([0]).log().item());
console.log("backend", backend());
for (let step = 0; step < 4; step++) metrics.log("loss", tensor([2 - step]).log().item(), step);
plot.line(tensor([1, 1, -1, 0]).div(tensor([1, 0, 0, 0])), { id: "ratios", title: "ratios" });
`;

interface Created {
  sessionId: string;
  hostKey: string;
  joinCode: string;
}

/** The run report Node's runner (the CLI's and verify's) makes of the same request, as the room makes it. */
async function nodeReport(task: PublicTask, source: string): Promise<RunReport> {
  const runner = createNodeRunner({ poolSize: 1 });
  try {
    let outcome = emptyOutcome();
    await runner.run(runRequestFor(task, source), (e) => (outcome = applyEvent(outcome, e)));
    return reportFor(task.id, outcome);
  } finally {
    await runner.close();
  }
}

await describeWith(["chromium"], "the room's kernels in real Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  let world: BrowserWorld;
  let page: Page;
  const consoleProblems: string[] = [];
  const responses = new Map<string, Record<string, string>>();
  let session: Created;

  beforeAll(async () => {
    world = await startBrowserWorld("room-kernels");
    ({ server, browser } = world);
    const created = (await fetch(`${server.url}/api/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pack: "g02-vae" }),
    }).then((r) => r.json())) as Created;
    session = created;
    page = await (await browser.newContext()).newPage();
    page.on("console", (m: ConsoleMessage) => {
      if (m.type() === "error" || m.type() === "warning") consoleProblems.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => consoleProblems.push(`pageerror: ${e.message}`));
    page.on("response", (r) => responses.set(r.url(), r.headers()));
    await page.goto(`${server.url}/join/${created.joinCode}`);
    await page.getByLabel("Name").fill("Ada");
    await page.getByRole("button", { name: "Join" }).click();
    await page.getByRole("button", { name: "Open the editor" }).click();
    await page.locator(".cm-content[contenteditable=true]").waitFor();
  }, 240_000);

  afterAll(async () => {
    await world?.close();
  });

  it("prints the CLI's numbers, NaN and Infinity included, computed on wasm", async () => {
    const editor = page.locator(".cm-content");
    await editor.click();
    await page.keyboard.press("Control+A");
    await page.keyboard.insertText(PROGRAM);
    await page.getByRole("button", { name: /^Run/ }).click();
    const lines = page.locator(".console-line");
    // Five lines of its own, then scratch's warning that the logged loss went non-finite.
    await expect.poll(() => lines.count(), { timeout: 60_000 }).toBe(6);
    const room = await lines.allInnerTexts();
    const cli = await runInNode(PROGRAM);
    expect(room.map((l) => l.trim())).toEqual(cli);
    expect(cli).toContain("exp NaN");
    expect(cli.at(-2)).toBe("backend wasm");
    expect(cli.at(-1)).toMatch(/^warning: metric "loss" is -Infinity at step 2/);
  }, 120_000);

  it("draws a plot's ±Infinity and NaN as such: gaps, and a caption naming them", async () => {
    const figure = page.locator(".plot-frame", { has: page.locator('.plot[data-kind="line"]') });
    await expect.poll(() => figure.getAttribute("data-non-finite"), { timeout: 30_000 }).toBe("3");
    expect(await figure.locator("figcaption").innerText()).toBe(
      "Infinity at x = 1, -Infinity at x = 2, NaN at x = 3",
    );
  }, 60_000);

  it("reports the run as Node would, the loss going -Infinity then NaN included", async () => {
    const progress = (await fetch(`${server.url}/api/sessions/${session.sessionId}/progress`, {
      headers: { authorization: `Bearer ${session.hostKey}` },
    }).then((r) => r.json())) as {
      participants: {
        tasks: Record<string, { latestRun: (RunReport & { id: string; at: string }) | null }>;
      }[];
    };
    const [taskId, entry] = Object.entries(progress.participants[0]!.tasks).find(([, t]) => t.latestRun)!;
    const { id: _id, at: _at, durationMs: _roomMs, device, ...room } = entry.latestRun!;
    // The device census: threaded SIMD wasm in an isolated page (no training run yet: no speed).
    expect(device).toMatchObject({ backend: "wasm", simd: true, crossOriginIsolated: true });
    expect(device!.threads).toBeGreaterThanOrEqual(1);
    expect(device!.msPerStep).toBeUndefined();
    const task = server.sessions.packs.get("g02-vae")!.tasks.find((t) => t.id === taskId)!;
    const { durationMs: _nodeMs, ...node } = await nodeReport(publicTask(task), PROGRAM);
    expect(room.nonFinite).toEqual({ loss: { step: 2, value: "-Infinity" } });
    expect(room.metrics.loss).toEqual([Math.fround(Math.log(2)), 0]);
    expect(room).toEqual(node);
  }, 120_000);

  it("is cross-origin isolated (after the run has loaded the wasm), and every page, script and wasm file of ours says so", async () => {
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    const ours = [...responses].filter(([url]) => url.startsWith(server.url) && !url.includes("/api/"));
    // The threaded SIMD build: the page is isolated, so tfjs wasm runs with threads.
    expect(ours.some(([url]) => /tfjs-backend-wasm-threaded-simd-.*\.wasm$/.test(url))).toBe(true);
    for (const [url, headers] of ours) {
      expect(headers["cross-origin-opener-policy"], url).toBe("same-origin");
      expect(headers["cross-origin-embedder-policy"], url).toBe("require-corp");
    }
    const room = ours.find(([url]) => url.includes("/join/"))!;
    expect(room[1]["content-security-policy"]).toContain("script-src 'self' 'wasm-unsafe-eval'");
  });

  it("logs no error or warning on a normal load and run", () => {
    expect(consoleProblems).toEqual([]);
  });
});
