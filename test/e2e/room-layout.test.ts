/**
 * Typography and layout of the room (issue 17, point 9), in Chromium: a task's title shows once
 * (its instructions' leading H1 repeating it is dropped) and headings in the feed stay below the
 * page title; display math too wide for the feed scrolls with a visible shadow and a long code
 * line wraps instead of being clipped; on a 390 px phone Task / Code / Output are tabs, and the
 * Code tab has Run and the editor on the first screen.
 *
 * Its client build, server and Chromium are its own (`startBrowserWorld` in harness.ts).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunningServer } from "../../server/main.js";
import { describeWith } from "../support/requirements.js";
import { readmeScreenshot, startBrowserWorld, type BrowserWorld } from "../../support/harness.js";

const PACK = "g01-glm";
const PHONE = { width: 390, height: 844 };

await describeWith(["chromium"], "typography and layout of the room", () => {
  let server: RunningServer;
  let browser: Browser;
  let world: BrowserWorld;
  let session: { sessionId: string; hostKey: string; joinCode: string };
  let host: Page;
  let ada: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    world = await startBrowserWorld("room-layout");
    ({ server, browser } = world);
    session = (await fetch(`${server.url}/api/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pack: PACK }),
    }).then((r) => r.json())) as { sessionId: string; hostKey: string; joinCode: string };
    host = await open("host", `${server.url}/host/${session.sessionId}#key=${session.hostKey}`, {
      width: 1440,
      height: 900,
    });
    ada = await join("Ada", { width: 1440, height: 900 });
  }, 180_000);

  afterAll(async () => {
    await world?.close();
    expect(pageErrors).toEqual([]);
  });

  async function open(name: string, url: string, viewport: { width: number; height: number }) {
    const page = await (await browser.newContext({ viewport })).newPage();
    page.on("pageerror", (e) => pageErrors.push(`${name}: ${e.message}`));
    await page.goto(url);
    return page;
  }
  async function join(name: string, viewport: { width: number; height: number }) {
    const page = await open(name, `${server.url}/join/${session.joinCode}`, viewport);
    await page.getByLabel("Name").fill(name);
    await page.getByRole("button", { name: "Join" }).click();
    await page.getByRole("region", { name: "Tasks" }).waitFor({ state: "attached" });
    return page;
  }
  const fontPx = (page: Page, selector: string) =>
    page
      .locator(selector)
      .first()
      .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));

  it("shows a task's title once, and headings below the page title's size", async () => {
    const task = server.sessions.packs.get(PACK)!.tasks[0]!;
    expect(task.instructions.trimStart().startsWith(`# ${task.title}`)).toBe(true);
    const instructions = ada.getByRole("article", { name: `Instructions: ${task.title}` });
    await instructions.waitFor();
    const withTitle = await instructions
      .locator("h1, h2, h3, h4")
      .filter({ hasText: new RegExp(`^${task.title}$`) })
      .count();
    expect(withTitle).toBe(1);

    await host.getByLabel("Message (markdown, $math$)").fill("# A heading in the feed\n\nSome text.");
    await host.getByRole("button", { name: "Broadcast", exact: true }).click();
    await ada.locator(".broadcast h1", { hasText: "A heading in the feed" }).waitFor();
    expect(await fontPx(ada, ".broadcast h1")).toBeLessThan(await fontPx(ada, ".topbar .title"));
    expect(await fontPx(ada, ".instructions h3")).toBeLessThan(await fontPx(ada, ".topbar .title"));
  });

  it("wide display math scrolls with a visible sign; a long code line wraps", async () => {
    const terms = Array.from({ length: 30 }, (_, i) => `w_{${i}} x_{${i}}`).join(" + ");
    const longLine = `const weights = [${Array.from({ length: 40 }, (_, i) => i / 10).join(", ")}];`;
    await host.getByLabel("Message (markdown, $math$)").fill(`Wide:\n\n$$\n${terms}\n$$`);
    await host.getByLabel("Code (optional)").fill(longLine);
    await host.getByRole("button", { name: "Broadcast", exact: true }).click();
    const math = ada.locator(".broadcast .math-display").last();
    await math.waitFor();
    const box = await math.evaluate((el) => ({
      scrollWidth: el.scrollWidth,
      clientWidth: el.clientWidth,
      overflowX: getComputedStyle(el).overflowX,
      background: getComputedStyle(el).backgroundImage,
    }));
    expect(box.scrollWidth).toBeGreaterThan(box.clientWidth);
    expect(box.overflowX).toBe("auto");
    // The shadows that say "there is more this way".
    expect(box.background).toContain("radial-gradient");
    const code = ada.locator(".broadcast .code-block").last();
    const codeBox = await code.evaluate((el) => ({
      scrollWidth: el.scrollWidth,
      clientWidth: el.clientWidth,
    }));
    expect(codeBox.scrollWidth).toBeLessThanOrEqual(codeBox.clientWidth);
    expect((await code.textContent())?.replace(/\s+/g, "")).toContain(longLine.replace(/\s+/g, ""));
  });

  it("on a 390 px phone Task / Code / Output are tabs; Code has Run and the editor on one screen", async () => {
    const phone = await join("Pip", PHONE);
    const tabs = phone.getByRole("tablist", { name: "Room views" });
    await tabs.waitFor();
    // The task first: the instructions, not the editor.
    expect(await phone.locator("#room-task").isVisible()).toBe(true);
    expect(await phone.locator("#room-code").isVisible()).toBe(false);
    expect(await phone.locator("#room-output").isVisible()).toBe(false);

    await tabs.getByRole("tab", { name: "Code" }).click();
    expect(await tabs.getByRole("tab", { name: "Code" }).getAttribute("aria-selected")).toBe("true");
    expect(await phone.locator("#room-task").isVisible()).toBe(false);
    await phone.getByRole("button", { name: "Open the editor" }).click();
    const run = phone.getByRole("button", { name: /^Run/ });
    const editor = phone.locator(".work > .editor .cm-content");
    await editor.waitFor();
    const runBox = (await run.boundingBox())!;
    const editorBox = (await phone.locator(".work > .editor").boundingBox())!;
    // Without scrolling: Run and at least ten lines of editor inside the first screen.
    expect(await phone.evaluate(() => window.scrollY)).toBe(0);
    expect(runBox.y + runBox.height).toBeLessThanOrEqual(PHONE.height);
    expect(editorBox.y + 10 * 18).toBeLessThanOrEqual(PHONE.height);
    expect(editorBox.width).toBeLessThanOrEqual(PHONE.width);
    // It runs from there, and Output has the checks.
    await run.click();
    await phone.getByText(/Finished in|Stopped with an error/).waitFor({ timeout: 20_000 });
    await readmeScreenshot(phone, "phone.png");
    await tabs.getByRole("tab", { name: "Output" }).click();
    expect(await phone.getByRole("region", { name: "Checks" }).isVisible()).toBe(true);
    expect(await phone.locator("#room-code").isVisible()).toBe(false);
    // The page is no wider than the phone.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  });
});
