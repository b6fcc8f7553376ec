/**
 * Pairing in real browsers. The host pairs two attendees from the dashboard; both type in the one
 * shared editor and each sees the other's text and a cursor labelled with the partner's name; the
 * driver/navigator badge shows and swaps; the dashboard shows the pair as one row ("Ada & Bob") with
 * the shared workspace's runs, never a member's older failing run; and the swap reminder appears once the interval passed;
 * unpairing from the dashboard leaves both with the code, and their edits no longer cross. Then a
 * pair planned from a name list is made as its second member joins. A second "Ada" joins as
 * "ada (2)" and is told so.
 *
 * Its client build, server and Chromium are its own (`startBrowserWorld` in harness.ts).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunningServer } from "../../server/main.js";
import { describeWith } from "../support/requirements.js";
import { startBrowserWorld, type BrowserWorld } from "../../support/harness.js";

await describeWith(["chromium"], "pairing in real browsers", () => {
  let server: RunningServer;
  let browser: Browser;
  let world: BrowserWorld;
  let host: Page;
  let ada: Page;
  let bob: Page;
  let joinCode: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    world = await startBrowserWorld("pairing");
    ({ server, browser } = world);
  }, 180_000);

  afterAll(async () => {
    await world?.close();
    expect(pageErrors).toEqual([]);
  });

  async function attendee(name: string): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on("pageerror", (e) => pageErrors.push(`${name}: ${e.message}`));
    await page.goto(`${server.url}/join/${joinCode}`);
    await page.getByLabel("Name").fill(name);
    await page.getByRole("button", { name: "Join" }).click();
    // Sessions start in Exposition, where the editor is folded away.
    await page.getByRole("button", { name: "Open the editor" }).click();
    await page.locator(".cm-content[contenteditable=true]").waitFor();
    return page;
  }
  /** The editor's code, without the remote cursors' name labels. */
  const code = (page: Page) =>
    page.locator(".cm-content").evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      for (const widget of copy.querySelectorAll(".cm-ySelectionCaret, .cm-widgetBuffer")) widget.remove();
      return [...copy.querySelectorAll(".cm-line")].map((line) => line.textContent ?? "").join("\n");
    });
  /** Types `text` on a new line at the end of the editor. */
  async function typeAtEnd(page: Page, text: string) {
    await page.locator(".cm-content").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.press("Enter");
    await page.keyboard.type(text);
  }
  const pairStatus = (page: Page) => page.locator(".pair-status");
  const role = (page: Page) => pairStatus(page).getAttribute("data-role");
  const remoteCursorNames = (page: Page) => page.locator(".cm-ySelectionInfo").allTextContents();

  it("the host pairs two attendees from the dashboard; both see whom they pair with and who drives", async () => {
    const created = (await fetch(`${server.url}/api/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pack: "demo" }),
    }).then((r) => r.json())) as { sessionId: string; hostKey: string; joinCode: string };
    joinCode = created.joinCode;
    host = await (await browser.newContext({ viewport: { width: 1440, height: 1000 } })).newPage();
    host.on("pageerror", (e) => pageErrors.push(`host: ${e.message}`));
    await host.goto(`${server.url}/host/${created.sessionId}#key=${created.hostKey}`);
    await host.getByRole("heading", { name: "Pairing" }).waitFor();
    ada = await attendee("Ada");
    bob = await attendee("Bob");
    // Each starts alone, in a workspace of their own; Bob runs the starter, which fails a check.
    await typeAtEnd(ada, "// ada before pairing");
    expect(await pairStatus(ada).count()).toBe(0);
    await bob.getByRole("button", { name: /^Run/ }).click();
    const rowOf = (name: string) =>
      host.locator("tbody tr", { has: host.locator("th.name", { hasText: name }) });
    await expect
      .poll(() => rowOf("Bob").locator("td.last-run").getAttribute("data-status"), { timeout: 20_000 })
      .toBe("failing");

    const panel = host.getByRole("region", { name: "Pairing" });
    await expect.poll(() => panel.getByLabel("First partner").locator("option").count()).toBe(3);
    await panel.getByLabel("Remind pairs to swap every").fill("1");
    await panel.getByLabel("First partner").selectOption({ label: "Ada" });
    await panel.getByLabel("Second partner").selectOption({ label: "Bob" });
    await panel.getByRole("button", { name: "Pair", exact: true }).click();
    await panel.getByText("Ada and Bob are paired.").waitFor();

    await pairStatus(ada).getByText("Pairing with Bob").waitFor();
    await pairStatus(bob).getByText("Pairing with Ada").waitFor();
    expect(await role(ada)).toBe("driver");
    expect(await pairStatus(ada).textContent()).toContain("you drive");
    expect(await role(bob)).toBe("navigator");
    expect(await pairStatus(bob).textContent()).toContain("you navigate");
    // Bob's room switched to the pair's workspace without a reload: Ada's code is in his editor.
    await expect.poll(() => code(bob)).toContain("// ada before pairing");
    // The participants table shows the pair as one row, with the pair's runs (none yet), not Bob's
    // failing run from his own workspace.
    await expect.poll(() => host.locator("tbody tr[data-participant]").count()).toBe(1);
    const pairRow = host.locator("tbody tr[data-participant]");
    expect(await pairRow.locator("th.name").textContent()).toContain("Ada & Bob");
    expect(await pairRow.locator("td.last-run").getAttribute("data-status")).toBe("none");
    // After a reload too (the first state comes from GET /progress).
    await host.reload();
    await host.locator("tbody tr[data-participant]", { hasText: "Ada & Bob" }).waitFor();
    expect(await host.locator("tbody tr[data-participant]").count()).toBe(1);
    expect(await host.locator("tbody tr td.last-run").getAttribute("data-status")).toBe("none");
  });

  it("both type, each sees the other's text and a cursor with the partner's name", async () => {
    await typeAtEnd(ada, "// typed by ada");
    await typeAtEnd(bob, "// typed by bob");
    for (const page of [ada, bob]) {
      await expect.poll(() => code(page)).toContain("// typed by ada");
      await expect.poll(() => code(page)).toContain("// typed by bob");
    }
    await expect.poll(() => remoteCursorNames(ada)).toContain("Bob");
    await expect.poll(() => remoteCursorNames(bob)).toContain("Ada");
  });

  it("the host swaps roles; the badges follow", async () => {
    await host.getByRole("button", { name: "Swap roles of Ada and Bob" }).click();
    await expect.poll(() => role(ada)).toBe("navigator");
    await expect.poll(() => role(bob)).toBe("driver");
    expect(await pairStatus(bob).textContent()).toContain("you drive");
    expect(await host.locator("[data-pair]").textContent()).toMatch(/Bob drives, Ada navigates/);
  });

  it("the swap reminder shows once the interval (one minute) has passed", async () => {
    expect(await bob.getByText("Time to swap roles").count()).toBe(0);
    // Bob's clock runs 61 s ahead; Ada's does not.
    await bob.clock.install();
    await bob.clock.fastForward(61_000);
    await bob.getByText("Time to swap roles").waitFor({ timeout: 15_000 });
    expect(await ada.getByText("Time to swap roles").count()).toBe(0);
  });

  it("unpairing from the dashboard leaves both with the code; their edits no longer cross", async () => {
    const shared = await code(ada);
    await host.getByRole("button", { name: "Unpair Ada and Bob" }).click();
    await host.getByText("Ada and Bob are unpaired; each keeps a copy of the code.").waitFor();
    await expect.poll(() => pairStatus(ada).count()).toBe(0);
    await expect.poll(() => pairStatus(bob).count()).toBe(0);
    // Two rows again.
    await expect.poll(() => host.locator("tbody tr[data-participant]").count()).toBe(2);
    // Bob's room moved to his copy: same code, in a workspace of his own.
    await expect.poll(() => code(bob)).toBe(shared);
    expect(await code(ada)).toBe(shared);
    await bob.locator(".cm-content[contenteditable=true]").waitFor();

    await typeAtEnd(ada, "// ada alone again");
    await typeAtEnd(bob, "// bob alone again");
    await expect.poll(() => code(ada)).toContain("// ada alone again");
    await expect.poll(() => code(bob)).toContain("// bob alone again");
    // Give a crossing edit time to arrive; none may.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await code(ada)).not.toContain("// bob alone again");
    expect(await code(bob)).not.toContain("// ada alone again");
    // And both still have what they wrote together, after a reload too.
    await bob.reload();
    await bob.locator(".cm-content[contenteditable=true]").waitFor();
    await expect.poll(() => code(bob)).toContain("// typed by ada");
    expect(await code(bob)).toContain("// bob alone again");
  });

  it("a pair planned from a name list is made as soon as both have joined", async () => {
    const panel = host.getByRole("region", { name: "Pairing" });
    await panel.getByLabel(/Pairs to make as people join/).fill("Cleo & Dan\nEve, Finn");
    await panel.getByRole("button", { name: "Save plan" }).click();
    await panel.getByText("Cleo & Dan: waiting for Cleo and Dan").waitFor();
    const cleo = await attendee("Cleo");
    await typeAtEnd(cleo, "// cleo got here first");
    await panel.getByText("Cleo & Dan: waiting for Dan").waitFor();
    expect(await pairStatus(cleo).count()).toBe(0);

    const dan = await attendee("dan");
    await pairStatus(dan).getByText("Pairing with Cleo").waitFor();
    await pairStatus(cleo).getByText("Pairing with dan").waitFor();
    expect(await role(cleo)).toBe("driver");
    // Dan starts in Cleo's workspace with her code.
    await expect.poll(() => code(dan)).toContain("// cleo got here first");
    await typeAtEnd(dan, "// dan joins in");
    await expect.poll(() => code(cleo)).toContain("// dan joins in");
    await panel.getByText("Cleo & Dan: paired").waitFor();
    await panel.getByText("Eve & Finn: waiting for Eve and Finn").waitFor();
  });

  it("a second attendee typing a taken name is told the suffixed name and wears it in the room", async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on("pageerror", (e) => pageErrors.push(`second Ada: ${e.message}`));
    await page.goto(`${server.url}/join/${joinCode}`);
    await page.getByLabel("Name").fill("ada");
    await page.getByRole("button", { name: "Join" }).click();
    await page
      .getByRole("status")
      .getByText("Someone here is already called “ada”, so you joined as ada (2).")
      .waitFor();
    await page.getByRole("button", { name: "Continue to the room" }).click();
    await page.getByRole("button", { name: "Open the editor" }).click();
    await page.locator(".cm-content[contenteditable=true]").waitFor();
    expect(await page.locator("header .me").textContent()).toBe("ada (2)");
    // The dashboard tells the two apart.
    await host.locator("tbody th.name", { hasText: "ada (2)" }).waitFor();
    const names = await host.locator("tbody th.name").allTextContents();
    expect(new Set(names).size).toBe(names.length);
  });
});
