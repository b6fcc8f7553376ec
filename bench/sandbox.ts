/**
 * `npm run bench:sandbox [-- NAME…]`: runs every benchmark module in bench/sandbox/ that exports
 * `run(): Promise<BenchRow[]>` (or those whose file name contains a NAME) and prints one table.
 */
import { readdir } from "node:fs/promises";

/** One benchmark result (the shape bench/sandbox/runner.ts and bench/sandbox/tensor.ts share). */
export interface BenchRow {
  name: string;
  /** The median measurement, in `unit`. */
  median: number;
  unit: string;
  /** The bound the value or ratio must meet, as text ("≤ 5 ms", "ratio ≤ 1.5"). */
  target: string;
  /** Measured over a baseline measured in the same run, when the row compares against one. */
  ratio: number | null;
  verdict: "pass" | "fail";
}

async function main(): Promise<void> {
  const dir = new URL("./sandbox/", import.meta.url);
  // `npm run bench:sandbox -- runner` runs only the modules whose file name contains "runner".
  const only = process.argv.slice(2);
  const files = (await readdir(dir))
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith(".d.ts"))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .sort();
  const rows: BenchRow[] = [];
  for (const file of files) {
    const module = (await import(new URL(file, dir).href)) as { run?: () => Promise<BenchRow[]> };
    if (typeof module.run !== "function") continue;
    process.stderr.write(`running bench/sandbox/${file}…\n`);
    rows.push(...(await module.run()));
  }
  const header = ["benchmark", "median", "target", "ratio", "verdict"];
  const table = rows.map((r) => [
    r.name,
    `${r.median.toFixed(2)} ${r.unit}`,
    r.target,
    r.ratio === null ? "—" : r.ratio.toFixed(2),
    r.verdict,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of table) console.log(line(row));
  process.exit(rows.every((r) => r.verdict === "pass") ? 0 : 1);
}

await main();
