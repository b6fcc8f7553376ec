/**
 * Child-process side of {@link loadPacksIsolated} (./load-isolated.ts): loads and validates every
 * pack in the folder named first on its command line, writes each valid one as JSON into the folder
 * named second, sends its parent the listings, file paths and problems, and exits.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadPacks } from "./load.js";
import type { IsolatedLoadResult } from "./load-isolated.js";
import { listingOf } from "./shelf.js";

const [dir, cacheDir] = [process.argv[2]!, process.argv[3]!];
const results = loadPacks(dir).map((result, i): IsolatedLoadResult => {
  if (!result.ok) return result;
  const file = join(cacheDir, `${i}.json`);
  writeFileSync(file, JSON.stringify(result.pack));
  return { ok: true, listing: listingOf(result.pack), file };
});
process.send!(results, () => process.disconnect());
