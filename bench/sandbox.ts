/**
 * `npm run bench:sandbox`: runs every benchmark module in bench/sandbox/ (each exports
 * `run(): Promise<BenchRow[]>`) and prints one table of medians against their targets.
 */
import { readdir } from "node:fs/promises";

export interface BenchRow {
  name: string;
  /** Median of the measurements, in `unit`. */
  median: number;
  unit: string;
  /** The target (an upper bound) or a baseline measured in the same run. */
  target: number;
  /** What `target` is: "target" or the name of the baseline. */
  against: string;
  samples: number;
}

function verdict(row: BenchRow): string {
  if (row.against !== "target") return "(baseline ratio)";
  return row.median <= row.target ? "ok" : "OVER";
}

async function main(): Promise<void> {
  const dir = new URL("./sandbox/", import.meta.url);
  const files = (await readdir(dir)).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith(".d.ts")).sort();
  const rows: BenchRow[] = [];
  for (const file of files) {
    const module = (await import(new URL(file, dir).href)) as { run?: () => Promise<BenchRow[]> };
    if (typeof module.run !== "function") continue;
    process.stderr.write(`running bench/sandbox/${file}…\n`);
    rows.push(...(await module.run()));
  }
  const header = ["benchmark", "median", "target / baseline", "ratio", "verdict", "n"];
  const table = rows.map((r) => [
    r.name,
    `${r.median.toFixed(2)} ${r.unit}`,
    `${r.target.toFixed(2)} ${r.unit} (${r.against})`,
    (r.median / r.target).toFixed(2),
    verdict(r),
    String(r.samples),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of table) console.log(line(row));
  process.exit(0);
}

await main();
