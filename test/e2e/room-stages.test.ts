/**
 * Stages and present mode in real browsers (issue 17, points 2 and 3).
 *
 * Exposition folds the attendee's editor away behind "Open the editor" (the feed takes the room's
 * widest column), one click opens it, a reload keeps it open, and the host moving the room into
 * Exposition again folds it. Review makes the editor read-only, and "Show to everyone" puts one
 * workspace's code (a pair's: one entry named by both) in every room. Present mode fills the
 * attendee's window at the font size the host picks, long lines unwrapped.
 *
 * Its client build, server and Chromium are its own (`startBrowserWorld` in harness.ts).
 */
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunningServer } from "../../server/main.js";
import { describeWith } from "../support/requirements.js";
import { readmeScreenshot, startBrowserWorld, type BrowserWorld } from "../../support/harness.js";

const PACK = "g01-glm";
const VIEWPORT = { width: 1440, height: 900 };

await describeWith(["chromium"], "stages and present mode in the room", () => {
  let server: RunningServer;
  let browser: Browser;
  let world: BrowserWorld;
  let host: Page;
  let ada: Page;
  let bob: Page;
  let cleo: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    world = await startBrowserWorld("room-stages");
    ({ server, browser } = world);
    const session = (await fetch(`${server.url}/api/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pack: PACK }),
    }).then((r) => r.json())) as { sessionId: string; hostKey: string; joinCode: string };
    host = await open("host", `${server.url}/host/${session.sessionId}#key=${session.hostKey}`);
    ada = await join(session.joinCode, "Ada");
    bob = await join(session.joinCode, "Bob");
    cleo = await join(session.joinCode, "Cleo");
  }, 180_000);

  afterAll(async () => {
    await world?.close();
    expect(pageErrors).toEqual([]);
  });

  async function open(name: string, url: string): Promise<Page> {
    const page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
    page.on("pageerror", (e) => pageErrors.push(`${name}: ${e.message}`));
    await page.goto(url);
    return page;
  }
  async function join(joinCode: string, name: string): Promise<Page> {
    const page = await open(name, `${server.url}/join/${joinCode}`);
    await page.getByLabel("Name").fill(name);
    await page.getByRole("button", { name: "Join" }).click();
    await page.getByRole("button", { name: "Open the editor" }).waitFor();
    return page;
  }
  const ownEditor = (page: Page) => page.locator(".work > .editor .cm-content");
  /** The text of an editor's lines, without remote cursors' name labels. */
  const textOf = (editor: Locator) =>
    editor.evaluate((el) =>
      [...el.querySelectorAll(".cm-line")]
        .map((line) => {
          const copy = line.cloneNode(true) as HTMLElement;
          copy.querySelectorAll(".cm-ySelectionCaret").forEach((c) => c.remove());
          return copy.textContent;
        })
        .join("\n"),
    );
  const width = async (locator: Locator) => (await locator.boundingBox())?.width ?? 0;
  const stage = (name: "Exposition" | "Coding" | "Review") =>
    host.getByRole("button", { name, exact: true }).click();

  it("Exposition folds the editor away behind one click, and the feed takes the room", async () => {
    // Fresh in Exposition: no editor, no Run, the feed wider than the folded work column.
    expect(await ownEditor(ada).isVisible()).toBe(false);
    expect(await ada.getByRole("button", { name: /^Run/ }).isVisible()).toBe(false);
    expect(await width(ada.locator(".side"))).toBeGreaterThan(2 * (await width(ada.locator(".work"))));
    await ada.getByRole("button", { name: "Open the editor" }).click();
    await ownEditor(ada).waitFor();
    expect(await ownEditor(ada).getAttribute("contenteditable")).toBe("true");
    expect(await ada.getByRole("button", { name: /^Run/ }).isVisible()).toBe(true);
    // A reload keeps the attendee's choice.
    await ada.reload();
    await ownEditor(ada).waitFor();
    expect(await ada.getByRole("button", { name: "Open the editor" }).count()).toBe(0);
    // The host moving the room on and back into Exposition folds it again.
    await stage("Coding");
    await expect.poll(() => ada.getByLabel("Stage").textContent()).toBe("coding");
    await expect.poll(() => ownEditor(bob).isVisible()).toBe(true);
    await stage("Exposition");
    await expect.poll(() => ownEditor(ada).isVisible()).toBe(false);
    // "Insert into my editor" on a broadcast opens it too, with the code in it.
    await host.getByLabel("Code (optional)").fill("const fromTheFeed = 1;");
    await host.getByRole("button", { name: "Broadcast", exact: true }).click();
    await ada.getByRole("button", { name: "Insert into my editor" }).click();
    await ownEditor(ada).waitFor();
    await expect.poll(() => textOf(ownEditor(ada))).toContain("const fromTheFeed = 1;");
  });

  it("Review makes the editor read-only; Coding gives typing back", async () => {
    await stage("Coding");
    await ownEditor(ada).click();
    await ada.keyboard.press("Control+Home");
    await ada.keyboard.insertText("// Ada's answer\n");
    await stage("Review");
    await ada
      .getByRole("status")
      .filter({ hasText: /^Review:/ })
      .waitFor();
    await expect.poll(() => ownEditor(ada).getAttribute("contenteditable")).toBe("false");
    await ownEditor(ada).locator(".cm-line").first().click();
    await ada.keyboard.press("Control+Home");
    await ada.keyboard.type("typed in review");
    await ada.keyboard.press("Enter");
    await ada.waitForTimeout(300);
    expect(await ownEditor(ada).locator(".cm-line").first().textContent()).toBe("// Ada's answer");
    expect(await textOf(ownEditor(ada))).not.toContain("typed in review");
    await stage("Coding");
    await expect.poll(() => ownEditor(ada).getAttribute("contenteditable")).toBe("true");
    await stage("Review");
    await expect.poll(() => ownEditor(ada).getAttribute("contenteditable")).toBe("false");
  });

  it("in Review the host shows one workspace (a pair's is one entry) to everyone", async () => {
    // Pair Bob and Cleo: the show list names their shared workspace once, by both.
    const pairing = host.getByRole("region", { name: "Pairing" });
    await pairing.getByLabel("First partner").selectOption({ label: "Bob" });
    await pairing.getByLabel("Second partner").selectOption({ label: "Cleo" });
    await pairing.getByRole("button", { name: "Pair", exact: true }).click();
    const panel = host.getByRole("region", { name: "Show to everyone" });
    await expect
      .poll(() => panel.getByLabel("Workspace").locator("option").allTextContents())
      .toEqual(["Ada", "Bob & Cleo"]);

    await panel.getByLabel("Workspace").selectOption({ label: "Ada" });
    await panel.getByRole("button", { name: "Show Ada's code" }).click();
    for (const page of [bob, cleo, ada]) {
      const shown = page.getByRole("region", { name: "The host's presentation" });
      await shown.getByText("Ada's code, shown by the host").waitFor();
      await expect.poll(() => textOf(shown.locator(".cm-content"))).toContain("// Ada's answer");
      expect(await shown.locator(".cm-content").getAttribute("contenteditable")).toBe("false");
      // It has the window: the room's columns are hidden underneath.
      expect(await page.locator(".room-grid").isVisible()).toBe(false);
    }
    await panel.getByRole("button", { name: "Stop showing" }).click();
    await expect.poll(() => bob.locator(".room-grid").isVisible()).toBe(true);
    expect(await bob.getByRole("region", { name: "The host's presentation" }).count()).toBe(0);
  });

  it("present mode fills the attendee's window at the host's font size", async () => {
    await stage("Coding");
    const presenter = host.getByRole("region", { name: "Present" });
    const line = "  return Z.neg().exp().add(1).pow(-1);";
    await presenter.locator(".cm-content").click();
    await host.keyboard.press("Control+a");
    await host.keyboard.insertText(`export function sigmoid(Z) {\n${line}\n}`);
    await presenter.getByLabel("Font size").selectOption("40");
    await presenter.getByRole("button", { name: "Start presenting" }).click();

    const shown = bob.getByRole("region", { name: "The host's presentation" });
    await shown.getByText("Following the host").waitFor();
    const editor = shown.locator(".present-editor");
    expect(await width(editor)).toBeGreaterThan(VIEWPORT.width * 0.9);
    const fontSize = () => shown.locator(".cm-scroller").evaluate((el) => getComputedStyle(el).fontSize);
    await expect.poll(fontSize).toBe("40px");
    // The long line is one visual line at 40 px: no wrapping in a full-width view.
    await expect.poll(() => textOf(shown.locator(".cm-content"))).toContain(line.trim());
    const lineBox = await shown.locator(".cm-line", { hasText: "pow(-1)" }).boundingBox();
    expect(lineBox!.height).toBeLessThan(40 * 2);
    await readmeScreenshot(bob, "present.png");
    // The host changes the size; every follower follows.
    await presenter.getByLabel("Font size").selectOption("20");
    await expect.poll(fontSize).toBe("20px");
    await presenter.getByRole("button", { name: "Release" }).click();
    await expect.poll(() => bob.locator(".room-grid").isVisible()).toBe(true);
  });
});
