/**
 * `scratchroom run FILE [--pack DIR] [--task ID] [--hidden] [--timeout MS] [--memory MB] [--seed N]`:
 * runs one attendee file headless with the Node runner and prints what the browser would show:
 * console lines, one-line plot summaries and check results (worded by scratch/summary.ts), one
 * summary per metric series at the end (a training loop emits thousands), and the error with
 * file:line:col. Exits non-zero on an error or a limit.
 *
 * A file inside a session pack runs as the room runs it: the caller passes a {@link ContextResolver}
 * (the server's pack reader) that gives the task's module rule, seed, budget, checks and the pack's
 * `pack/<name>` modules; the sandbox itself knows nothing about packs.
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import type { RunEvent, RunLimits, RunRequest } from "../events.js";
import { createNodeRunner } from "../runner/node.js";
import type { DoneEvent } from "../runner/runner.js";
import { summarizeEvent } from "../scratch/summary.js";
import { firstNonFinite } from "../non-finite.js";

export const USAGE = `usage: scratchroom run FILE [--pack DIR] [--task ID] [--hidden] [--timeout MS] [--memory MB] [--seed N]

Runs FILE headless in the sandbox and prints what the room would show: console lines, plot,
check and metric summaries, and any error with file:line:col. Exits 1 on an error or a limit.

Inside a session pack (a folder above FILE holds pack.json), FILE runs as the room runs the task
whose tasks/<id>/ folder it sits in: that task's allowed modules, seed, time budget and visible
checks, and the pack's "pack/<name>" modules.
  --pack DIR       the pack folder (default: found above FILE)
  --task ID        the task whose rule applies (default: the task folder FILE is in)
  --hidden         also run the task's hidden.js, as the server's verification does
  --timeout MS     wall-clock limit (default: the task's budget, else 60000)
  --memory MB      memory limit of the sandbox (default 256)
  --seed N         seeds Math.random and scratch's random sources (default: the task's seed)`;

/** The pack and task a file runs in (see server/packs/task-context.ts), or null outside a pack. */
export type ContextResolver = (
  file: string,
  options: { pack?: string; task?: string; hidden?: boolean },
) =>
  | {
      ok: true;
      context: { request: Partial<RunRequest>; description: string; warnings: string[] } | null;
    }
  | { ok: false; message: string };

/** Terminal-safe text: control characters (ANSI escapes included) are shown, not interpreted. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

function range(values: number[]): string {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (Number.isFinite(v)) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return min <= max ? `[${format(min)}, ${format(max)}]` : "[no finite values]";
}

function format(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toPrecision(4);
}

/** One printable line per event (undefined for events the CLI summarises at the end). */
export function describeEvent(event: RunEvent): string | undefined {
  switch (event.type) {
    case "console":
      return event.level === "log" || event.level === "info"
        ? printable(event.text)
        : `[${event.level}] ${printable(event.text)}`;
    case "plot":
    case "check":
      return printable(summarizeEvent(event) ?? "");
    case "metric":
      return undefined;
    case "done":
      return undefined;
  }
}

export function describeDone(done: DoneEvent): string {
  if (done.status === "ok") return `ok (${done.durationMs} ms)`;
  const e = done.error;
  if (!e) return "error";
  const where = e.module ? `${e.module}${e.line ? `:${e.line}${e.column ? `:${e.column}` : ""}` : ""}: ` : "";
  const label = e.kind === "limit" ? `limit (${e.limit})` : e.kind;
  return `${where}${label} error: ${printable(e.message)} (${done.durationMs} ms)`;
}

function metricSummary(metrics: Map<string, { step: number; value: number }[]>): string[] {
  return [...metrics].map(([name, series]) => {
    const values = series.map((p) => p.value);
    const last = values.at(-1) ?? Number.NaN;
    const broken = firstNonFinite(series);
    const nonFinite = broken ? `, ${broken.value} at step ${broken.step}` : "";
    return `[metric ${printable(name)}] ${values.length} steps, last ${format(last)}, range ${range(values)}${nonFinite}`;
  });
}

function positive(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

export async function main(argv: string[], resolveContext?: ContextResolver): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        timeout: { type: "string" },
        memory: { type: "string" },
        seed: { type: "string" },
        pack: { type: "string" },
        task: { type: "string" },
        hidden: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  const file = parsed.positionals[0];
  if (!file || parsed.positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  const limits: Partial<RunLimits> = {};
  let seed: number | undefined;
  try {
    const timeout = positive(parsed.values.timeout, "timeout");
    const memory = positive(parsed.values.memory, "memory");
    if (timeout !== undefined) limits.timeoutMs = timeout;
    if (memory !== undefined) limits.memoryBytes = memory * 1024 * 1024;
    if (parsed.values.seed !== undefined) {
      seed = Number(parsed.values.seed);
      if (!Number.isInteger(seed)) throw new Error("--seed must be an integer");
    }
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  let source: string;
  try {
    source = await readFile(file, "utf8");
  } catch {
    console.error(`scratchroom run: cannot read ${file}`);
    return 2;
  }
  const filename = basename(file);
  const request: RunRequest = { source, filename, language: filename.endsWith(".ts") ? "ts" : "js" };
  if (resolveContext) {
    const { pack, task, hidden } = parsed.values;
    const resolved = resolveContext(file, {
      ...(pack !== undefined ? { pack } : {}),
      ...(task !== undefined ? { task } : {}),
      hidden,
    });
    if (!resolved.ok) {
      console.error(`scratchroom run: ${resolved.message}`);
      return 2;
    }
    if (resolved.context) {
      Object.assign(request, resolved.context.request);
      process.stderr.write(`running in ${printable(resolved.context.description)}\n`);
      for (const warning of resolved.context.warnings)
        process.stderr.write(`warning: ${printable(warning)}\n`);
    }
  } else if (parsed.values.pack !== undefined || parsed.values.task !== undefined) {
    console.error("scratchroom run: --pack and --task need the pack reader (run it as `scratchroom run`)");
    return 2;
  }
  request.limits = { ...request.limits, ...limits };
  if (seed !== undefined) request.seed = seed;

  const runner = createNodeRunner({ poolSize: 1 });
  const metrics = new Map<string, { step: number; value: number }[]>();
  try {
    const done = await runner.run(request, (event) => {
      if (event.type === "metric") {
        const series = metrics.get(event.name) ?? [];
        series.push({ step: event.step, value: event.value });
        metrics.set(event.name, series);
      }
      const line = describeEvent(event);
      if (line !== undefined) process.stdout.write(`${line}\n`);
    });
    for (const line of metricSummary(metrics)) process.stdout.write(`${line}\n`);
    const summary = describeDone(done);
    if (done.status === "ok") {
      process.stdout.write(`${summary}\n`);
      return 0;
    }
    process.stderr.write(`${summary}\n`);
    return 1;
  } finally {
    await runner.close();
  }
}
