/**
 * The history timeline in real browsers (issue 19, points 2, 3, 5).
 *
 * Ada and Bob pair; Ada edits and four runs are stored (the reports posted with her token, so their
 * checks are known): run 1 fails "converges", runs 2 and 3 pass both checks, run 4 goes NaN and fails
 * "converges" again. The host follows the pair, opens the timeline, scrubs it with the keys, jumps to
 * a run marker, to the first pass of a check and to the last passing version, and reads the diff
 * (hostile HTML in the code stays text). Ada opens her own history with Alt+H and restores run 2's
 * version: her editor and Bob's receive it as an edit, and no version is lost. A share link with
 * names links each line to its timeline; an anonymised one shows none, nor does the server give it.
 */
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunReport } from "../../contract/run-report.js";
import type { RunningServer } from "../../server/main.js";
import { seriousViolations } from "../support/axe.js";
import { describeWith } from "../support/requirements.js";
import { readmeScreenshot, startBrowserWorld, type BrowserWorld } from "../../support/harness.js";

const TASK = "gradient-descent";
const HOSTILE = `// <img src=x onerror="window.__history=1">`;

interface Seat {
  token: string;
  participantId: string;
  workspaceId: string;
}

await describeWith(["chromium"], "history timeline in real browsers", () => {
  let server: RunningServer;
  let browser: Browser;
  let world: BrowserWorld;
  let host: Page;
  let ada: Page;
  let bob: Page;
  let seat: Seat;
  let session: { sessionId: string; hostKey: string; joinCode: string };
  const pageErrors: string[] = [];

  beforeAll(async () => {
    world = await startBrowserWorld("history");
    ({ server, browser } = world);
  }, 180_000);

  afterAll(async () => {
    await world?.close();
    expect(pageErrors).toEqual([]);
  });

  async function open(name: string, url: string): Promise<Page> {
    // bypassCSP: axe is injected as an inline script; and hostile code would run if rendered as HTML.
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, bypassCSP: true });
    const page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(`${name}: ${e.message}`));
    await page.goto(url);
    return page;
  }
  async function attendee(name: string): Promise<Page> {
    const page = await open(name, `${server.url}/join/${session.joinCode}`);
    await page.getByLabel("Name").fill(name);
    await page.getByRole("button", { name: "Join" }).click();
    // Sessions start in Exposition, where the editor is folded away.
    await page.getByRole("button", { name: "Open the editor" }).click();
    await page.locator(".cm-content[contenteditable=true]").waitFor();
    return page;
  }
  const seatOf = (page: Page): Promise<Seat> =>
    page.evaluate(
      (sid) => JSON.parse(localStorage.getItem(`scratchroom:seat:${sid}`)!) as Seat,
      session.sessionId,
    );
  /** The room editor's code, without remote cursors' name labels. */
  const code = (page: Page) =>
    page.locator(".work > .editor .cm-content").evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      for (const widget of copy.querySelectorAll(".cm-ySelectionCaret, .cm-widgetBuffer")) widget.remove();
      return [...copy.querySelectorAll(".cm-line")].map((line) => line.textContent ?? "").join("\n");
    });
  const api = (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    });
  const historyPath = (wid: string) => `/api/sessions/${session.sessionId}/workspaces/${wid}/history`;
  const versionCount = async () =>
    ((await (await api(historyPath(seat.workspaceId), session.hostKey)).json()) as { versions: unknown[] })
      .versions.length;

  /** Ada types `line` at the top; once the server holds it, a run with `checks` is stored. */
  async function editAndRun(line: string, converges: boolean, nan = false) {
    await ada.locator(".work > .editor .cm-content").click();
    await ada.keyboard.press("Control+Home");
    await ada.keyboard.insertText(`${line}\n`);
    await expect.poll(() => code(bob), { timeout: 10_000 }).toContain(line);
    const report: RunReport = {
      taskId: TASK,
      status: "ok",
      checks: [
        { name: "moves toward 3", passed: true },
        { name: "converges", passed: converges },
      ],
      metrics: { loss: [4, 1] },
      ...(nan ? { nonFinite: { loss: { step: 2, value: "NaN" as const } } } : {}),
      durationMs: 3,
    };
    const res = await api(`/api/sessions/${session.sessionId}/runs`, seat.token, {
      method: "POST",
      body: JSON.stringify(report),
    });
    expect(res.status).toBe(201);
  }

  const timelineIn = (scope: Page | Locator) => scope.locator(".history-timeline");
  const selectedText = (timeline: Locator) => timeline.locator(".timeline-selected").textContent();
  const markerKinds = (timeline: Locator) =>
    timeline.locator(".run-marker").evaluateAll((els) => els.map((e) => e.getAttribute("data-kind")));
  /** The slider index of the run marker that is selected, or null. */
  const selectedMarker = async (timeline: Locator) => {
    const selected = timeline.locator(".run-marker.selected");
    return (await selected.count()) === 0 ? null : Number(await selected.getAttribute("data-index"));
  };
  /**
   * Does a pointer action until `settled` holds (at most 3 tries, each given 2 s): the follow view
   * may scroll or re-lay out while an action is aimed (its content below the slider changes with
   * the selection), so a drag or a click can land on a moved target; each try aims again.
   */
  const aimedUntil = async (act: () => Promise<void>, settled: () => Promise<void>) => {
    for (let attempt = 0; attempt < 3; attempt++) {
      await act();
      try {
        await settled();
        return;
      } catch (error) {
        if (attempt === 2) throw error;
      }
    }
  };
  /** Clicks the `n`th run marker until it is the selected one (a click once selected its neighbour). */
  const clickMarker = async (timeline: Locator, n: number) => {
    const marker = timeline.locator(".run-marker").nth(n);
    const index = Number(await marker.getAttribute("data-index"));
    await aimedUntil(
      () => marker.click(),
      () => expect.poll(() => selectedMarker(timeline), { timeout: 2_000 }).toBe(index),
    );
  };
  const markerIndexes = (timeline: Locator) =>
    timeline
      .locator(".run-marker")
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-index"))));

  it("records four runs of a pair's edits", async () => {
    session = (await fetch(`${server.url}/api/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pack: "demo" }),
    }).then((r) => r.json())) as typeof session;
    host = await open("host", `${server.url}/host/${session.sessionId}#key=${session.hostKey}`);
    ada = await attendee("Ada");
    bob = await attendee("Bob");
    seat = await seatOf(ada);
    const bobSeat = await seatOf(bob);
    const paired = await api(`/api/sessions/${session.sessionId}/pairs`, session.hostKey, {
      method: "POST",
      body: JSON.stringify({ participantIds: [seat.participantId, bobSeat.participantId] }),
    });
    expect(paired.status).toBeLessThan(300);
    await ada.locator(".pair-status").getByText("Pairing with Bob").waitFor();

    await editAndRun("// run 1", false);
    await editAndRun(HOSTILE, true);
    await editAndRun("// run 3", true);
    await editAndRun("// run 4", false, true);
    await ada.keyboard.insertText("// after the runs\n");
    await expect.poll(() => code(bob)).toContain("// after the runs");
    expect(await versionCount()).toBeGreaterThanOrEqual(4);
  }, 60_000);

  it("the host scrubs the follow view's timeline, jumps to markers, first pass, last passing, and sees the diff", async () => {
    await host.getByRole("button", { name: /^Follow Ada/ }).click();
    const view = host.getByRole("region", { name: /^Following Ada/ });
    await view.getByRole("button", { name: "History" }).click();
    const timeline = timelineIn(view);
    await expect.poll(() => timeline.getAttribute("data-state"), { timeout: 10_000 }).toBe("ready");
    expect(await markerKinds(timeline)).toEqual(["failed", "passed", "passed", "nan"]);
    // The first failing check is on the track as text: its legend key on runs 1 and 4, the legend.
    expect(await timeline.locator(".run-marker .marker-key").allTextContents()).toEqual(["1", "1"]);
    expect(await timeline.locator(".timeline-legend li").allTextContents()).toEqual([
      "1 converges first failing in runs 1, 4",
    ]);
    const runs = await markerIndexes(timeline);
    const slider = timeline.getByRole("slider", { name: "Version" });
    const last = Number(await slider.getAttribute("max"));
    // The latest version is selected; the diff to the live code shows the line typed after the runs.
    expect(Number(await slider.inputValue())).toBe(last);
    const diff = timeline.locator(".timeline-diff");
    await expect
      .poll(() => diff.locator(".diff-line[data-kind=added]").allTextContents())
      .toContainEqual(expect.stringContaining("// after the runs"));

    // Scrub with the mouse: drag the thumb from the latest version to the first, then back, each
    // drag measuring the slider again right before it (`aimedUntil`).
    const dragTo = (end: "first" | "last", expected: number) =>
      aimedUntil(
        async () => {
          await slider.scrollIntoViewIfNeeded();
          const box = (await slider.boundingBox())!;
          const middle = box.y + box.height / 2;
          const [from, to] =
            end === "first" ? [box.x + box.width - 2, box.x + 2] : [box.x + 2, box.x + box.width - 2];
          await host.mouse.move(from, middle);
          await host.mouse.down();
          await host.mouse.move(to, middle, { steps: 8 });
          await host.mouse.up();
        },
        () => expect.poll(async () => Number(await slider.inputValue()), { timeout: 2_000 }).toBe(expected),
      );
    await dragTo("first", 0);
    expect(await selectedText(timeline)).toMatch(/^Version 1 of /);
    await dragTo("last", last);

    // Keys: Home, one step, PageDown to the next run marker, End, PageUp to the previous marker.
    await slider.focus();
    await host.keyboard.press("Home");
    expect(Number(await slider.inputValue())).toBe(0);
    expect(await selectedText(timeline)).toMatch(/^Version 1 of /);
    await host.keyboard.press("PageDown");
    const firstRunAfter0 = runs.find((i) => i > 0)!;
    expect(Number(await slider.inputValue())).toBe(runs[0] === 0 ? firstRunAfter0 : runs[0]);
    // End, then PageUp: the run marker before the latest version (run 4's, unless that is the latest).
    await host.keyboard.press("End");
    await host.keyboard.press("PageUp");
    await expect.poll(() => selectedMarker(timeline)).toBe(runs.filter((i) => i < last).at(-1));
    await clickMarker(timeline, 3);
    await expect.poll(() => selectedMarker(timeline)).toBe(runs[3]);
    // The selected failing marker names its check above it; another shows its own on hover.
    const checkOf = (run: number) => timeline.locator(`.marker-check[data-index="${runs[run]}"]`);
    expect([await checkOf(3).isVisible(), await checkOf(3).textContent()]).toEqual([true, "converges"]);
    expect(await checkOf(0).isVisible()).toBe(false);
    await timeline.locator(".run-marker").first().hover();
    expect(await checkOf(0).isVisible()).toBe(true);
    expect(await timeline.locator(".timeline-legend li.current").getAttribute("data-check")).toBe(
      "converges",
    );
    expect(await selectedText(timeline)).toContain(
      "run 4: failed, 1 of 2 checks passed, first failing: converges, NaN in loss",
    );
    await slider.focus();
    await host.keyboard.press("ArrowLeft");
    expect(Number(await slider.inputValue())).toBe(runs[3]! - 1);

    // A click on the first run marker; its diff to the live code adds what came later.
    await timeline.locator(".run-marker").first().click();
    await expect.poll(() => selectedMarker(timeline)).toBe(runs[0]);
    expect(await selectedText(timeline)).toContain("run 1: failed");
    await expect
      .poll(() => diff.locator(".diff-line[data-kind=added]").allTextContents())
      .toEqual(
        expect.arrayContaining([expect.stringContaining("// run 3"), expect.stringContaining(HOSTILE)]),
      );

    // First pass of "converges" is run 2; the last passing version is run 3 (run 4 went NaN and failed).
    await timeline.getByLabel("Check", { exact: true }).selectOption("converges");
    await timeline.getByRole("button", { name: "First pass of this check" }).click();
    await expect.poll(() => selectedMarker(timeline)).toBe(runs[1]);
    await timeline.getByLabel("Check", { exact: true }).selectOption("moves toward 3");
    await timeline.getByRole("button", { name: "First pass of this check" }).click();
    await expect.poll(() => selectedMarker(timeline)).toBe(runs[0]);
    await timeline.getByRole("button", { name: "Last passing version" }).click();
    await expect.poll(() => selectedMarker(timeline)).toBe(runs[2]);
    await expect
      .poll(() => diff.locator(".diff-line[data-kind=added]").allTextContents())
      .toEqual([expect.stringContaining("// run 4"), expect.stringContaining("// after the runs")]);

    await timeline.scrollIntoViewIfNeeded();
    await readmeScreenshot(host, "history.png");

    // Attendee code is text: the hostile line is shown, never run as HTML.
    await timeline.locator(".run-marker").first().click();
    await expect
      .poll(() => diff.locator(".diff-line[data-kind=added]").allTextContents())
      .toContainEqual(expect.stringContaining(HOSTILE));
    expect(await timeline.locator("img").count()).toBe(0);
    expect(await host.evaluate(() => (window as { __history?: number }).__history)).toBeUndefined();

    expect(await seriousViolations(host, ".history-timeline")).toEqual([]);

    // A new run (Ada's) reloads the timeline with a fifth marker.
    await editAndRun("// run 5", true);
    await expect.poll(() => timeline.locator(".run-marker").count(), { timeout: 10_000 }).toBe(5);
    await view.getByRole("button", { name: "Stop following" }).click();
  }, 60_000);

  it("Ada restores a version from her own history (Alt+H); it reaches Bob's editor as an edit", async () => {
    const before = await versionCount();
    await ada.locator(".work > .editor .cm-content").click();
    await ada.keyboard.press("Alt+h");
    const timeline = timelineIn(ada);
    await expect.poll(() => timeline.getAttribute("data-state"), { timeout: 10_000 }).toBe("ready");
    expect(await timeline.getAttribute("aria-label")).toContain("History of your code");
    // The slider has the focus (Home: the first version); run 2 is the first pass of "converges".
    const runs = await markerIndexes(timeline);
    await ada.keyboard.press("Home");
    expect(Number(await timeline.getByRole("slider").inputValue())).toBe(0);
    await timeline.getByLabel("Check", { exact: true }).selectOption("converges");
    await timeline.getByRole("button", { name: "First pass of this check" }).click();
    await expect.poll(() => selectedMarker(timeline)).toBe(runs[1]);
    await timeline.getByRole("button", { name: "Restore this version" }).click();
    await timeline.getByText(/^Restored the version of/).waitFor();

    // Run 2's text: the hostile line and run 1's, nothing typed later; in both editors.
    for (const page of [ada, bob]) {
      await expect.poll(() => code(page), { timeout: 10_000 }).toMatch(/^\/\/ <img[^\n]*\n\/\/ run 1\n/);
      expect(await code(page)).not.toContain("// run 3");
      expect(await code(page)).not.toContain("// after the runs");
    }
    // The restored version is now the current code: nothing left to restore, no diff.
    await expect
      .poll(() => timeline.locator(".timeline-diff figcaption").textContent())
      .toContain("no difference");
    // History is never rewritten: no version went away.
    expect(await versionCount()).toBeGreaterThanOrEqual(before);

    expect(await seriousViolations(ada, ".history-timeline")).toEqual([]);

    // Esc closes the panel and gives the focus back to the History button.
    await ada.keyboard.press("Escape");
    expect(await timeline.count()).toBe(0);
    expect(await ada.evaluate(() => document.activeElement?.textContent)).toContain("History");

    // Ada reads only her own workspace's history: another's is refused.
    const carol = (await fetch(`${server.url}/api/join`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ joinCode: session.joinCode, name: "Carol" }),
    }).then((r) => r.json())) as Seat;
    expect((await api(historyPath(carol.workspaceId), seat.token)).status).toBe(403);
  }, 60_000);

  it("a share link with names links to each timeline; an anonymised one shows no history", async () => {
    const link = async (names: boolean) =>
      (
        (await (
          await api(`/api/sessions/${session.sessionId}/summary-link`, session.hostKey, {
            method: "POST",
            body: JSON.stringify({ names }),
          })
        ).json()) as { url: string }
      ).url;
    const named = await open("named summary", await link(true));
    const section = named.locator(`.summary-task[data-task=${TASK}]`);
    await section.getByRole("link", { name: "History of Ada & Bob's code" }).click();
    expect(named.url()).toContain(`history=${seat.workspaceId}`);
    const timeline = timelineIn(section);
    await expect.poll(() => timeline.getAttribute("data-state"), { timeout: 10_000 }).toBe("ready");
    expect(await timeline.locator(".run-marker").count()).toBe(5);
    await timeline.locator(".run-marker").first().click();
    expect(await timeline.locator(".timeline-diff figcaption").textContent()).toContain(
      "to the latest version",
    );
    expect(await seriousViolations(named, ".history-timeline")).toEqual([]);
    // The link to the timeline is itself a share link: opened fresh, it shows the timeline.
    const direct = await open("timeline link", named.url());
    await expect.poll(() => timelineIn(direct).getAttribute("data-state"), { timeout: 10_000 }).toBe("ready");

    // A history that cannot be read: the timeline says so (data-state "error", a visible alert).
    const failing = await open("failing history", "about:blank");
    await failing.route("**/history", (route) =>
      route.fulfill({
        status: 500,
        contentType: "application/json",
        body: JSON.stringify({ error: { code: "boom", message: "the history store is down" } }),
      }),
    );
    await failing.goto(named.url());
    const broken = timelineIn(failing);
    await expect.poll(() => broken.getAttribute("data-state"), { timeout: 10_000 }).toBe("error");
    expect(await broken.getByRole("alert").textContent()).toContain("the history store is down");
    expect(await broken.getByRole("alert").isVisible()).toBe(true);
    expect(await broken.getByRole("slider").count()).toBe(0);

    const anonymisedUrl = await link(false);
    const anonymised = await open(
      "anonymised summary",
      `${anonymisedUrl}&history=${seat.workspaceId}&task=${TASK}`,
    );
    await anonymised.locator(`.summary-task[data-task=${TASK}] .summary-people`).waitFor();
    expect(await anonymised.getByRole("link", { name: /History/ }).count()).toBe(0);
    expect(await anonymised.getByRole("columnheader", { name: "History" }).count()).toBe(0);
    expect(await timelineIn(anonymised).count()).toBe(0);
    // Nor does the server hand it out with that link's token.
    const token = new URLSearchParams(new URL(anonymisedUrl).hash.slice(1)).get("token")!;
    const refused = await api(
      `/api/summaries/${session.sessionId}/workspaces/${seat.workspaceId}/history`,
      token,
    );
    expect(refused.status).toBe(403);
  }, 60_000);
});
