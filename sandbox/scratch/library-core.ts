/**
 * Assembles the `scratch` {@link HostLibrary} from guest module sources and a data source. The two
 * entry points differ only in how they obtain those: library.node.ts reads files, library.browser.ts
 * bundles them with Vite.
 */
import type { HostLibrary } from "../kernel/types.js";
import type { DataSource } from "./kernels/data.js";
import { createKernelTable } from "./kernels/index.js";
import { tapeRules } from "./kernels/tape.js";

/** Sub-modules attendee code may import, and the name each has in the umbrella "scratch". */
export const PUBLIC_MODULES: Readonly<Record<string, string | null>> = {
  "scratch/tensor": null, // re-exported flat: import { tensor, zeros } from "scratch"
  "scratch/autograd": "autograd",
  "scratch/nn": "nn",
  "scratch/optim": "optim",
  "scratch/data": "data",
  "scratch/plot": "plot",
  "scratch/metrics": "metrics",
  "scratch/check": "check",
};

/** The guest files (by base name, e.g. "tensor") that are not modules of their own. */
const NOT_MODULES = new Set(["index"]);

/** Source of the umbrella module re-exporting exactly the allowed sub-modules. */
export function umbrellaSource(allowed: readonly string[]): string {
  const lines = Object.entries(PUBLIC_MODULES)
    .filter(([specifier]) => allowed.includes(specifier))
    .map(([specifier, name]) =>
      name === null ? `export * from "${specifier}";` : `export * as ${name} from "${specifier}";`,
    );
  return lines.length > 0 ? lines.join("\n") + "\n" : "export {};\n";
}

/**
 * @param sources guest sources by base file name ("tensor" → source of guest/tensor.js)
 */
export function createScratchLibrary(options: {
  sources: Readonly<Record<string, string>>;
  data: DataSource;
  init?: () => Promise<void>;
  reset?: () => Promise<void>;
  heapBytes?: () => number;
}): HostLibrary {
  const modules: Record<string, string> = {};
  for (const [name, source] of Object.entries(options.sources)) {
    if (!NOT_MODULES.has(name)) modules[`scratch/${name}`] = source;
  }
  for (const specifier of Object.keys(PUBLIC_MODULES)) {
    if (modules[specifier] === undefined) throw new Error(`scratch: guest module ${specifier} is missing`);
  }
  const library: HostLibrary = {
    modules,
    publicModules: Object.keys(PUBLIC_MODULES),
    umbrella: umbrellaSource,
    checkModule: "scratch/check",
    kernels: createKernelTable(options.data),
    tape: tapeRules,
  };
  if (options.init) library.init = options.init;
  if (options.reset) library.reset = options.reset;
  if (options.heapBytes) library.heapBytes = options.heapBytes;
  return library;
}
