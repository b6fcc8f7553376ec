/**
 * `scratchroom verify [PACK…] [--json | --markdown] [--jobs N] [--sessions DIR] [--first-feedback-ms MS]`:
 * loads the packs (ids in the sessions folder, or pack folders), verifies every task in the Node
 * sandbox runner (see ./verify.ts) and prints the table. Exit code 1 when a pack does not load or a task fails,
 * 2 on bad arguments.
 */
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createNodeRunner } from "../../sandbox/runner/node.js";
import type { Pack } from "./format.js";
import { formatProblems, loadPack, loadPacks, type PackLoadResult } from "./load.js";
import { FIRST_FEEDBACK_MS, formatMarkdown, formatReport, reportJson, verifyPacks } from "./verify.js";
import { parseCommandLine } from "./command-line.js";

export const USAGE =
  "usage: scratchroom verify [PACK…] [--json | --markdown] [--jobs N] [--sessions DIR] [--first-feedback-ms MS]";

/** The repository's sessions/ folder: next to package.json, above this file (source or dist/). */
export function defaultSessionsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "sessions")))
      return join(dir, "sessions");
    const parent = dirname(dir);
    if (parent === dir) return resolve("sessions");
    dir = parent;
  }
}

const isDir = (path: string) => existsSync(path) && statSync(path).isDirectory();

/** A pack argument is a folder path, or the id of a pack in the sessions folder. */
export function resolvePack(arg: string, sessions: string): PackLoadResult {
  if (isDir(join(arg, "tasks")) || existsSync(join(arg, "pack.json"))) return loadPack(resolve(arg));
  if (isDir(join(sessions, arg))) return loadPack(join(sessions, arg));
  return {
    ok: false,
    dir: arg,
    problems: [{ file: arg, message: `no pack folder "${arg}" here or in ${sessions}` }],
  };
}

/** The `--first-feedback-ms` value; null, after saying why with `usage`, when it is not a positive number. */
export function firstFeedbackMsOption(value: string | undefined, usage: string): number | null {
  const ms = Number(value);
  if (Number.isFinite(ms) && ms > 0) return ms;
  console.error(`--first-feedback-ms must be a positive number\n${usage}`);
  return null;
}

/** The `--sessions` folder, or the repository's sessions/ when not given. */
export const sessionsOption = (value: string | undefined): string =>
  value ? resolve(value) : defaultSessionsDir();

export async function main(argv: string[]): Promise<number> {
  const args = parseCommandLine(argv, USAGE, {
    json: { type: "boolean", default: false },
    markdown: { type: "boolean", default: false },
    jobs: { type: "string", default: "1" },
    "first-feedback-ms": { type: "string", default: String(FIRST_FEEDBACK_MS) },
    sessions: { type: "string" },
  });
  if (typeof args === "number") return args;
  const jobs = Number(args.values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 16) {
    console.error(`--jobs must be an integer from 1 to 16\n${USAGE}`);
    return 2;
  }
  const firstFeedbackMs = firstFeedbackMsOption(args.values["first-feedback-ms"], USAGE);
  if (firstFeedbackMs === null) return 2;
  const sessions = sessionsOption(args.values.sessions);
  const results = args.positionals.length
    ? args.positionals.map((p) => resolvePack(p, sessions))
    : loadPacks(sessions);

  const packs: Pack[] = [];
  let broken = 0;
  for (const result of results) {
    if (result.ok) packs.push(result.pack);
    else {
      broken++;
      console.error(`pack ${result.dir} does not load:\n${formatProblems(result.problems)}\n`);
    }
  }
  if (packs.length === 0) {
    console.error(broken ? "no pack loads" : `no packs in ${sessions}`);
    return 1;
  }

  const runner = createNodeRunner({ poolSize: jobs });
  try {
    // Warm the workers first, so the first task's timings do not include QuickJS start-up.
    await runner.ready();
    const report = await verifyPacks(runner, packs, {
      jobs,
      firstFeedbackMs,
      onVerdict: (v) =>
        console.error(
          `${v.ok ? "ok  " : "FAIL"} ${v.pack}/${v.task} (${(v.reference.durationMs / 1000).toFixed(2)} s)`,
        ),
    });
    if (args.values.json) console.log(JSON.stringify(reportJson(report), null, 2));
    else if (args.values.markdown) console.log(formatMarkdown(report));
    else console.log(formatReport(report));
    return report.ok && broken === 0 ? 0 : 1;
  } finally {
    await runner.close();
  }
}
