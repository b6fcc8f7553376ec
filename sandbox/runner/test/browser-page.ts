/**
 * A test page in real Chromium for the browser runner's tests: Vite builds the page in a folder
 * (runner, Web Worker, a library), previews it, and playwright-core opens it.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { build, preview, type PreviewServer } from "vite";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../../test/support/requirements.js";

export interface TestPage {
  page: Page;
  close(): Promise<void>;
}

/**
 * Builds the page in `root` with Vite, serves it, opens it in Chromium and waits for the page's
 * `runnerReady` promise. `beforeGoto` sees the page first (e.g. to record its requests).
 */
export async function openPage(root: string, beforeGoto?: (page: Page) => void): Promise<TestPage> {
  const outDir = await mkdtemp(join(tmpdir(), "scratchroom-runner-page-"));
  await build({
    root,
    configFile: false,
    logLevel: "warn",
    build: { outDir, emptyOutDir: true, target: "es2022", minify: false },
    worker: { format: "es" },
  });
  const server: PreviewServer = await preview({
    root,
    configFile: false,
    logLevel: "warn",
    build: { outDir },
    preview: { host: "127.0.0.1", port: 0, strictPort: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error("preview server has no URL");
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const page = await browser.newPage();
  beforeGoto?.(page);
  await page.goto(url);
  const ready = () => (globalThis as unknown as { runnerReady?: Promise<boolean> }).runnerReady;
  await page.waitForFunction(ready, null, { timeout: 60_000 });
  await page.evaluate(ready);
  return {
    page,
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
      await rm(outDir, { recursive: true, force: true });
    },
  };
}
