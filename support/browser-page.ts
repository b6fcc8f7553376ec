/**
 * A test page in real Chromium for the browser runner's tests: Vite builds the page in a folder
 * (runner, Web Worker, a library), previews it, and playwright-core opens it.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { build, preview, type PreviewServer } from "vite";
import { CROSS_ORIGIN_ISOLATION_HEADERS } from "../server/isolation.js";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium.js";
import { tfjsWasmThreads } from "../sandbox/scratch/kernels/wasm-threads-plugin.js";

export interface TestPage {
  page: Page;
  close(): Promise<void>;
}

export interface PageOptions {
  /** Serve with the app's COOP/COEP headers, so the page is cross-origin isolated. */
  isolated?: boolean;
  /** Chromium flags instead of CHROMIUM_ARGS (e.g. to offer a WebGPU adapter). */
  chromiumArgs?: readonly string[];
  /** Appended to the page's URL, e.g. "?backend=webgl". */
  search?: string;
}

/** A built test page: its folder, served by as many preview servers as needed. */
export interface BuiltPage {
  root: string;
  outDir: string;
  remove(): Promise<void>;
}

/** Builds the test page in `root` with Vite into a temporary folder. */
export async function buildPage(root: string): Promise<BuiltPage> {
  const outDir = await mkdtemp(join(tmpdir(), "scratchroom-runner-page-"));
  await build({
    root,
    configFile: false,
    logLevel: "warn",
    plugins: [tfjsWasmThreads()],
    build: { outDir, emptyOutDir: true, target: "es2022", minify: false },
    worker: { format: "es", plugins: () => [tfjsWasmThreads()] },
  });
  return { root, outDir, remove: () => rm(outDir, { recursive: true, force: true }) };
}

/**
 * Serves a built page, opens it in Chromium and waits for the page's `runnerReady` promise.
 * `beforeGoto` sees the page first (e.g. to record its requests).
 */
export async function openBuiltPage(
  built: BuiltPage,
  options: PageOptions = {},
  beforeGoto?: (page: Page) => void,
): Promise<TestPage> {
  const server: PreviewServer = await preview({
    root: built.root,
    configFile: false,
    logLevel: "warn",
    build: { outDir: built.outDir },
    preview: {
      host: "127.0.0.1",
      port: 0,
      strictPort: false,
      ...(options.isolated ? { headers: { ...CROSS_ORIGIN_ISOLATION_HEADERS } } : {}),
    },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error("preview server has no URL");
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...(options.chromiumArgs ?? CHROMIUM_ARGS)],
  });
  const page = await browser.newPage();
  beforeGoto?.(page);
  await page.goto(url + (options.search ?? ""));
  const ready = () => (globalThis as unknown as { runnerReady?: Promise<boolean> }).runnerReady;
  await page.waitForFunction(ready, null, { timeout: 60_000 });
  await page.evaluate(ready);
  return {
    page,
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    },
  };
}

/** Builds the page in `root`, serves it, opens it in Chromium (see {@link openBuiltPage}). */
export async function openPage(
  root: string,
  beforeGoto?: (page: Page) => void,
  options: PageOptions = {},
): Promise<TestPage> {
  const built = await buildPage(root);
  const opened = await openBuiltPage(built, options, beforeGoto);
  return {
    page: opened.page,
    async close() {
      await opened.close();
      await built.remove();
    },
  };
}
