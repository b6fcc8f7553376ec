/**
 * What each `scratch` module exports, read statically from the library's guest sources
 * (sandbox/scratch/guest/*.js), so the loader can tell a host "scratch/data has no export data"
 * at the right line instead of the room finding out at Run.
 *
 * The umbrella "scratch" re-exports scratch/tensor flat and every other allowed sub-module as a
 * namespace named after it (`nn`, `data`, …), as sandbox/scratch/library-core.ts builds it.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { analyseModule } from "./js-module.js";

export const UMBRELLA = "scratch";
const FLAT = "scratch/tensor";

/** The `scratch` sub-modules a task may allow (docs/sandbox.md, "Modules"). */
export const SCRATCH_MODULES = [
  "scratch/tensor",
  "scratch/autograd",
  "scratch/nn",
  "scratch/optim",
  "scratch/data",
  "scratch/plot",
  "scratch/check",
  "scratch/metrics",
] as const;

export interface ScratchExports {
  /** Names `specifier` exports (for "scratch": given the task's allowed sub-modules); null if unknown. */
  of(specifier: string, allowed: readonly string[]): Set<string> | null;
  /** The public sub-module exporting `name`, if any: for "did you mean" hints. */
  home(name: string): string | undefined;
}

/** Namespace name of a sub-module in the umbrella ("scratch/nn" → "nn"); null for the flat one. */
export function namespaceOf(specifier: string): string | null {
  return specifier === FLAT ? null : specifier.slice(UMBRELLA.length + 1);
}

/** Builds the export table from guest module sources by specifier ("scratch/tensor" → source). */
export function scratchExportsFrom(sources: Readonly<Record<string, string>>): ScratchExports {
  const cache = new Map<string, Set<string>>();
  const resolve = (specifier: string, seen: Set<string>): Set<string> => {
    const cached = cache.get(specifier);
    if (cached) return cached;
    const names = new Set<string>();
    const source = sources[specifier];
    if (source === undefined || seen.has(specifier)) return names;
    seen.add(specifier);
    const facts = analyseModule(source);
    if (facts.ok) {
      for (const from of facts.starFrom) for (const n of resolve(from, seen)) names.add(n);
      for (const n of facts.ownExports) names.add(n);
    }
    cache.set(specifier, names);
    return names;
  };
  return {
    of(specifier, allowed) {
      if (specifier !== UMBRELLA)
        return sources[specifier] === undefined ? null : resolve(specifier, new Set());
      const names = new Set<string>();
      for (const sub of allowed) {
        if (sources[sub] === undefined) continue;
        const ns = namespaceOf(sub);
        if (ns === null) for (const n of resolve(sub, new Set())) names.add(n);
        else names.add(ns);
      }
      return names;
    },
    home(name) {
      return SCRATCH_MODULES.find((s) => sources[s] !== undefined && resolve(s, new Set()).has(name));
    },
  };
}

function guestFolder(): string | undefined {
  // From server/packs (sources) or dist/server/packs (build, which does not copy the guest .js).
  return ["../../sandbox/scratch/guest/", "../../../sandbox/scratch/guest/"]
    .map((p) => fileURLToPath(new URL(p, import.meta.url)))
    .find((dir) => existsSync(`${dir}tensor.js`));
}

let installed: ScratchExports | null | undefined;

/** The export table of the installed library, or null when its sources cannot be found. */
export function installedScratchExports(): ScratchExports | null {
  if (installed !== undefined) return installed;
  const dir = guestFolder();
  if (dir === undefined) return (installed = null);
  const sources: Record<string, string> = {};
  for (const file of readdirSync(dir)) {
    if (file.endsWith(".js") && file !== "index.js")
      sources[`scratch/${file.slice(0, -3)}`] = readFileSync(dir + file, "utf8");
  }
  return (installed = scratchExportsFrom(sources));
}
