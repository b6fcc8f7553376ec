/**
 * Host tools in real browsers. Hints: an attendee asks for a hint, the host sees the request and
 * sends the next hint to that attendee only, then reveals a hint and the solution to everyone; each
 * room shows exactly what was revealed to it. Questions: attendees post questions, the host answers
 * one by broadcast (it reaches every room, the question quoted as text) and marks another done.
 * Export: the host downloads the progress CSV and the code zip from the dashboard's buttons.
 *
 * Its client build, server and Chromium are its own (`startBrowserWorld` in harness.ts).
 */
import { readFileSync } from "node:fs";
import { strFromU8, unzipSync } from "fflate";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunningServer } from "../../server/main.js";
import { describeWith } from "../support/requirements.js";
import { startBrowserWorld, type BrowserWorld } from "../../support/harness.js";

await describeWith(["chromium"], "host tools in real browsers", () => {
  let server: RunningServer;
  let browser: Browser;
  let world: BrowserWorld;
  let host: Page;
  let ada: Page;
  let bob: Page;
  let hints: string[];
  let created: { sessionId: string; hostKey: string; joinCode: string };
  let solution: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    world = await startBrowserWorld("hints");
    ({ server, browser } = world);
    const task = server.sessions.packs.get("demo")!.tasks[0]!;
    hints = task.hints;
    solution = task.solution;
  }, 180_000);

  afterAll(async () => {
    await world?.close();
    expect(pageErrors).toEqual([]);
  });

  async function attendee(joinCode: string, name: string): Promise<Page> {
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
  const shownHints = (page: Page) => page.locator(".hints [data-hint]").allInnerTexts();

  it("the host sees a hint request and answers it for that attendee only", async () => {
    created = (await fetch(`${server.url}/api/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pack: "demo" }),
    }).then((r) => r.json())) as { sessionId: string; hostKey: string; joinCode: string };
    host = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    host.on("pageerror", (e) => pageErrors.push(`host: ${e.message}`));
    await host.goto(`${server.url}/host/${created.sessionId}#key=${created.hostKey}`);
    await host.getByRole("button", { name: "Reveal next hint to everyone" }).waitFor();
    ada = await attendee(created.joinCode, "Ada");
    bob = await attendee(created.joinCode, "Bob");

    await ada.getByRole("button", { name: "Ask for a hint" }).click();
    await ada.getByRole("button", { name: "Hint requested" }).waitFor();
    const request = host.locator("[data-hint-request]", { hasText: "Ada" });
    await request.waitFor();
    expect(await request.textContent()).toContain("asks for a hint on One step downhill");
    await request.getByRole("button", { name: "Send next hint" }).click();

    await expect.poll(() => shownHints(ada)).toEqual([`Hint 1: ${hints[0]}`]);
    await expect.poll(() => host.locator("[data-hint-request]").count()).toBe(0);
    expect(await shownHints(bob)).toEqual([]);
  });

  it("a hint and the solution revealed to everyone reach every room", async () => {
    await host.getByRole("button", { name: "Reveal next hint to everyone" }).click();
    await expect.poll(() => shownHints(bob)).toEqual([`Hint 1: ${hints[0]}`]);
    await host.getByRole("button", { name: "Reveal next hint to everyone" }).click();
    await expect.poll(() => shownHints(bob)).toEqual([`Hint 1: ${hints[0]}`, `Hint 2: ${hints[1]}`]);
    await expect.poll(() => shownHints(ada)).toEqual([`Hint 1: ${hints[0]}`, `Hint 2: ${hints[1]}`]);
    expect(await bob.locator(".hints .solution").count()).toBe(0);

    await host.getByRole("button", { name: "Reveal solution to everyone" }).click();
    for (const page of [ada, bob]) {
      await page.locator(".hints .solution code").waitFor();
      expect(await page.locator(".hints .solution code").textContent()).toBe(solution);
    }
    // Every hint shown: nothing left to ask for.
    expect(await ada.getByRole("button", { name: "Ask for a hint" }).count()).toBe(0);
  });

  it("questions reach the host's queue; an answer is broadcast to every room; another is marked done", async () => {
    const hostile = 'Why 2? <img src=x onerror="window.__q=1"> **not bold** [link](http://example.com)';
    await ada.getByLabel("Ask the host").fill(hostile);
    await ada.getByRole("button", { name: "Send question" }).click();
    await ada.getByText("Question sent.").waitFor();
    const question = host.locator("[data-question]", { hasText: "Ada" });
    await question.waitFor();
    expect(await question.locator(".question-text").textContent()).toBe(hostile);
    expect(await host.locator(".questions-panel img").count()).toBe(0);

    await question.getByLabel("Answer to Ada").fill("Because the derivative of (x - 3)^2 is 2(x - 3).");
    await question.getByRole("button", { name: "Broadcast answer" }).click();
    for (const page of [ada, bob]) {
      const answer = page.locator(".feed .broadcast", { hasText: "Ada asked:" });
      await answer.waitFor();
      expect(await answer.textContent()).toContain("Because the derivative of (x - 3)^2 is 2(x - 3).");
      // The question is quoted as text: no image, no link, the asterisks kept.
      expect(await answer.textContent()).toContain("**not bold**");
      expect(await answer.locator("img, a").count()).toBe(0);
    }
    await expect.poll(() => host.locator("[data-question]").count()).toBe(0);

    await bob.getByLabel("Ask the host").fill("Can we go slower?");
    await bob.getByRole("button", { name: "Send question" }).click();
    const bobs = host.locator("[data-question]", { hasText: "Can we go slower?" });
    await bobs.waitFor();
    await bobs.getByRole("button", { name: "Mark done" }).click();
    await expect.poll(() => host.locator("[data-question]").count()).toBe(0);
    // Done stays done after a reload (it is stored, not just hidden).
    await host.reload();
    await host.getByRole("heading", { name: "Questions (0)" }).waitFor();
    expect(await ada.evaluate(() => (window as { __q?: number }).__q)).toBeUndefined();
    expect(await host.evaluate(() => (window as { __q?: number }).__q)).toBeUndefined();
  });

  it("the host downloads progress as CSV and everyone's code as a zip from the dashboard", async () => {
    const marker = "// ada-export-marker";
    await ada.locator(".cm-content").click();
    await ada.keyboard.press("Control+End");
    await ada.keyboard.type(`\n${marker}`);
    const taskId = server.sessions.packs.get("demo")!.tasks[0]!.id;
    // The edit has reached the server once the export route sees it.
    await expect
      .poll(async () => {
        const response = await fetch(`${server.url}/api/sessions/${created.sessionId}/export?format=zip`, {
          headers: { authorization: `Bearer ${created.hostKey}` },
        });
        const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
        return files[`Ada/${taskId}.js`] ? strFromU8(files[`Ada/${taskId}.js`]!) : "";
      })
      .toContain(marker);

    const save = async (label: string) => {
      const [download] = await Promise.all([
        host.waitForEvent("download"),
        host.getByRole("button", { name: label }).click(),
      ]);
      return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
    };
    const csv = await save("Export progress (CSV)");
    expect(csv.name).toMatch(new RegExp(`^scratchroom-${created.sessionId}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const rows = csv.bytes.toString("utf8").trim().split(/\r?\n/);
    expect(rows[0]).toMatch(/^"participant","task",/);
    // One row per participant and task.
    const taskCount = server.sessions.packs.get("demo")!.tasks.length;
    expect(rows.filter((r) => r.includes("Ada"))).toHaveLength(taskCount);
    expect(rows.filter((r) => r.includes("Bob"))).toHaveLength(taskCount);

    const zip = await save("Export code (zip)");
    expect(zip.name).toMatch(/\.zip$/);
    const files = unzipSync(new Uint8Array(zip.bytes));
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(["progress.csv", "summary.json", `Ada/${taskId}.js`, `Bob/${taskId}.js`]),
    );
    expect(strFromU8(files[`Ada/${taskId}.js`]!)).toContain(marker);
    expect(strFromU8(files[`Bob/${taskId}.js`]!)).not.toContain(marker);
    expect(strFromU8(files["progress.csv"]!)).toBe(csv.bytes.toString("utf8"));
  });
});
