/**
 * The attendee's own metrics in the room (issue 17, point 1), in Chromium: a run that logs a loss
 * shows it as a chart while it is still running (points drawn as they arrive, before the run ends),
 * the finished chart carries every point, and a NaN or ±Infinity the run logged is named with its
 * step (not all as NaN: scratch/metrics sends them by name across the JSON bridge).
 *
 * Its client build, server and Chromium are its own (`startBrowserWorld` in harness.ts).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunningServer } from "../../server/main.js";
import { describeWith } from "../support/requirements.js";
import { readmeScreenshot, startBrowserWorld, type BrowserWorld } from "../../support/harness.js";

const PACK = "g01-glm";

await describeWith(["chromium"], "the attendee's own metrics in the room", () => {
  let server: RunningServer;
  let browser: Browser;
  let world: BrowserWorld;
  let ada: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    world = await startBrowserWorld("room-metrics");
    ({ server, browser } = world);
    const session = (await fetch(`${server.url}/api/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pack: PACK }),
    }).then((r) => r.json())) as { joinCode: string };
    ada = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    ada.on("pageerror", (e) => pageErrors.push(e.message));
    await ada.goto(`${server.url}/join/${session.joinCode}`);
    await ada.getByLabel("Name").fill("Ada");
    await ada.getByRole("button", { name: "Join" }).click();
    // Sessions start in Exposition, where the editor is folded away.
    await ada.getByRole("button", { name: "Open the editor" }).click();
    await ada.locator(".cm-content[contenteditable=true]").waitFor();
  }, 180_000);

  afterAll(async () => {
    await world?.close();
    expect(pageErrors).toEqual([]);
  });

  async function runCode(lines: string[]) {
    const editor = ada.locator(".work > .editor .cm-content");
    await editor.click();
    await ada.keyboard.press("Control+a");
    await ada.keyboard.insertText(lines.join("\n"));
    await ada.keyboard.press("Control+Enter");
  }
  const chart = () => ada.getByRole("region", { name: "Metrics" }).locator('[data-metric="loss"]');

  it("draws the loss while the run is still going, and every point once it ends", async () => {
    await runCode([
      'import { log } from "scratch/metrics";',
      "for (let i = 0; i < 5; i++) log('loss', 5 - i);",
      // Keep running for a while after the first points, so they must be drawn mid-run.
      "const until = Date.now() + 2500;",
      "while (Date.now() < until) {}",
      "for (let i = 5; i < 10; i++) log('loss', 1 / i);",
      "",
    ]);
    await expect.poll(() => chart().getAttribute("data-points"), { timeout: 20_000 }).toBe("5");
    // Mid-run: the run has not finished, yet the chart is drawn with the points so far.
    expect(await ada.getByRole("status").filter({ hasText: "Running…" }).count()).toBe(1);
    expect(await chart().locator(".uplot canvas").count()).toBeGreaterThan(0);
    await expect.poll(() => chart().getAttribute("data-points"), { timeout: 20_000 }).toBe("10");
    await expect.poll(() => ada.getByText(/Finished in/).count()).toBe(1);
    expect(await chart().getAttribute("data-non-finite")).toBe("0");
    expect(await chart().locator("figcaption").textContent()).toContain("step 9");
  });

  it("marks the steps where the metric went NaN or ±Infinity, each by name", async () => {
    await runCode([
      'import { log } from "scratch/metrics";',
      "for (let i = 0; i < 5; i++) log('loss', 1 / (i + 1));",
      "log('loss', NaN);",
      "log('loss', Infinity);",
      "log('loss', -Infinity);",
      "",
    ]);
    await expect.poll(() => chart().getAttribute("data-non-finite"), { timeout: 20_000 }).toBe("3");
    expect(await chart().locator(".non-finite").textContent()).toBe(
      "NaN at step 5, Infinity at step 6, -Infinity at step 7",
    );
    // A fresh run starts from an empty chart: the earlier run's points are gone.
    expect(await chart().getAttribute("data-points")).toBe("8");
    await readmeScreenshot(ada, "room-metrics.png");
  });
});
