/**
 * Client benchmark (`npm run bench:client`), headless Chromium against the real server:
 *
 *   join      opening the join link to an editable editor        budget 1500 ms
 *   run       Run to the first console line of a small task        budget  300 ms
 *   dashboard frame time p95 while 60 simulated attendees report runs   budget 50 ms
 *   training  the spirals MLP and the MNIST CNN in the room vs direct tfjs in the same page,
 *             vs the CLI, threads on vs off (bench/client-training.ts)
 *
 * `BENCH_CLIENT=training` runs only the training rows, `BENCH_CLIENT=ui` only the others.
 * Each is printed beside a baseline measured in the same run (loading the static start page;
 * a page's own idle frame time) and as a ratio to its budget.
 */
import { performance } from "node:perf_hooks";
import type { Page } from "playwright-core";
import WebSocket from "ws";

// Sixty y-websocket providers each add a process exit listener.
process.setMaxListeners(0);
import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import { buildClient, launchChromium, startServer } from "../support/harness.js";
import { ascending, median, percentile } from "./stats.js";
import { trainingRows } from "./client-training.js";

const ATTENDEES = 60;
const REPORT_SECONDS = 10;
const REPEATS = 5;

async function api<T>(
  base: string,
  path: string,
  init: { method?: string; body?: unknown; token?: string } = {},
): Promise<T> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? "GET",
    headers,
    body: init.body === undefined ? null : JSON.stringify(init.body),
  });
  if (!response.ok)
    throw new Error(`${init.method ?? "GET"} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

interface Created {
  sessionId: string;
  hostKey: string;
  joinCode: string;
  hostUrl: string;
}

// Scripts evaluated in the page are strings: tsx's name-keeping helpers do not exist there.

/** Collects frame intervals in the page for `ms` milliseconds. */
function frameTimes(page: Page, ms: number): Promise<number[]> {
  return page.evaluate(`new Promise((resolve) => {
    const times = [];
    let last = performance.now();
    const end = last + ${ms};
    function tick(now) {
      times.push(now - last);
      last = now;
      if (now < end) requestAnimationFrame(tick);
      else resolve(times);
    }
    requestAnimationFrame(tick);
  })`);
}

/**
 * Clicks Run and resolves with the milliseconds until this run's first console line is in the DOM
 * (a line added, or the text of a reused line changed: each run prints a different number).
 */
const RUN_TO_FIRST_LINE = `new Promise((resolve) => {
  const consoleEl = document.querySelector(".console");
  const button = [...document.querySelectorAll("button")].find((b) => b.textContent.startsWith("Run"));
  let start = 0;
  const isLine = (node) => {
    const el = node.nodeType === 1 ? node : node.parentElement;
    return el !== null && (el.classList.contains("console-line") || el.closest(".console-line") !== null || el.querySelector?.(".console-line") != null);
  };
  const observer = new MutationObserver((records) => {
    for (const r of records) {
      const hits = r.type === "characterData" ? isLine(r.target) : [...r.addedNodes].some(isLine);
      if (hits) {
        observer.disconnect();
        resolve(performance.now() - start);
        return;
      }
    }
  });
  observer.observe(consoleEl, { childList: true, subtree: true, characterData: true });
  start = performance.now();
  button.click();
})`;

async function main() {
  const only = process.env.BENCH_CLIENT;
  const rows: [string, string, string, string][] = [];
  if (only !== "training") await uiRows(rows);
  if (only !== "ui") rows.push(...(await trainingRows()));
  const header: [string, string, string, string] = ["measure", "result", "baseline (same run)", "ratio"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  console.log([line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n"));
}

/** Join, Run and dashboard rows, against the real server. */
async function uiRows(rows: [string, string, string, string][]): Promise<void> {
  await buildClient();
  // Sixty simulated attendees join from one address: lift the per-address join limit.
  const server = await startServer({ joinsPerMinute: 10_000 });
  const browser = await launchChromium();
  try {
    const [pack] = await api<{ id: string }[]>(server.url, "/api/packs");
    const session = await api<Created>(server.url, "/api/sessions", {
      method: "POST",
      body: { pack: pack!.id, title: "bench" },
    });

    // Baseline: the static start page.
    const baseline: number[] = [];
    const join: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      let t = performance.now();
      await page.goto(`${server.url}/`);
      await page
        .getByRole("button", { name: /^Start session of / })
        .first()
        .waitFor();
      baseline.push(performance.now() - t);
      t = performance.now();
      await page.goto(`${server.url}/join/${session.joinCode}`);
      await page.getByLabel("Name").fill(`bench ${i}`);
      await page.getByRole("button", { name: "Join" }).click();
      // Sessions start in Exposition, where the editor is folded away.
      await page.getByRole("button", { name: "Open the editor" }).click();
      await page.locator(".cm-content[contenteditable=true]").waitFor();
      join.push(performance.now() - t);
      await context.close();
    }
    rows.push([
      "join link → editable editor (median)",
      `${median(join).toFixed(0)} ms`,
      `start page ${median(baseline).toFixed(0)} ms`,
      `${(median(join) / 1500).toFixed(2)} of 1500 ms`,
    ]);

    // Run → first output line.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/join/${session.joinCode}`);
    await page.getByLabel("Name").fill("bench runner");
    await page.getByRole("button", { name: "Join" }).click();
    // Sessions start in Exposition, where the editor is folded away.
    await page.getByRole("button", { name: "Open the editor" }).click();
    await page.locator(".cm-content[contenteditable=true]").waitFor();
    await page.locator(".cm-content").click();
    await page.keyboard.press("Control+a");
    await page.keyboard.insertText("console.log(Math.random());\n");
    const run: number[] = [];
    let firstRun = 0;
    for (let i = 0; i < REPEATS + 1; i++) {
      const elapsed = await page.evaluate<number>(RUN_TO_FIRST_LINE);
      await page.locator(".toolbar button.primary:not([disabled])").waitFor();
      if (i === 0)
        firstRun = elapsed; // may still wait for the worker started with the room
      else run.push(elapsed);
    }
    rows.push([
      "Run → first output line (median, warm)",
      `${median(run).toFixed(0)} ms`,
      "-",
      `${(median(run) / 300).toFixed(2)} of 300 ms`,
    ]);
    rows.push([
      "first Run right after joining",
      `${firstRun.toFixed(0)} ms`,
      "-",
      `${(firstRun / 300).toFixed(2)} of 300 ms`,
    ]);
    await context.close();

    // Dashboard under 60 simulated attendees.
    const hostContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const host = await hostContext.newPage();
    await host.goto(new URL(session.hostUrl, server.url).href);
    await host.locator(".participants-table").waitFor();
    const idle = await frameTimes(host, 2000);

    const attendees: { token: string; participantId: string; provider: WebsocketProvider; doc: Y.Doc }[] = [];
    for (let i = 0; i < ATTENDEES; i++) {
      const seat = await api<{ token: string; participantId: string }>(server.url, "/api/join", {
        method: "POST",
        body: { joinCode: session.joinCode, name: `attendee ${i}` },
      });
      const doc = new Y.Doc();
      const provider = new WebsocketProvider(
        `${server.url.replace(/^http/, "ws")}/sync`,
        `session/${session.sessionId}`,
        doc,
        {
          params: { token: seat.token },
          WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
          disableBc: true,
        },
      );
      provider.awareness.setLocalState({
        user: { name: `attendee ${i}` },
        participantId: seat.participantId,
        taskId: null,
        hand: i % 7 === 0,
        activeAt: Date.now(),
      });
      attendees.push({ ...seat, provider, doc });
    }
    await host.waitForFunction(
      (n) => document.querySelectorAll("tr[data-participant]").length >= n,
      ATTENDEES,
      { timeout: 30_000 },
    );

    let reports = 0;
    let stop = false;
    const reporting = Promise.all(
      attendees.map(async (a, i) => {
        await new Promise((r) => setTimeout(r, (i * 2000) / ATTENDEES));
        while (!stop) {
          const losses = Array.from({ length: 50 }, (_, s) => Math.exp(-s / 10) + Math.random() * 0.05);
          await api(server.url, `/api/sessions/${session.sessionId}/runs`, {
            method: "POST",
            token: a.token,
            body: {
              taskId: "gradient-descent",
              status: Math.random() < 0.5 ? "ok" : "error",
              checks: [{ name: "one step", passed: Math.random() < 0.5 }],
              metrics: { loss: losses },
              durationMs: 20,
            },
          }).then(
            () => reports++,
            () => undefined,
          );
          await new Promise((r) => setTimeout(r, 2000));
        }
      }),
    );
    const busy = await frameTimes(host, REPORT_SECONDS * 1000);
    stop = true;
    await reporting;
    rows.push([
      `dashboard frame time p95, ${ATTENDEES} attendees, ${reports} reports in ${REPORT_SECONDS} s`,
      `${percentile(ascending(busy), 95).toFixed(1)} ms`,
      `idle p95 ${percentile(ascending(idle), 95).toFixed(1)} ms`,
      `${(percentile(ascending(busy), 95) / 50).toFixed(2)} of 50 ms`,
    ]);
    for (const a of attendees) {
      a.provider.destroy();
      a.doc.destroy();
    }
    await hostContext.close();
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
