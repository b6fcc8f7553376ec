/**
 * Follow and present mode in real browsers (issue 7, point 2).
 *
 * Follow: the host follows an attendee; the view opens in sight beside the table; the read-only view
 * shows her typing live and keeps her
 * cursor in sight; typing into it changes nothing; her last run's console output (hostile HTML as
 * text), error line and metrics reach it. Present: the host presents; two attendees see the host's
 * text and follow its scroll; one steps out with Esc (the host's panel names her) and rejoins with
 * Alt+P; on release everyone is back in their own editor with their code intact. Following someone
 * who left shows the code and the run of the same task (the one they last ran).
 *
 * Its client build, server and Chromium are its own (`startBrowserWorld` in harness.ts).
 */
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import type { RunningServer } from "../../server/main.js";
import { describeWith } from "../support/requirements.js";
import { startBrowserWorld, type BrowserWorld } from "../../support/harness.js";

const PACK = "g01-glm";

await describeWith(["chromium"], "follow and present mode in real browsers", () => {
  let server: RunningServer;
  let browser: Browser;
  let world: BrowserWorld;
  let host: Page;
  let ada: Page;
  let bob: Page;
  let starters: string[];
  let session: { sessionId: string; hostKey: string; joinCode: string };
  const pageErrors: string[] = [];

  beforeAll(async () => {
    world = await startBrowserWorld("follow");
    ({ server, browser } = world);
    starters = server.sessions.packs.get(PACK)!.tasks.map((t) => t.starter);
  }, 180_000);

  afterAll(async () => {
    await world?.close();
    expect(pageErrors).toEqual([]);
  });

  async function open(name: string, url: string): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    page.on("pageerror", (e) => pageErrors.push(`${name}: ${e.message}`));
    page.on("dialog", (dialog) => {
      pageErrors.push(`${name}: unexpected dialog ${dialog.message()}`);
      void dialog.dismiss();
    });
    await page.goto(url);
    return page;
  }
  async function attendee(joinCode: string, name: string): Promise<Page> {
    const page = await open(name, `${server.url}/join/${joinCode}`);
    await page.getByLabel("Name").fill(name);
    await page.getByRole("button", { name: "Join" }).click();
    // Sessions start in Exposition, where the editor is folded away.
    await page.getByRole("button", { name: "Open the editor" }).click();
    await page.locator(".cm-content[contenteditable=true]").waitFor();
    return page;
  }
  /** The attendee's own editor (the room's, not the presentation's). */
  const ownEditor = (page: Page) => page.locator(".work > .editor .cm-content");
  /** The text of an editor's rendered lines, without the remote cursors' name labels. */
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
  /** Texts of the lines of an editor that are (at least partly) inside its scroller's visible box. */
  const visibleLines = (editor: Locator) =>
    editor.evaluate((el) => {
      const scroller = el.closest(".cm-scroller")!.getBoundingClientRect();
      return [...el.querySelectorAll(".cm-line")]
        .filter((line) => {
          const r = line.getBoundingClientRect();
          return r.bottom > scroller.top + 2 && r.top < scroller.bottom - 2;
        })
        .map((line) => {
          const copy = line.cloneNode(true) as HTMLElement;
          copy.querySelectorAll(".cm-ySelectionCaret").forEach((c) => c.remove());
          return copy.textContent;
        });
    });
  const scrollTopOf = (editor: Locator) => editor.evaluate((el) => el.closest(".cm-scroller")!.scrollTop);
  /** A workspace doc's text for a task, read from the server by a stock y-websocket client. */
  async function serverText(sessionId: string, hostKey: string, workspaceId: string, taskId: string) {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(
      server.url.replace(/^http/, "ws") + "/sync",
      `workspace/${sessionId}/${workspaceId}`,
      doc,
      {
        params: { token: hostKey },
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
      },
    );
    try {
      await new Promise<void>((resolve) => provider.on("sync", (synced: boolean) => synced && resolve()));
      return doc.getMap<Y.Text>("files").get(taskId)!.toString();
    } finally {
      provider.destroy();
      doc.destroy();
    }
  }

  it("the host follows an attendee: her code live, read-only, her cursor kept in sight", async () => {
    session = (await fetch(`${server.url}/api/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pack: PACK }),
    }).then((r) => r.json())) as { sessionId: string; hostKey: string; joinCode: string };
    host = await open("host", `${server.url}/host/${session.sessionId}#key=${session.hostKey}`);
    ada = await attendee(session.joinCode, "Ada");
    bob = await attendee(session.joinCode, "Bob");

    await host.getByRole("button", { name: "Follow Ada" }).click();
    const view = host.getByRole("region", { name: "Following Ada" });
    // It opens in sight (a 900 px high window), beside the table, not below it.
    await view.locator(".cm-content").waitFor();
    const box = (await view.boundingBox())!;
    const table = (await host.locator("table.participants-table").boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + 200).toBeLessThan(900);
    expect(box.x).toBeGreaterThanOrEqual(table.x + table.width);
    const followed = view.locator(".cm-content");
    const firstLines = (text: string) => text.split("\n").slice(0, 3);
    await expect
      .poll(async () => (await visibleLines(followed)).slice(0, 3))
      .toEqual(firstLines(starters[0]!));
    expect(await followed.getAttribute("contenteditable")).toBe("false");

    // Ada types at the top: the view shows it live, with her cursor and name.
    await ownEditor(ada).click();
    await ada.keyboard.press("Control+Home");
    await ada.keyboard.insertText("// typed by Ada\n");
    await expect.poll(async () => (await visibleLines(followed))[0]).toBe("// typed by Ada");
    await expect.poll(() => view.locator(".cm-ySelectionInfo").allTextContents()).toContain("Ada");
    // At the end of a long file: the view scrolls to keep her cursor in sight, and back.
    await ada.keyboard.press("Control+End");
    const filler = Array.from({ length: 60 }, (_, i) => `// note ${i + 1}`).join("\n");
    await ada.keyboard.insertText(`\n${filler}\n// the end by Ada`);
    await expect.poll(() => visibleLines(followed)).toContain("// the end by Ada");
    expect(await scrollTopOf(followed)).toBeGreaterThan(0);
    await ada.keyboard.press("Control+Home");
    await expect.poll(() => scrollTopOf(followed)).toBe(0);

    // Typing into the view changes nothing, here or in Ada's doc; the host leaves no cursor there.
    const { sessionId, hostKey } = session;
    const hostView = (await fetch(`${server.url}/api/sessions/${sessionId}`, {
      headers: { authorization: `Bearer ${hostKey}` },
    }).then((r) => r.json())) as { participants: { name: string; workspaceId: string }[] };
    const workspaceId = hostView.participants.find((p) => p.name === "Ada")!.workspaceId;
    const taskId = server.sessions.packs.get(PACK)!.tasks[0]!.id;
    const before = await serverText(sessionId, hostKey, workspaceId, taskId);
    expect(before.startsWith("// typed by Ada\n")).toBe(true);
    await followed.locator(".cm-line").first().click();
    await host.keyboard.type("host was here");
    await host.keyboard.press("Enter");
    await host.waitForTimeout(500);
    expect(await serverText(sessionId, hostKey, workspaceId, taskId)).toBe(before);
    expect(await textOf(followed)).not.toContain("host was here");
    expect(await textOf(ownEditor(ada))).not.toContain("host was here");
    expect(await ada.locator(".cm-ySelectionCaret").count()).toBe(0);

    // Another task can be picked, and "their current task" goes back to what Ada has open.
    await view.getByLabel("Task").selectOption({ index: 2 });
    await expect
      .poll(async () => (await visibleLines(followed)).slice(0, 3))
      .toEqual(firstLines(starters[1]!));
    await view.getByLabel("Task").selectOption({ index: 0 });
    await expect.poll(async () => (await visibleLines(followed))[0]).toBe("// typed by Ada");
  });

  it("the follow view shows the attendee's last run: output as text, the error line, metrics", async () => {
    await ownEditor(ada).click();
    await ada.keyboard.press("Control+a");
    await ada.keyboard.insertText(
      [
        'import { log } from "scratch/metrics";',
        'for (let i = 0; i < 5; i++) log("loss", 5 - i);',
        `console.log('<img src=x onerror="window.__follow=1"><b>bold</b>');`,
        'console.log("hello from Ada");',
        "undefinedThing();",
        "",
      ].join("\n"),
    );
    await ada.keyboard.press("Control+Enter");
    await expect
      .poll(() => ada.locator(".run-error").first().textContent(), { timeout: 20_000 })
      .toContain("Line 5");

    const view = host.getByRole("region", { name: "Following Ada" });
    const output = view.getByRole("log", { name: "Console output" });
    await expect.poll(() => output.textContent(), { timeout: 10_000 }).toContain("hello from Ada");
    expect(await output.textContent()).toContain('<img src=x onerror="window.__follow=1"><b>bold</b>');
    expect(await view.locator(".console img, .console b").count()).toBe(0);
    expect(await view.locator(".run-error").textContent()).toContain("Line 5: ");
    await expect.poll(() => view.locator(".cm-error-line").textContent()).toContain("undefinedThing");
    // The loss series is drawn as a chart.
    expect(await view.locator(".plots .uplot").count()).toBe(1);
    expect(await view.locator(".plots .u-title").textContent()).toBe("loss");
    expect(await host.evaluate(() => (window as { __follow?: number }).__follow)).toBeUndefined();
    // Restore Ada's starter for the present test.
    await ownEditor(ada).click();
    await ada.keyboard.press("Control+a");
    await ada.keyboard.insertText(starters[0]!);
    await view.getByRole("button", { name: "Stop following" }).click();
  });

  it("present mode: attendees follow the host's text and scroll, one steps out, release restores them", async () => {
    const panel = host.getByRole("region", { name: "Present" });
    const presenter = panel.locator(".cm-content");
    const script = Array.from({ length: 80 }, (_, i) => `const line${i + 1} = ${i + 1};`).join("\n");
    await presenter.click();
    await host.keyboard.insertText(script);
    const own = { ada: await textOf(ownEditor(ada)), bob: await textOf(ownEditor(bob)) };
    await panel.getByRole("button", { name: "Start presenting" }).click();

    const follower = (page: Page) =>
      page.getByRole("region", { name: "The host's presentation" }).locator(".cm-content");
    for (const page of [ada, bob]) {
      // The host's caret is at the end, so the host sees (and the attendees follow to) the last line.
      await expect.poll(async () => (await visibleLines(follower(page))).at(-1)).toBe("const line80 = 80;");
      expect(await follower(page).getAttribute("contenteditable")).toBe("false");
      expect(await page.locator(".work > .editor").isHidden()).toBe(true);
      await page.getByText("Following the host").waitFor();
    }
    await expect.poll(() => panel.getByRole("status").textContent()).toBe("2 following");

    // The host types: it shows live. The host scrolls to the top, then to the bottom: attendees follow.
    await presenter.click();
    await host.keyboard.press("Control+End");
    await host.keyboard.insertText("\n// the end");
    for (const page of [ada, bob]) {
      await expect.poll(async () => (await visibleLines(follower(page))).at(-1)).toBe("// the end");
    }
    const scrollPresenter = (to: "top" | "bottom") =>
      presenter.evaluate((el, to) => {
        const scroller = el.closest(".cm-scroller")!;
        scroller.scrollTop = to === "top" ? 0 : scroller.scrollHeight;
      }, to);
    await scrollPresenter("top");
    for (const page of [ada, bob]) {
      await expect.poll(async () => (await visibleLines(follower(page)))[0]).toBe("const line1 = 1;");
    }
    await scrollPresenter("bottom");
    for (const page of [ada, bob]) {
      await expect.poll(async () => (await visibleLines(follower(page))).at(-1)).toBe("// the end");
      expect(await visibleLines(follower(page))).not.toContain("const line1 = 1;");
    }

    // Ada steps out with Esc: her own editor is back, and the host sees who stepped out.
    await ada.keyboard.press("Escape");
    await ada.getByRole("button", { name: /Rejoin presentation/ }).waitFor();
    expect(await ada.locator(".work > .editor").isVisible()).toBe(true);
    expect(await textOf(ownEditor(ada))).toBe(own.ada);
    await expect.poll(() => panel.getByRole("status").textContent()).toBe("1 following, stepped out: Ada");
    // Alt+P rejoins; Esc again steps out.
    await ada.keyboard.press("Alt+KeyP");
    await expect.poll(async () => (await visibleLines(follower(ada))).at(-1)).toBe("// the end");
    await expect.poll(() => panel.getByRole("status").textContent()).toBe("2 following");
    await ada.keyboard.press("Escape");
    await expect.poll(() => panel.getByRole("status").textContent()).toBe("1 following, stepped out: Ada");

    // Release: everyone is back in their own, editable editor with their own code.
    await panel.getByRole("button", { name: "Release" }).click();
    for (const [page, code] of [
      [ada, own.ada],
      [bob, own.bob],
    ] as const) {
      await expect.poll(() => page.getByRole("region", { name: "The host's presentation" }).count()).toBe(0);
      expect(await page.getByRole("button", { name: /Rejoin presentation/ }).count()).toBe(0);
      await page.locator(".work > .editor .cm-content[contenteditable=true]").waitFor();
      expect(await textOf(ownEditor(page))).toBe(code);
    }
    expect(await panel.getByRole("status").count()).toBe(0);
  });

  it("following someone who left shows the code and the run of the same task", async () => {
    const pack = server.sessions.packs.get(PACK)!;
    const third = pack.tasks[2]!;
    await bob.getByRole("region", { name: "Tasks" }).getByRole("button", { name: third.title }).click();
    await expect
      .poll(async () => (await textOf(ownEditor(bob))).split("\n")[0])
      .toBe(starters[2]!.split("\n")[0]);
    await bob.getByRole("button", { name: /^Run/ }).click();
    const bobRow = host.locator("tbody tr", { has: host.locator("th.name", { hasText: "Bob" }) });
    await expect
      .poll(() => bobRow.locator("td.last-run").getAttribute("data-status"), { timeout: 30_000 })
      .not.toBe("none");
    await bob.context().close();
    await expect
      .poll(() => bobRow.locator(".dot").getAttribute("aria-label"), { timeout: 30_000 })
      .toBe("offline");

    await host.getByRole("button", { name: "Follow Bob" }).click();
    const view = host.getByRole("region", { name: "Following Bob" });
    const firstLines = (text: string) => text.split("\n").slice(0, 3);
    await expect
      .poll(async () => (await visibleLines(view.locator(".cm-content"))).slice(0, 3))
      .toEqual(firstLines(starters[2]!));
    expect(
      await view.getByRole("region", { name: "Last run" }).locator("h3").first().textContent(),
    ).toContain(third.title);
    // Picking another task shows that task's code and says it has no run.
    await view.getByLabel("Task").selectOption({ label: pack.tasks[0]!.title });
    await view
      .getByRole("region", { name: "Last run" })
      .getByText(`No run of ${pack.tasks[0]!.title} yet.`)
      .waitFor();
    await view.getByRole("button", { name: "Stop following" }).click();
  });
});
