/** The HostLibrary the runner receives: modules, umbrella, kernels, and the generated reference. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { JSON_PATH, MARKDOWN_PATH, renderReference } from "../api-reference.js";
import { umbrellaSource } from "../library-core.js";
import { guestFolder, readGuestSources, scratchLibrary } from "../library.node.js";

describe("scratchLibrary", () => {
  it("offers every sub-module by specifier, plus the internal ones", () => {
    expect(Object.keys(scratchLibrary.modules).sort()).toEqual(
      [
        "scratch/_check-token",
        "scratch/_host",
        "scratch/autograd",
        "scratch/check",
        "scratch/data",
        "scratch/derivatives",
        "scratch/graph",
        "scratch/linalg",
        "scratch/memory",
        "scratch/metrics",
        "scratch/nn",
        "scratch/nonfinite",
        "scratch/optim",
        "scratch/plot",
        "scratch/prng",
        "scratch/shapes",
        "scratch/tape",
        "scratch/tensor",
      ].sort(),
    );
    expect(scratchLibrary.publicModules).not.toContain("scratch/_host");
    expect(scratchLibrary.publicModules).toContain("scratch/autograd");
    expect(scratchLibrary.modules["scratch/tensor"]).toMatch(/export class Tensor/);
  });

  it("builds an umbrella re-exporting only the allowed sub-modules", () => {
    expect(scratchLibrary.umbrella(scratchLibrary.publicModules)).toBe(
      [
        'export * from "scratch/tensor";',
        'export * as autograd from "scratch/autograd";',
        'export * as nn from "scratch/nn";',
        'export * as optim from "scratch/optim";',
        'export * as data from "scratch/data";',
        'export * as plot from "scratch/plot";',
        'export * as metrics from "scratch/metrics";',
        'export * as check from "scratch/check";',
        "",
      ].join("\n"),
    );
    const noAutograd = umbrellaSource(["scratch/tensor", "scratch/plot"]);
    expect(noAutograd).toBe('export * from "scratch/tensor";\nexport * as plot from "scratch/plot";\n');
    expect(umbrellaSource([])).toBe("export {};\n");
  });

  it("declares a kernel for every op the guest calls", () => {
    const sources = Object.values(readGuestSources()).join("\n");
    const called = new Set([...sources.matchAll(/(?:host\.k|call)\("(\w+)"/g)].map((m) => m[1]));
    called.add("maxPool2dBackward").add("avgPool2dBackward"); // called as `${op}Backward`
    // Binary ops also have a "…Number" kernel for a number operand.
    for (const m of sources.matchAll(/binary\(this, y, "(\w+)"/g)) called.add(m[1]).add(`${m[1]}Number`);
    for (const op of called) expect(scratchLibrary.kernels, op).toHaveProperty(op!);
  });

  it("finds the guest sources from the compiled dist/ layout too", () => {
    const root = new URL("../../../", import.meta.url);
    const compiled = new URL("dist/sandbox/scratch/library.node.js", root).href;
    expect(guestFolder(compiled)).toBe(new URL("sandbox/scratch/guest/", root).pathname);
    expect(() => guestFolder("file:///tmp/nowhere/a/b/c.js")).toThrow(/guest sources not found/);
  });
});

describe("API reference", () => {
  it("docs/scratch-api.md and api-reference.json are up to date (npx tsx sandbox/scratch/api-reference.ts)", async () => {
    const [markdown, json] = await renderReference();
    expect(readFileSync(MARKDOWN_PATH, "utf8")).toBe(markdown);
    expect(readFileSync(JSON_PATH, "utf8")).toBe(json);
  });

  it("documents every public export, including the guaranteed API", async () => {
    const ref = JSON.parse(readFileSync(JSON_PATH, "utf8")) as { entries: { name: string; doc: string }[] };
    const undocumented = ref.entries.filter((e) => e.doc === "").map((e) => e.name);
    expect(undocumented).toEqual([]);
    const names = ref.entries.map((e) => e.name);
    for (const name of [
      "tensor",
      "zeros",
      "randn",
      "noGrad",
      "seed",
      "Tensor.matmul",
      "Tensor.backward",
      "Linear",
      "crossEntropy",
      "SGD",
      "spirals",
      "line",
      "expectClose",
      "gradCheck",
    ]) {
      expect(names, name).toContain(name);
    }
  });

  it("lists editor completions named as attendee code writes them", () => {
    const ref = JSON.parse(readFileSync(JSON_PATH, "utf8")) as {
      completions: { name: string; kind: string; signature?: string }[];
    };
    const byName = new Map(ref.completions.map((c) => [c.name, c]));
    expect(byName.get("nn")?.kind).toBe("namespace");
    expect(byName.get("nn.Linear")).toMatchObject({
      kind: "class",
      signature: "new Linear(inFeatures, outFeatures, { bias = true } = {})",
    });
    expect(byName.get("tensor")?.kind).toBe("function");
    expect(byName.get("data.spirals")?.kind).toBe("function");
    expect(byName.get("Tensor.matmul")?.kind).toBe("method");
    expect(byName.get("Tensor.shape")?.kind).toBe("property");
    expect(byName.get("Tensor.grad")?.kind).toBe("property");
    const kinds = new Set(["function", "class", "namespace", "method", "property"]);
    expect(ref.completions.every((c) => kinds.has(c.kind))).toBe(true);
  });
});
