/**
 * The start page grouped by track with a text filter, level and duration shown (issue 17, point 8),
 * and accessibility in a real browser (issue 17, point 10). axe-core, injected into Chromium, reports no
 * serious or critical violation on the join page, the room, the dashboard and the summary, nor on the
 * whole paired room of the driver and the navigator (role badge contrast, a scrolling editor). A
 * keyboard-only attendee joins, types, runs, reads the checks and raises a hand; check results,
 * broadcasts and the host's stage changes are announced (an aria-live region, and CodeMirror's
 * announce inside the editor).
 *
 * Its client build, server and Chromium are its own (`startBrowserWorld` in harness.ts).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunningServer } from "../../server/main.js";
import { seriousViolations } from "../support/axe.js";
import { describeWith } from "../support/requirements.js";
import { startBrowserWorld, type BrowserWorld } from "../../support/harness.js";

await describeWith(["chromium"], "accessibility in a real browser", () => {
  let server: RunningServer;
  let browser: Browser;
  let world: BrowserWorld;
  let host: Page;
  let ada: Page;
  let session: { sessionId: string; hostKey: string; joinCode: string };
  const pageErrors: string[] = [];

  beforeAll(async () => {
    world = await startBrowserWorld("a11y");
    ({ server, browser } = world);
    session = (await fetch(`${server.url}/api/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pack: "demo" }),
    }).then((r) => r.json())) as typeof session;
  }, 180_000);

  afterAll(async () => {
    await world?.close();
    expect(pageErrors).toEqual([]);
  });

  async function newPage(name: string): Promise<Page> {
    // bypassCSP: axe is injected as an inline script, which the app's CSP (rightly) forbids.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(`${name}: ${e.message}`));
    return page;
  }
  /** Presses Tab (or Shift+Tab) until the focused element matches `selector`; at most 60 presses. */
  async function tabTo(page: Page, selector: string, backwards = false): Promise<void> {
    for (let i = 0; i < 60; i++) {
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
      await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
    }
    throw new Error(`Tab never reached ${selector}`);
  }
  /** Everything said so far in the room's live announcer. */
  const announced = (page: Page) => page.locator("#announcer").textContent();

  it("the start page groups packs by track, filters them by text, shows level and duration", async () => {
    const page = await newPage("start");
    await page.goto(`${server.url}/`);
    const tracks = page.locator(".pack-track h2");
    await expect.poll(() => tracks.count()).toBeGreaterThan(1);
    const headings = await tracks.allTextContents();
    expect(headings.some((h) => h.startsWith("Workshops"))).toBe(true);
    expect(headings.some((h) => h.startsWith("Seminars"))).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    const glm = server.sessions.packs.get("g01-glm")!;
    await page.getByLabel("Filter packs").fill("generalized linear spike");
    await expect.poll(() => page.locator(".pack").count()).toBe(1);
    const card = page.locator(".pack[data-pack=g01-glm]");
    expect(await page.locator(".pack-track h2").allTextContents()).toEqual(["Seminars (1)"]);
    expect(await card.locator(".pack-meta").textContent()).toContain(glm.level);
    expect(await card.locator(".duration").textContent()).toBe("3 h");
    await page.getByLabel("Filter packs").fill("no such pack anywhere");
    await page.getByText("No pack matches “no such pack anywhere”.").waitFor();
    await page.context().close();
  });

  it("the dashboard has no serious or critical axe violation", async () => {
    host = await newPage("host");
    await host.goto(`${server.url}/host/${session.sessionId}#key=${session.hostKey}`);
    await host.getByRole("heading", { name: "Pairing" }).waitFor();
    expect(await seriousViolations(host)).toEqual([]);
  });

  it("the join page has none, and a keyboard-only attendee joins", async () => {
    ada = await newPage("ada");
    await ada.goto(`${server.url}/join/${session.joinCode}`);
    await ada.getByLabel("Name").waitFor();
    expect(await seriousViolations(ada)).toEqual([]);
    await tabTo(ada, "input[name=name]");
    await ada.keyboard.type("Ada");
    await ada.keyboard.press("Enter");
    // The session starts in Exposition, where the editor is folded away: open it from the keyboard.
    await ada.getByRole("button", { name: "Open the editor" }).waitFor();
    await tabTo(ada, ".editor-collapsed button");
    await ada.keyboard.press("Enter");
    await ada.locator(".cm-content[contenteditable=true]").waitFor();
  });

  it("keyboard only: types, runs, reads the checks (announced) and raises a hand", async () => {
    await tabTo(ada, ".cm-content");
    await ada.keyboard.press("Control+End");
    await ada.keyboard.type("\n// typed with the keyboard only");
    await expect
      .poll(() => ada.locator(".cm-content").textContent())
      .toContain("typed with the keyboard only");
    // CodeMirror empties its live region 200 ms after an announcement: record what it says.
    await ada.evaluate(() => {
      const region = document.querySelector(".cm-announced")!;
      const said: string[] = [];
      Object.assign(window, { cmAnnounced: said });
      new MutationObserver(() => said.push(region.textContent ?? "")).observe(region, {
        childList: true,
        subtree: true,
        characterData: true,
      });
    });
    await ada.keyboard.press("Control+Enter");
    const checks = ada.getByRole("region", { name: "Checks" });
    await expect.poll(() => checks.locator(".check-list li").count(), { timeout: 30_000 }).toBeGreaterThan(0);
    // The result is announced, in the live region and to the editor.
    await expect.poll(() => announced(ada)).toMatch(/\d+ of \d+ checks passed/);
    // CodeMirror's own live region inside the editor says it too.
    const cmAnnounced = () =>
      ada.evaluate(() => (window as unknown as { cmAnnounced: string[] }).cmAnnounced.join("\n"));
    await expect.poll(cmAnnounced).toMatch(/\d+ of \d+ checks passed/);
    // The checks can be reached and read from the keyboard: Escape leaves the editor, Tab moves on.
    await ada.keyboard.press("Escape");
    await tabTo(ada, ".check-list");
    expect(await ada.evaluate(() => document.activeElement?.textContent ?? "")).toMatch(/passed:|failed:/);
    await tabTo(ada, "button.hand", true);
    await ada.keyboard.press("Enter");
    expect(await ada.locator("button.hand").getAttribute("aria-pressed")).toBe("true");
    await host.getByText("1 hand raised").waitFor();
  });

  it("broadcasts and stage changes are announced in the room", async () => {
    const composer = host.getByRole("region", { name: "Broadcast" });
    await composer.getByRole("textbox").first().fill("Look at the **gradient** sign.");
    await composer.locator("button[type=submit]").click();
    await expect.poll(() => announced(ada)).toContain("The host says: Look at the gradient sign.");
    await host.getByRole("group", { name: "Stage" }).getByRole("button", { name: "Review" }).click();
    await expect.poll(() => announced(ada)).toContain("Stage: review");
  });

  it("the room has no serious or critical axe violation", async () => {
    expect(await seriousViolations(ada)).toEqual([]);
  });

  it("the dashboard with a participant's row and the Follow view open has none either", async () => {
    await host.getByRole("button", { name: "Follow Ada" }).click();
    await host.getByRole("region", { name: "Following Ada" }).locator(".cm-content").waitFor();
    expect(await seriousViolations(host)).toEqual([]);
  });

  it("the summary has no serious or critical axe violation", async () => {
    const page = await host.context().newPage();
    await page.goto(`${server.url}/summary/${session.sessionId}`);
    await page.locator(".summary-task").first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("the whole paired room (two attendees, paired, editor open) has none, for the driver and the navigator", async () => {
    // Back to Coding (editable), and Bob joins; the host pairs Ada with him.
    await host.getByRole("group", { name: "Stage" }).getByRole("button", { name: "Coding" }).click();
    await expect.poll(() => announced(ada)).toContain("Stage: coding");
    const bob = await newPage("bob");
    await bob.goto(`${server.url}/join/${session.joinCode}`);
    await bob.getByLabel("Name").fill("Bob");
    await bob.getByRole("button", { name: "Join" }).click();
    await bob.locator(".cm-content[contenteditable=true]").waitFor();
    await ada.locator(".cm-content[contenteditable=true]").waitFor();
    const panel = host.getByRole("region", { name: "Pairing" });
    await expect.poll(() => panel.getByLabel("First partner").locator("option").count()).toBe(3);
    await panel.getByLabel("First partner").selectOption({ label: "Ada" });
    await panel.getByLabel("Second partner").selectOption({ label: "Bob" });
    await panel.getByRole("button", { name: "Pair", exact: true }).click();
    // Enough code that the editor scrolls (axe checks a scrollable region can be reached by keyboard).
    await ada.locator(".cm-content").click();
    await ada.keyboard.press("Control+End");
    await ada.keyboard.insertText(
      Array.from({ length: 80 }, (_, i) => `\nconst line${i} = ${i}; // a long program`).join(""),
    );
    for (const page of [ada, bob]) {
      await expect
        .poll(() => page.locator(".cm-scroller").evaluate((el) => el.scrollHeight > el.clientHeight + 50))
        .toBe(true);
    }
    const violations: Record<string, string[]> = {};
    for (const [page, role] of [
      [ada, "driver"],
      [bob, "navigator"],
    ] as const) {
      await page.locator(`.pair-status[data-role=${role}] .role-badge`).waitFor();
      // The whole room, not a part of it: the pairing line, the editor's scroller, the checks.
      violations[role] = await seriousViolations(page);
    }
    expect(violations).toEqual({ driver: [], navigator: [] });
    await bob.context().close();
  });
});
