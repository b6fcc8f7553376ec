/**
 * Pools the rounds of several bench/sync.ts reports and prints, per table, each server's median
 * over all of them and the ratios with their 95% intervals (bench/round-intervals.ts): what
 * docs/benchmarks.md means by "pooled over N rounds".
 *
 *   npx tsx bench/pool-rounds.ts [--key p99] report.md [report.md ...]
 *
 * Rounds stay paired within a report (round k of every server); reports are appended one after
 * another. Only tables whose "<key> per round" line the reports print are pooled (the hot room:
 * p99; the classroom: partnerP99, broadcastP99).
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { finiteMedian, intervalLine, poolPerRoundLines } from "./round-intervals.js";
import { equalWork, serverNames } from "./sync-harness.js";

const { values, positionals } = parseArgs({
  options: { key: { type: "string", default: "p99" } },
  allowPositionals: true,
});
if (positionals.length === 0) {
  console.error("usage: tsx bench/pool-rounds.ts [--key p99] report.md [report.md ...]");
  process.exit(2);
}
const pooled = poolPerRoundLines(
  positionals.map((file) => readFileSync(file, "utf8")),
  values.key,
);
if (pooled.size === 0) {
  console.error(`no "${values.key} per round" line in ${positionals.join(", ")}`);
  process.exit(1);
}
for (const [heading, rounds] of pooled) {
  console.log(`#### ${heading} (${positionals.length} report(s) pooled)\n`);
  for (const [which, v] of rounds) {
    const used = v.filter(Number.isFinite).length;
    console.log(`- ${serverNames[which]}: median ${finiteMedian(v).toFixed(2)} over ${used} round(s)`);
  }
  console.log(`\n${intervalLine(values.key, rounds, equalWork) || "(nothing to compare)"}\n`);
}
