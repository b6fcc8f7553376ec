import { describe, expect, it } from "vitest";
import { PUBLIC_MODULES } from "../../sandbox/scratch/library-core.js";
import {
  installedScratchExports,
  namespaceOf,
  SCRATCH_MODULES,
  scratchExportsFrom,
} from "./scratch-exports.js";

describe("scratch exports", () => {
  it("names the umbrella's namespaces as the library builds them", () => {
    expect([...SCRATCH_MODULES].sort()).toEqual(Object.keys(PUBLIC_MODULES).sort());
    for (const specifier of SCRATCH_MODULES) expect(namespaceOf(specifier)).toBe(PUBLIC_MODULES[specifier]);
  });

  it("follows re-exports and builds the umbrella from the allowed sub-modules", () => {
    const table = scratchExportsFrom({
      "scratch/tensor":
        'export * from "scratch/memory";\nexport { noGrad } from "scratch/autograd";\nexport function tensor() {}\n',
      "scratch/memory": "export function tidy() {}\nexport const dispose = () => {};\n",
      "scratch/autograd": "export function noGrad() {}\n",
      "scratch/nn": "export class Linear {}\n",
    });
    expect([...table.of("scratch/tensor", [])!].sort()).toEqual(["dispose", "noGrad", "tensor", "tidy"]);
    expect([...table.of("scratch", ["scratch/tensor", "scratch/nn"])!].sort()).toEqual([
      "dispose",
      "nn",
      "noGrad",
      "tensor",
      "tidy",
    ]);
    expect(table.of("scratch/unknown", [])).toBeNull();
    expect(table.home("Linear")).toBe("scratch/nn");
  });

  it("reads the installed library's guest sources", () => {
    const table = installedScratchExports();
    expect(table).not.toBeNull();
    expect(table!.of("scratch/data", [])!.has("spirals")).toBe(true);
    expect(table!.of("scratch", ["scratch/tensor"])!.has("tensor")).toBe(true);
  });
});
