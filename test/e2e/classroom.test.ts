/**
 * A session in real browsers: a host creates it from the start page, two attendees join in separate
 * browser contexts, one fails a check and fixes it while the host watches, broadcasts, the timer
 * and the lock reach everyone, an offline attendee's edits merge on return, and hostile names and
 * console output render as text. Takes the README screenshots: into test-results/screenshots/, or,
 * with UPDATE_SCREENSHOTS=1 (`npm run screenshots`), over the tracked ones in docs/screenshots/.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import WebSocket from "ws";
import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import { describeWith } from "../support/requirements.js";
import { buildClient, launchChromium, ROOT, startServer, type RunningServer } from "../../support/harness.js";

const XSS_NAME = `<img src=x onerror="window.__xss=1">Bob`;
const STARTER_FIX = "return x - lr * 2 * (x - 3);";

await describeWith(["chromium"], "the classroom in real browsers", () => {
  let server: RunningServer;
  let browser: Browser;
  let hostContext: BrowserContext;
  let host: Page;
  let ada: Page;
  let bob: Page;
  let bobContext: BrowserContext;
  let joinCode: string;
  let sessionId: string;
  const pageErrors: string[] = [];

  const watch = (page: Page, who: string) => {
    page.on("pageerror", (error) => pageErrors.push(`${who}: ${error.message}`));
    page.on("dialog", (dialog) => {
      pageErrors.push(`${who}: unexpected dialog ${dialog.message()}`);
      void dialog.dismiss();
    });
    // Nothing may come from the network at run time: every request goes to our server (by the
    // address the test used or by its PUBLIC_URL), or is a data:/blob: URL.
    page.on("request", (request) => {
      const url = new URL(request.url());
      const ours = ["127.0.0.1", "localhost"].includes(url.hostname) && url.port === new URL(server.url).port;
      if (!ours && url.protocol !== "data:" && url.protocol !== "blob:") {
        pageErrors.push(`${who}: request to ${request.url()}`);
      }
    });
  };
  const shots = new Set<string>();
  /** Takes a README screenshot; refreshes the tracked one only when asked to (`npm run screenshots`). */
  async function screenshot(page: Page, name: string) {
    const dir =
      process.env.UPDATE_SCREENSHOTS === "1"
        ? join(ROOT, "docs", "screenshots")
        : join(ROOT, "test-results", "screenshots");
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, name) });
    shots.add(name);
  }
  const editor = (page: Page) => page.locator(".cm-content");
  const editorText = (page: Page) => editor(page).evaluate((el) => (el as HTMLElement).innerText);
  const participantRow = (name: string) => host.locator("tr[data-participant]", { hasText: name });

  beforeAll(async () => {
    await buildClient();
    server = await startServer();
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("a host creates a session from the start page and gets a join code and QR code", async () => {
    hostContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    host = await hostContext.newPage();
    watch(host, "host");
    await host.goto(`${server.url}/`);
    // The demo pack (the start page groups packs by track; demos come last).
    await host
      .locator(".pack[data-pack=demo]")
      .getByRole("button", { name: /^Start session of / })
      .click();
    await host.waitForURL(/\/host\/[^/#]+$/);
    sessionId = new URL(host.url()).pathname.split("/")[2]!;
    joinCode = (await host.getByLabel("Join code").textContent())!.trim();
    expect(joinCode).toMatch(/^[A-Z0-9]{6}$/);
    await expect
      .poll(() => host.locator(".join-card canvas").evaluate((c) => (c as HTMLCanvasElement).width))
      .toBeGreaterThan(0);
  });

  it("a wrong code gets a clear message", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/join/ZZZZZZ`);
    await page.getByLabel("Name").fill("Eve");
    await page.getByRole("button", { name: "Join" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/doesn't match an open session/);
    await context.close();
  });

  it("two attendees join in separate contexts, one from the link and one by typing the code", async () => {
    const adaContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    ada = await adaContext.newPage();
    watch(ada, "ada");
    await ada.goto(`${server.url}/join/${joinCode}`);
    expect(await ada.getByLabel("Code").inputValue()).toBe(joinCode);
    await ada.getByLabel("Name").fill("Ada");
    await ada.getByRole("button", { name: "Join" }).click();
    await ada.waitForURL(new RegExp(`/room/${sessionId}$`));
    // Sessions start in Exposition, where the editor is folded away.
    await ada.getByRole("button", { name: "Open the editor" }).click();
    await ada.locator(".cm-content[contenteditable=true]").waitFor();

    bobContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    bob = await bobContext.newPage();
    watch(bob, "bob");
    await bob.goto(`${server.url}/join`);
    await bob.getByLabel("Code").fill(joinCode.toLowerCase());
    await bob.getByLabel("Name").fill(XSS_NAME);
    await bob.getByRole("button", { name: "Join" }).click();
    // Sessions start in Exposition, where the editor is folded away.
    await bob.getByRole("button", { name: "Open the editor" }).click();
    await bob.locator(".cm-content[contenteditable=true]").waitFor();
    expect(await editorText(bob)).toContain("export function step");

    await expect.poll(() => host.locator("tr[data-participant]").count()).toBe(2);
  });

  it("an expired seat sends the attendee back to the join page with a message", async () => {
    const context = await browser.newContext();
    const seat = {
      sessionId,
      participantId: "p",
      workspaceId: "w",
      token: "expired.token",
      joinCode,
      name: "Old",
    };
    await context.addInitScript((s) => {
      localStorage.setItem(`scratchroom:seat:${s.sessionId}`, JSON.stringify(s));
      localStorage.setItem(`scratchroom:code:${s.joinCode}`, JSON.stringify(s.sessionId));
    }, seat);
    const page = await context.newPage();
    await page.goto(`${server.url}/room/${sessionId}`);
    await page.waitForURL(/\/join\/[A-Z0-9]+\?expired=1$/);
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/expired/);
    expect(await page.getByLabel("Code").inputValue()).toBe(joinCode);
    await context.close();
  });

  it("a hostile name renders as text on the dashboard and in the room", async () => {
    await expect.poll(() => participantRow("Bob").locator("th.name").textContent()).toContain(XSS_NAME);
    expect(await host.locator("tbody img").count()).toBe(0);
    expect(await bob.locator("header .me").textContent()).toBe(XSS_NAME);
    expect(await host.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    expect(await bob.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
  });

  it("an attendee runs code that fails a check, fixes it and passes; the host sees both states", async () => {
    await ada.getByRole("button", { name: /^Run/ }).click();
    await expect
      .poll(() => ada.locator(".check-list li[data-passed=false]").count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await expect
      .poll(() => participantRow("Ada").locator("td.last-run").getAttribute("data-status"))
      .toBe("failing");
    expect(await participantRow("Bob").locator("td.last-run").getAttribute("data-status")).toBe("none");

    // Fix the TODO line and run with the keyboard shortcut.
    await editor(ada).locator(".cm-line", { hasText: "return x; // TODO" }).click();
    await ada.keyboard.press("Home");
    await ada.keyboard.press("Shift+End");
    await ada.keyboard.insertText(STARTER_FIX);
    await ada.keyboard.press("Control+Enter");
    // Wait for the passing state itself: the list is also empty of failures while the new run starts.
    const checkCounts = async () => ({
      failed: await ada.locator(".check-list li[data-passed=false]").count(),
      passedSome: (await ada.locator(".check-list li[data-passed=true]").count()) > 0,
    });
    await expect.poll(checkCounts, { timeout: 20_000 }).toEqual({ failed: 0, passedSome: true });
    await expect
      .poll(() => participantRow("Ada").locator("td.last-run").getAttribute("data-status"))
      .toBe("passing");
    await expect.poll(() => ada.locator(".console").textContent()).toContain("final x:");
    await screenshot(ada, "room.png");
  });

  /** Replaces Ada's code with `source` and runs it with the keyboard. */
  async function runInstead(source: string) {
    await editor(ada).click();
    await ada.keyboard.press("Control+a");
    await ada.keyboard.insertText(source);
    await ada.keyboard.press("Control+Enter");
  }
  /** Undoes {@link runInstead}'s replacement (one shared-undo step). */
  async function restore(expected: string) {
    await ada.locator(".toolbar button.primary:not([disabled])").waitFor({ timeout: 20_000 });
    await editor(ada).click();
    await ada.keyboard.press("Control+z");
    await expect.poll(() => editorText(ada)).toContain(expected);
  }

  it("a run error points at its line in the editor", async () => {
    await runInstead("const a = 1;\n\nundefinedThing(a);\n");
    await expect
      .poll(() => ada.locator(".run-error").first().textContent(), { timeout: 20_000 })
      .toContain("Line 3");
    expect(await editor(ada).locator(".cm-error-line").textContent()).toContain("undefinedThing");
    await ada.locator(".run-error").getByRole("button", { name: "Go to line 3" }).click();
    await restore("export function step");
  });

  it("console output that looks like HTML renders as text", async () => {
    await runInstead(`console.log('<img src=x onerror="window.__xss=1"><b>bold</b>');\n`);
    await expect
      .poll(() => ada.locator(".console").textContent(), { timeout: 20_000 })
      .toContain("<b>bold</b>");
    expect(await ada.locator(".console img, .console b").count()).toBe(0);
    expect(await ada.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    await restore("export function step");
  });

  it("draws every plot kind as it arrives: uPlot charts and canvas images", async () => {
    await runInstead(
      [
        'import { plot } from "scratch";',
        "plot.line([3, 2, 1.5, 1.2], { title: 'loss' });",
        "plot.scatter([0, 1, 2, 3], [1, 0, 1, 0], { labels: [0, 1, 0, 1], title: 'points' });",
        "plot.histogram([1, 2, 2, 3, 3, 3], { bins: 3, title: 'hist' });",
        "plot.heatmap([[0, 1], [1, 0]], { title: 'heat' });",
        "plot.image([[0, 0.5], [1, 0.25]], { title: 'img' });",
        "",
      ].join("\n"),
    );
    await expect.poll(() => ada.locator(".plots .plot").count(), { timeout: 20_000 }).toBe(5);
    expect(await ada.locator(".plots .uplot").count()).toBe(3);
    expect(await ada.locator(".plots canvas.plot-pixels").count()).toBe(2);
    const heat = await ada
      .locator('.plot[data-kind="heatmap"] canvas')
      .evaluate((c) => [...(c as HTMLCanvasElement).getContext("2d")!.getImageData(0, 0, 1, 1).data]);
    expect(heat).toEqual([68, 1, 84, 255]); // viridis(0) at the top-left 0
    await restore("export function step");
  });

  it("Stop ends a run that never finishes, and the next Run works", async () => {
    await runInstead(`console.log("spinning");\nwhile (true) {}\n`);
    await expect.poll(() => ada.locator(".console").textContent(), { timeout: 20_000 }).toContain("spinning");
    await ada.getByRole("button", { name: "Stop" }).click();
    await ada.locator(".toolbar button.primary:not([disabled])").waitFor({ timeout: 10_000 });
    await runInstead(`console.log("after stop");\n`);
    await expect
      .poll(() => ada.locator(".console").textContent(), { timeout: 20_000 })
      .toContain("after stop");
    await ada.keyboard.press("Control+z"); // back to the endless loop
    await restore("export function step"); // and to the code before it
  });

  it("the dashboard sorts by a column and filters the stuck", async () => {
    // Sorting and the "stuck" filter: Ada's last run failed, Bob has not run and is not idle yet.
    const names = () => host.locator("tbody th.name").allTextContents();
    const ascending = await names();
    await host.getByRole("button", { name: /^Name/ }).click();
    expect(await host.locator("th[aria-sort]").getAttribute("aria-sort")).toBe("descending");
    expect(await names()).toEqual([...ascending].reverse());
    await host.getByRole("button", { name: /^Name/ }).click();
    expect(await names()).toEqual(ascending);
    await host.getByLabel(/Stuck only/).check();
    await expect.poll(names).toEqual(["Ada"]);
    await host.getByLabel(/Stuck only/).uncheck();
  });

  it("a broadcast with math and code appears for both attendees, sanitised, and inserts into the editor", async () => {
    await host
      .getByLabel("Message (markdown, $math$)")
      .fill('Step size $\\eta$ matters. <img src=x onerror="window.__xss=1">');
    await host.getByLabel("Code (optional)").fill("const eta = 0.1;");
    await host.getByRole("button", { name: "Broadcast", exact: true }).click();
    for (const page of [ada, bob]) {
      await page.locator(".broadcast", { hasText: "Step size" }).waitFor();
      expect(await page.locator(".broadcast .katex").count()).toBeGreaterThan(0);
      expect(await page.locator(".broadcast img[onerror]").count()).toBe(0);
      expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    }
    await editor(bob).locator(".cm-line").first().click();
    await bob.keyboard.press("Control+Home");
    await bob
      .locator(".broadcast", { hasText: "Step size" })
      .getByRole("button", { name: "Insert into my editor" })
      .click();
    await expect.poll(() => editorText(bob)).toContain("const eta = 0.1;");
  });

  it("one click broadcasts a pack snippet, and stage changes reach the room", async () => {
    await host.getByRole("button", { name: "Broadcast Gradient descent" }).click();
    await bob.locator(".broadcast h1", { hasText: "Gradient descent" }).waitFor();
    expect(
      await bob.locator(".broadcast", { hasText: "Gradient descent" }).locator(".katex-display").count(),
    ).toBe(1);
    await host.getByRole("button", { name: "Coding" }).click();
    await expect.poll(() => bob.getByLabel("Stage").textContent()).toBe("coding");
    expect(await host.getByRole("button", { name: "Coding" }).getAttribute("aria-pressed")).toBe("true");
  });

  it("the countdown timer shows for everyone", async () => {
    await host.getByLabel("Minutes").fill("5");
    await host.getByRole("button", { name: "Start timer" }).click();
    for (const page of [ada, bob]) {
      await expect.poll(() => page.getByRole("timer").textContent()).toMatch(/^[45]:\d\d$/);
    }
  });

  it("locking makes typing have no effect, unlocking restores it", async () => {
    await host.getByRole("button", { name: "Lock editing" }).click();
    await bob.getByText("The host has locked editing").waitFor();
    const before = await editorText(bob);
    await editor(bob).click();
    await bob.keyboard.type("typed while locked");
    await bob.waitForTimeout(300);
    expect(await editorText(bob)).toBe(before);
    await host.getByRole("button", { name: "Unlock editing" }).click();
    await bob.locator(".cm-content[contenteditable=true]").waitFor();
  });

  it("the host opens an attendee's code live; each sees the other's cursor with a name", async () => {
    await editor(ada).locator(".cm-line").first().click();
    await host.getByRole("button", { name: "Open Ada's code" }).click();
    const viewer = host.getByRole("region", { name: "Ada's code" });
    await expect.poll(() => viewer.locator(".cm-content").textContent()).toContain("export function step");
    await expect.poll(() => viewer.locator(".cm-ySelectionInfo").allTextContents()).toContain("Ada");
    await viewer.locator(".cm-line").first().click();
    await host.keyboard.press("Home");
    await host.keyboard.insertText("// hint from the host\n");
    await expect.poll(() => editorText(ada)).toContain("// hint from the host");
    await expect.poll(() => editor(ada).locator(".cm-ySelectionInfo").allTextContents()).toContain("Host");
    await viewer.getByRole("button", { name: "Close" }).click();
  });

  it("rejoining from the same browser returns to the same workspace", async () => {
    await ada.goto(`${server.url}/join/${joinCode}`);
    await ada.waitForURL(new RegExp(`/room/${sessionId}$`));
    await ada.locator(".cm-content[contenteditable=true]").waitFor();
    await expect.poll(() => editorText(ada)).toContain("// hint from the host");
  });

  it("an attendee that goes offline keeps editing, and the edits merge on return", async () => {
    const seat = await bob.evaluate(
      (sid) => JSON.parse(localStorage.getItem(`scratchroom:seat:${sid}`) ?? "null"),
      sessionId,
    );
    const hostKey = await host.evaluate(
      (sid) => JSON.parse(localStorage.getItem(`scratchroom:host:${sid}`) ?? "null"),
      sessionId,
    );
    await bobContext.setOffline(true);
    await expect.poll(() => bob.locator(".connection").getAttribute("data-state")).toBe("offline");
    await editor(bob).click();
    await bob.keyboard.press("Control+End");
    await bob.keyboard.insertText("\n// written offline\n");

    // Meanwhile the host edits the same workspace from elsewhere.
    const doc = new Y.Doc();
    const wsUrl = `${server.url.replace(/^http/, "ws")}/sync`;
    const provider = new WebsocketProvider(wsUrl, `workspace/${sessionId}/${seat.workspaceId}`, doc, {
      params: { token: hostKey },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    try {
      await new Promise<void>((resolve) => provider.on("sync", (synced: boolean) => synced && resolve()));
      const files = doc.getMap<Y.Text>("files");
      const [firstTask] = [...files.keys()];
      files.get(firstTask!)!.insert(0, "// from the host\n");

      // A run while offline is reported once the attendee is back.
      await bob.keyboard.press("Control+Enter");
      await expect.poll(() => bob.locator(".checks li").count(), { timeout: 20_000 }).toBeGreaterThan(0);
      expect(await participantRow("Bob").locator("td.last-run").getAttribute("data-status")).toBe("none");

      await bobContext.setOffline(false);
      await expect
        .poll(() => bob.locator(".connection").getAttribute("data-state"), { timeout: 20_000 })
        .toBe("connected");
      await expect.poll(() => editorText(bob), { timeout: 10_000 }).toContain("// from the host");
      expect(await editorText(bob)).toContain("// written offline");
      await expect
        .poll(() => files.get(firstTask!)!.toString(), { timeout: 10_000 })
        .toContain("// written offline");
    } finally {
      provider.destroy();
      doc.destroy();
    }
  });

  it("takes the README screenshots; no page errors and no request left our server", async () => {
    await bob.getByRole("button", { name: "Raise hand" }).click();
    await expect.poll(() => participantRow("Bob").locator(".hand-badge").count()).toBe(1);
    // Ada runs her fixed code once more, so the dashboard shows one passing and one failing row.
    await editor(ada).click();
    await ada.keyboard.press("Control+Enter");
    await expect
      .poll(() => participantRow("Ada").locator("td.last-run").getAttribute("data-status"), {
        timeout: 20_000,
      })
      .toBe("passing");
    if (!shots.has("room.png")) await screenshot(ada, "room.png");
    await screenshot(host, "dashboard.png");
    expect(pageErrors).toEqual([]);
  });
});
