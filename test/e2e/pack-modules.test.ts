/**
 * A pack's own modules in a real browser: an attendee of the deep-RL pack reads the given
 * `pack/cartpole` module beside the instructions, the editor completes its exports, and a run of the reference solution in the
 * room's Web Worker imports it (as do the task's checks) and passes every check.
 *
 * Its client build, server and Chromium are its own (`startBrowserWorld` in harness.ts).
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunningServer } from "../../server/main.js";
import { describeWith } from "../support/requirements.js";
import { startBrowserWorld, type BrowserWorld } from "../../support/harness.js";

const PACK = "g08-deep-rl";
const TASK = "replay-buffer";

await describeWith(["chromium"], "pack modules in a real browser", () => {
  let server: RunningServer;
  let browser: Browser;
  let world: BrowserWorld;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    world = await startBrowserWorld("pack-modules");
    ({ server, browser } = world);
  }, 180_000);

  afterAll(async () => {
    await world?.close();
    expect(pageErrors).toEqual([]);
  });

  it("shows the given module and runs code and checks that import it", async () => {
    const pack = server.sessions.packs.get(PACK)!;
    const task = pack.tasks.find((t) => t.id === TASK)!;
    const given = task.packModules?.["pack/cartpole"];
    expect(given).toContain("export function cartPole");
    expect(task.starter).toContain('from "pack/cartpole"');

    const created = (await fetch(`${server.url}/api/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pack: PACK }),
    }).then((r) => r.json())) as { joinCode: string };
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(`${server.url}/join/${created.joinCode}`);
    await page.getByLabel("Name").fill("Ada");
    await page.getByRole("button", { name: "Join" }).click();
    // Sessions start in Exposition, where the editor is folded away.
    await page.getByRole("button", { name: "Open the editor" }).click();
    const editor = page.locator(".cm-content[contenteditable=true]");
    await editor.waitFor();

    await page.getByRole("button", { name: task.title }).click();
    const section = page.getByRole("region", { name: "Given code" });
    await section.locator("summary", { hasText: "pack/cartpole" }).click();
    await expect.poll(() => section.locator(".given-source").textContent()).toBe(given);

    await expect.poll(() => editor.textContent()).toContain("pack/cartpole");
    // The editor completes the given module's exports, named with the module they come from.
    await editor.click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type("\ncartP");
    const suggestion = page.locator(".cm-tooltip-autocomplete li", { hasText: 'from "pack/cartpole"' });
    await suggestion.waitFor();
    expect(await suggestion.locator(".cm-completionLabel").textContent()).toBe("cartPole");
    await page.keyboard.press("Escape");

    await page.keyboard.press("Control+A");
    await page.keyboard.insertText(task.solution);
    await page.getByRole("button", { name: /^Run/ }).click();
    const passed = page.locator(".check-list li[data-passed=true]");
    await expect.poll(() => passed.count(), { timeout: 30_000 }).toBe(3);
    expect(await page.locator(".check-list li[data-passed=false]").count()).toBe(0);
  }, 120_000);
});
