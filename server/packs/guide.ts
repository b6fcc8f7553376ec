/**
 * The parts of the host's guide (sessions/README.md) that are facts of the code, generated so
 * they cannot drift: the limits a run and an upload work under, the op names `gradCheck` and
 * `oracle` accept, the CLI's usage, and the worked example (the `new-pack` scaffold, which a test
 * verifies). Each lives between `<!-- generated:NAME:start -->` and `<!-- generated:NAME:end -->`;
 * guide.test.ts fails when the committed README differs.
 *
 * Run: `npx tsx server/packs/guide.ts` (rewrites the blocks in sessions/README.md).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DEFAULT_LIMITS } from "../../sandbox/events.js";
import { USAGE as RUN_USAGE } from "../../sandbox/cli/run.js";
import { referenceOps } from "../../sandbox/scratch/kernels/oracle.js";
import { DEFAULT_TIME_BUDGET_MS } from "./load.js";
import { USAGE as NEW_PACK_USAGE } from "./new-pack-cli.js";
import { USAGE as PREVIEW_USAGE } from "./preview-cli.js";
import { scaffoldFiles } from "./scaffold.js";
import { UPLOAD_FIRST_FEEDBACK_MS, UPLOAD_LIMITS } from "./upload.js";
import { CEILING_MS, FIRST_FEEDBACK_MS, formatDuration } from "./verify.js";
import { USAGE as VERIFY_USAGE } from "./verify-cli.js";

export const GUIDE_PATH = fileURLToPath(new URL("../../sessions/README.md", import.meta.url));

const mib = (bytes: number) =>
  bytes >= 1024 ** 3
    ? `${Number((bytes / 1024 ** 3).toFixed(2))} GiB`
    : `${Number((bytes / 1024 / 1024).toFixed(2))} MiB`;
const count = (n: number) => n.toLocaleString("en-GB");

function limits(): string {
  const rows: [string, string, string][] = [
    [
      "run time (`timeBudgetMs`)",
      formatDuration(DEFAULT_TIME_BUDGET_MS),
      "per task in task.json, up to 600 s; in the browser too",
    ],
    ["reference run in verify", formatDuration(CEILING_MS), "ceiling whatever the budget says"],
    [
      "first feedback (verify)",
      formatDuration(FIRST_FEEDBACK_MS),
      "a check result or a metric; `--first-feedback-ms` relaxes it",
    ],
    [
      "first feedback (upload)",
      formatDuration(UPLOAD_FIRST_FEEDBACK_MS),
      "looser: a shared server measures under load",
    ],
    ["sandbox memory", mib(DEFAULT_LIMITS.memoryBytes), "the QuickJS heap"],
    ["live tensors", count(DEFAULT_LIMITS.tensorCount), "tensors alive at once (dispose, or use `tidy`)"],
    ["tensor bytes", mib(DEFAULT_LIMITS.tensorBytes), "held by live tensors at once"],
    ["console output", mib(DEFAULT_LIMITS.outputBytes), "per run"],
    ["upload: zip", mib(UPLOAD_LIMITS.zipBytes), "`POST /api/packs` body"],
    ["upload: files", count(UPLOAD_LIMITS.files), ".json, .md and .js only"],
    ["upload: one file", mib(UPLOAD_LIMITS.fileBytes), "inflated"],
    ["upload: all files", mib(UPLOAD_LIMITS.totalBytes), "inflated"],
    ["upload: tasks", count(UPLOAD_LIMITS.tasks), "each is verified on upload"],
  ];
  return ["| limit | value | note |", "| --- | --- | --- |", ...rows.map((r) => `| ${r.join(" | ")} |`)].join(
    "\n",
  );
}

function oracleOps(): string {
  return Object.keys(referenceOps)
    .map((op) => `\`${op}\``)
    .join(", ");
}

function cli(): string {
  return ["```", NEW_PACK_USAGE, "", RUN_USAGE, "", PREVIEW_USAGE, "", VERIFY_USAGE, "```"].join("\n");
}

function example(): string {
  const files = scaffoldFiles("my-pack", "My pack");
  const lang = (path: string) => (path.endsWith(".js") ? "js" : path.endsWith(".json") ? "json" : "md");
  return Object.entries(files)
    .map(([path, text]) => {
      const fence = text.includes("```") ? "````" : "```";
      return `\`${path}\`:\n\n${fence}${lang(path)}\n${text.trimEnd()}\n${fence}`;
    })
    .join("\n\n");
}

export const BLOCKS: Record<string, () => string> = { limits, "oracle-ops": oracleOps, cli, example };

/** `markdown` with every generated block rewritten; throws when a block's markers are missing. */
export function renderGuide(markdown: string): string {
  let out = markdown;
  for (const [name, make] of Object.entries(BLOCKS)) {
    const start = `<!-- generated:${name}:start -->`;
    const end = `<!-- generated:${name}:end -->`;
    const from = out.indexOf(start);
    const to = out.indexOf(end);
    if (from < 0 || to < from) throw new Error(`sessions/README.md has no ${start} … ${end} block`);
    out = `${out.slice(0, from + start.length)}\n${make()}\n${out.slice(to)}`;
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(GUIDE_PATH, renderGuide(readFileSync(GUIDE_PATH, "utf8")));
  console.log(`wrote ${GUIDE_PATH}`);
}
