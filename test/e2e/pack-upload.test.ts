/**
 * A host uploads a pack from the start page in a real browser: a zip with a mistake is refused
 * with the problem at its file:line, the fixed zip is accepted, listed and marked as uploaded.
 *
 * Its client build, server and Chromium are its own (`startBrowserWorld` in support/harness.ts).
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunningServer } from "../../server/main.js";
import { packZip } from "../../server/packs/test/zip.js";
import { describeWith } from "../support/requirements.js";
import { startBrowserWorld, type BrowserWorld } from "../../support/harness.js";

await describeWith(["chromium"], "pack upload from the start page", () => {
  let server: RunningServer;
  let browser: Browser;
  let world: BrowserWorld;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    world = await startBrowserWorld("pack-upload");
    ({ server, browser } = world);
  }, 180_000);

  afterAll(async () => {
    await world?.close();
    expect(pageErrors).toEqual([]);
  });

  it("refuses a zip with a mistake at its file:line, then accepts the fixed one and lists it as uploaded", async () => {
    const page = await (await browser.newContext()).newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(`${server.url}/`);
    const form = page.getByRole("region", { name: "Upload a pack" });
    await form.waitFor();

    const broken = packZip({ "tasks/double/solution.js": "export function double(x) {\n  return 2 *;\n}\n" });
    await form
      .getByLabel("Pack zip")
      .setInputFiles({ name: "tiny.zip", mimeType: "application/zip", buffer: Buffer.from(broken) });
    await form.getByRole("button", { name: "Upload" }).click();
    const alert = form.getByRole("alert");
    await expect.poll(() => alert.textContent(), { timeout: 60_000 }).toContain("The pack was not accepted");
    expect(await alert.getByRole("list", { name: "Problems" }).textContent()).toBe(
      "tasks/double/solution.js:2: syntax error: Unexpected token (column 13)",
    );
    // The packs, grouped by track (each track a list of its own).
    const packs = page.locator(".pack-track");
    await packs.first().waitFor();
    expect(await packs.locator("li.pack", { hasText: "Tiny pack" }).count()).toBe(0);

    await form
      .getByLabel("Pack zip")
      .setInputFiles({ name: "tiny.zip", mimeType: "application/zip", buffer: Buffer.from(packZip()) });
    await form.getByRole("button", { name: "Upload" }).click();
    await expect
      .poll(
        () =>
          form
            .getByRole("status")
            .textContent()
            .catch(() => ""),
        { timeout: 60_000 },
      )
      .toBe("Uploaded “Tiny pack” (tiny): it is listed below.");
    expect(await form.getByRole("alert").count()).toBe(0);
    const listed = packs.locator("li.pack", { hasText: "Tiny pack" });
    await expect.poll(() => listed.locator(".badge").textContent()).toBe("uploaded");
    expect(await packs.locator("li.pack", { hasText: "Demo" }).first().locator(".badge").count()).toBe(0);
    // It is a pack like the others: a session of it starts.
    await listed.getByRole("button", { name: "Start session of Tiny pack" }).click();
    await page.waitForURL(/\/host\//);
  });
});
