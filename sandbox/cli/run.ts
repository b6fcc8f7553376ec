/**
 * `scratchroom run FILE [--timeout MS] [--memory MB] [--seed N]`: runs one attendee file headless
 * with the Node runner and prints what the browser would show: console lines, one-line plot
 * summaries and check results (worded by scratch/summary.ts), one summary per metric series at
 * the end (a training loop emits thousands), and the error with file:line:col. Exits non-zero on an error or
 * a limit.
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import type { RunEvent, RunLimits, RunRequest } from "../events.js";
import { createNodeRunner } from "../runner/node.js";
import type { DoneEvent } from "../runner/runner.js";
import { summarizeEvent } from "../scratch/summary.js";
import { firstNonFinite } from "../non-finite.js";

const USAGE = "usage: scratchroom run FILE [--timeout MS] [--memory MB] [--seed N]";

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

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { timeout: { type: "string" }, memory: { type: "string" }, seed: { type: "string" } },
    });
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
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
  const request: RunRequest = { source, filename, language: filename.endsWith(".ts") ? "ts" : "js", limits };
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
