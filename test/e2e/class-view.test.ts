/**
 * The class view, verification and the session summary in real browsers, on a test pack whose task
 * logs a loss (test/e2e/packs/descent). Three attendees run: Ada right for lr = 0.1 only, Bob with
 * the gradient's sign flipped (the loss diverges), Cleo with the sign flipped and a learning rate
 * that overflows to Infinity. The host's class view overlays three curves, flags Cleo's overflow, groups Bob
 * and Cleo under the same failing check, and drafts a fix into the composer. "Verify" fails Ada's
 * hard-coded learning rate on the hidden check and verifies the corrected code. The summary opened
 * from a share link in a fresh browser context (no host key) shows who completed what, the
 * broadcast rendered as sanitised markdown (its <script> not run), and the curves.
 *
 * Its client build, server and Chromium are its own (`startBrowserWorld` in harness.ts).
 */
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunningServer } from "../../server/main.js";
import { describeWith } from "../support/requirements.js";
import { ROOT, startBrowserWorld, type BrowserWorld } from "../../support/harness.js";

const loop = (step: string, lr: string) =>
  [
    'import { log } from "scratch/metrics";',
    `export function step(x, lr) { return ${step}; }`,
    `const lr = ${lr};`,
    "let x = 0;",
    'for (let i = 0; i < 30; i++) { x = step(x, lr); log("loss", (x - 3) ** 2); }',
    "",
  ].join("\n");
/** Right for lr = 0.1 (all the visible checks try), wrong for the hidden check's lr = 0.25. */
const ADA_FIXED_LR = loop("x - 0.1 * 2 * (x - 3)", "0.1");
const ADA_RIGHT = loop("x - lr * 2 * (x - 3)", "0.1");
/** Sign flipped: fails "one step from 0…", and the loss grows 1.44× a step. */
const BOB = loop("x + lr * 2 * (x - 3)", "0.1");
/** Sign flipped and lr = 1e10: the loss overflows to Infinity after about 15 steps (reported as such, as in the CLI). */
const CLEO = loop("x + lr * 2 * (x - 3)", "1e10");
const FIRST_CHECK = "one step from 0 with lr 0.1 lands on 0.6";
const HIDDEN_CHECK = "steps scale with the learning rate";

await describeWith(["chromium"], "class view, verify and session summary in real browsers", () => {
  let server: RunningServer;
  let browser: Browser;
  let world: BrowserWorld;
  let host: Page;
  const attendees: Record<string, Page> = {};
  let session: { sessionId: string; hostKey: string; joinCode: string };
  const pageErrors: string[] = [];

  beforeAll(async () => {
    world = await startBrowserWorld("classview", { packsDir: join(ROOT, "test", "e2e", "packs") });
    ({ server, browser } = world);
  }, 180_000);

  afterAll(async () => {
    await world?.close();
    expect(pageErrors).toEqual([]);
  });

  async function newPage(name: string): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 1000 } })).newPage();
    page.on("pageerror", (e) => pageErrors.push(`${name}: ${e.message}`));
    return page;
  }

  async function joinAs(name: string): Promise<Page> {
    const page = await newPage(name);
    await page.goto(`${server.url}/join/${session.joinCode}`);
    await page.getByLabel("Name").fill(name);
    await page.getByRole("button", { name: "Join" }).click();
    // Sessions start in Exposition, where the editor is folded away.
    await page.getByRole("button", { name: "Open the editor" }).click();
    await page.locator(".cm-content[contenteditable=true]").waitFor();
    attendees[name] = page;
    return page;
  }

  /** Replaces the attendee's code with `source` and runs it; resolves once its report is stored. */
  async function run(page: Page, source: string) {
    await page.locator(".cm-content").click();
    await page.keyboard.press("Control+a");
    await page.keyboard.insertText(source);
    await expect.poll(() => page.locator(".cm-content").innerText()).toContain(source.split("\n")[1]);
    const reported = page.waitForResponse(
      (r) => r.url().endsWith("/runs") && r.request().method() === "POST" && r.status() === 201,
      { timeout: 30_000 },
    );
    await page.keyboard.press("Control+Enter");
    await reported;
  }

  const classView = () => host.locator(".class-view");
  const legendNames = (scope: ReturnType<Page["locator"]>) =>
    scope.locator(".u-legend .u-series .u-label").allInnerTexts();
  const row = (name: string) => host.locator("tr[data-participant]", { hasText: name });

  it("overlays three attendees' loss curves and flags the non-finite one by name", async () => {
    const created = await fetch(`${server.url}/api/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pack: "descent" }),
    });
    session = (await created.json()) as typeof session;
    host = await newPage("host");
    await host.goto(`${server.url}/host/${session.sessionId}#key=${session.hostKey}`);
    await classView().getByText("No runs on this task yet.").waitFor();

    await run(await joinAs("Ada"), ADA_FIXED_LR);
    await run(await joinAs("Bob"), BOB);
    await run(await joinAs("Cleo"), CLEO);

    await expect.poll(() => classView().locator(".curve-chart").getAttribute("data-curves")).toBe("3");
    await expect
      .poll(async () => (await legendNames(classView())).filter((n) => n !== "step"))
      .toEqual(["Ada", "Bob", "Cleo"]);
    const nan = classView().locator(".run-flags li[data-flag=non-finite]");
    await expect.poll(() => nan.textContent()).toMatch(/^Cleo: Infinity at step 1\d$/);
    expect(await classView().locator(".run-flags li[data-flag=diverging]").textContent()).toMatch(
      /^Bob: diverging/,
    );
    expect(await classView().locator(".run-flags li", { hasText: "Ada" }).count()).toBe(0);

    // The x axis is over training steps.
    expect(await classView().locator(".curve-chart").getAttribute("data-x-label")).toBe("training step");
    // The "Checks passed" cells are labelled per task (T1 …), with a legend naming the tasks.
    const firstChip = host.locator("tbody tr[data-participant] .task-checks li").first();
    expect(await firstChip.locator(".task-tag").textContent()).toBe("T1");
    expect(await firstChip.getAttribute("aria-label")).toMatch(/^.+: (\d+ of \d+ checks passed|not run)$/);
    expect(await host.getByLabel("Tasks in the Checks passed column").textContent()).toContain("T1");
    // Cleo's loss reaches ~1e300 before it overflows: a log axis keeps the others readable.
    expect(await classView().getByLabel("Log scale").isChecked()).toBe(true);
    // Hovering near a curve names its owner.
    const box = (await classView().locator(".u-over").boundingBox())!;
    const hovered = classView().locator(".hovered-curve strong");
    search: for (let i = 1; i < 16; i++) {
      for (let j = 1; j < 16; j++) {
        await host.mouse.move(box.x + (box.width * i) / 16, box.y + (box.height * j) / 16);
        if ((await hovered.count()) > 0) break search;
      }
    }
    expect(["Ada", "Bob", "Cleo"]).toContain(await hovered.textContent());
  }, 120_000);

  it("groups the two runs failing the same check with count 2 and drafts a fix into the composer", async () => {
    const group = classView().locator(".run-groups li[data-group=check]");
    await expect.poll(() => group.count()).toBe(1);
    expect(await group.locator(".group-label").textContent()).toBe(FIRST_CHECK);
    expect(await group.locator(".group-count").textContent()).toBe("2");
    expect(await group.locator(".group-names").textContent()).toBe("Bob, Cleo");
    expect(await classView().locator(".run-groups li[data-group=passing] .group-names").textContent()).toBe(
      "Ada",
    );

    await group.getByRole("button", { name: "Broadcast a fix" }).click();
    const message = host.getByLabel("Message (markdown, $math$)");
    await expect.poll(() => message.inputValue()).toContain(FIRST_CHECK);
    expect(await message.inputValue()).toContain("fails for 2 runs");
    await message.press("End");
    await message.pressSequentially(
      " **Move against the gradient.** <script>window.__summaryXss = 1</script>",
    );
    await host.getByRole("button", { name: "Broadcast", exact: true }).click();
    await attendees
      .Bob!.locator(".feed .broadcast strong", { hasText: "Move against the gradient." })
      .waitFor();
    expect(
      await attendees.Bob!.evaluate(() => (window as { __summaryXss?: number }).__summaryXss),
    ).toBeUndefined();
  }, 120_000);

  it("Verify fails a solution that passes only the visible checks and verifies a correct one", async () => {
    await row("Ada").getByRole("button", { name: "Verify Ada" }).click();
    const adaMark = row("Ada").locator(".verify-mark");
    await expect
      .poll(() => adaMark.textContent(), { timeout: 60_000 })
      .toBe(`not verified: ${HIDDEN_CHECK} (hidden)`);
    expect(await adaMark.getAttribute("data-verify")).toBe("failed");

    await run(attendees.Ada!, ADA_RIGHT);
    await host.getByRole("button", { name: /^Verify all on / }).click();
    await expect.poll(() => adaMark.textContent(), { timeout: 60_000 }).toBe("verified ✓");
    await expect
      .poll(() => row("Bob").locator(".verify-mark").textContent(), { timeout: 60_000 })
      .toBe(`not verified: ${HIDDEN_CHECK} (hidden)`);
    await expect
      .poll(() => row("Cleo").locator(".verify-mark").getAttribute("data-verify"), { timeout: 60_000 })
      .toBe("failed");
    await expect.poll(() => host.locator(".verify-progress").textContent()).toContain("queue empty");
    expect(await host.locator(".verify-progress").textContent()).toContain("1 verified");
  }, 120_000);

  it("the summary opened from a share link, without the host key, shows completion, broadcasts and curves", async () => {
    await host.getByRole("button", { name: "Session summary" }).click();
    await host.getByRole("button", { name: "Create share link" }).click();
    const linkBox = host.getByLabel(/^Share link/);
    await expect.poll(() => linkBox.inputValue()).toContain(`/summary/${session.sessionId}#token=`);
    const link = await linkBox.inputValue();

    const guest = await newPage("guest");
    await guest.goto(link.replace(/^https?:\/\/[^/]+/, server.url));
    const task = guest.locator(".summary-task[data-task=descent]");
    await task.waitFor();
    expect(await task.locator(".summary-counts").textContent()).toBe(
      "3 attempted · 1 completed · 1 verified",
    );
    const people = await task
      .locator(".summary-people tbody tr")
      .evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
    // Ada's first run (hard-coded lr) already passed the visible checks; her code is verified since.
    // Names are shown on this link, so each line links to that workspace's history timeline.
    expect(people).toEqual([
      ["Ada", "2", "✓", "✓", "History"],
      ["Bob", "1", "✗", "✗", "History"],
      ["Cleo", "1", "✗", "✗", "History"],
    ]);
    const curves = guest.locator(".summary-curves[data-metric=loss]");
    await expect
      .poll(async () => (await legendNames(curves)).filter((n) => n !== "step"))
      .toEqual(["Ada", "Bob", "Cleo"]);
    expect(await curves.locator("figcaption").textContent()).toMatch(/Cleo at step 1\d/);

    const broadcast = guest.locator(".summary-broadcasts .broadcast");
    await expect.poll(() => broadcast.count()).toBe(1);
    expect(await broadcast.locator("strong", { hasText: "Move against the gradient." }).count()).toBe(1);
    expect(await broadcast.textContent()).toContain(FIRST_CHECK);
    expect(await guest.locator(".summary-broadcasts script").count()).toBe(0);
    expect(await guest.evaluate(() => (window as { __summaryXss?: number }).__summaryXss)).toBeUndefined();

    // The same page for the host opens with the host key this browser keeps.
    const own = await host.context().newPage();
    await own.goto(`${server.url}/summary/${session.sessionId}`);
    await own.locator(".summary-task[data-task=descent] .summary-counts").waitFor();
    await own.close();
  }, 120_000);

  it("the log-scale box says why it is off when a value is not above 0", async () => {
    const joined = (await fetch(`${server.url}/api/join`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ joinCode: session.joinCode, name: "Dee" }),
    }).then((r) => r.json())) as { token: string };
    const taskId = server.sessions.packs.get("descent")!.tasks[0]!.id;
    const posted = await fetch(`${server.url}/api/sessions/${session.sessionId}/runs`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${joined.token}` },
      body: JSON.stringify({
        taskId,
        status: "ok",
        checks: [],
        metrics: { loss: [1, 0, -1] },
        durationMs: 1,
      }),
    });
    expect(posted.status).toBe(201);
    const box = classView().getByLabel("Log scale");
    await expect.poll(() => box.isDisabled()).toBe(true);
    const why = await box.getAttribute("aria-describedby");
    expect(await host.locator(`#${why}`).textContent()).toMatch(
      /^off: a log scale needs every value above 0/,
    );
  });
});
