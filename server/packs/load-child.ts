/**
 * Child-process side of {@link loadPacksIsolated} (./load-isolated.ts): loads and validates every
 * pack in the folder named on its command line, sends the results to its parent and exits.
 */
import { loadPacks } from "./load.js";

process.send!(loadPacks(process.argv[2]!), () => process.disconnect());
