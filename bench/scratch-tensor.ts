/**
 * Temporary runner for the tensor benchmark alone (`npx tsx bench/scratch-tensor.ts`) until
 * bench/sandbox.ts, which runs every module in bench/sandbox/, is on this branch.
 */
import { run } from "./sandbox/tensor.js";

const rows = await run();
console.table(
  rows.map((r) => ({
    name: r.name,
    median: `${r.median.toFixed(2)} ${r.unit}`,
    ratio: r.ratio === null ? "" : r.ratio.toFixed(2),
    target: r.target,
    verdict: r.verdict,
  })),
);
process.exit(rows.every((r) => r.verdict === "pass") ? 0 : 1);
