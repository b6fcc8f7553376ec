/**
 * The generated API reference says what the code does: every data set documents the shapes it
 * really returns, every layer names its parameters, every reference op of the checking helpers is
 * listed, and no public entry is undocumented. (library.test.ts checks the files are regenerated.)
 */
import { describe, expect, it } from "vitest";
import { buildReference, renderMarkdown } from "../api-reference.js";
import { referenceOps } from "../kernels/oracle.js";
import { installDirectHost } from "../testing/install.js";

await installDirectHost("cpu");
const S = await import("scratch");
const reference = buildReference();
const docOf = (module: string, name: string) =>
  reference.entries.find((e) => e.module === module && e.name === name)?.doc ?? "";

describe("generated docs match the code", () => {
  it("every data set documents the shape of each tensor it returns", () => {
    const sets: Record<string, () => Record<string, unknown>> = {
      spirals: () => S.data.spirals(),
      moons: () => S.data.moons(),
      blobs: () => S.data.blobs(),
      sine: () => S.data.sine(),
      iris: () => S.data.iris(),
      penguins: () => S.data.penguins(),
      boston: () => S.data.boston(),
      wages: () => S.data.wages(),
      sp500: () => S.data.sp500(),
    };
    for (const [name, load] of Object.entries(sets)) {
      const doc = docOf("scratch/data", name);
      expect(doc, name).toMatch(/Returns/);
      for (const [field, value] of Object.entries(load())) {
        if (value instanceof S.Tensor)
          expect(doc, `${name}.${field}`).toContain(
            `${field}: [${(value as { shape: number[] }).shape.join(", ")}]`,
          );
        else expect(doc, `${name}.${field}`).toContain(field);
      }
    }
    for (const name of ["mnist", "table", "columns", "cars", "stocks", "names", "mobyDick"]) {
      expect(docOf("scratch/data", name), name).toMatch(/Returns/);
    }
  });

  it("every layer names each of its parameters", () => {
    const layers: Record<string, () => { parameters(): unknown[] } & Record<string, unknown>> = {
      Linear: () => new S.nn.Linear(3, 4),
      Conv2d: () => new S.nn.Conv2d(2, 3, 3),
      LayerNorm: () => new S.nn.LayerNorm(5),
      Embedding: () => new S.nn.Embedding(10, 4),
      RNNCell: () => new S.nn.RNNCell(3, 4),
      LSTMCell: () => new S.nn.LSTMCell(3, 4),
    };
    for (const [name, make] of Object.entries(layers)) {
      const layer = make();
      const doc = docOf("scratch/nn", name);
      for (const [field, value] of Object.entries(layer)) {
        if (layer.parameters().includes(value)) expect(doc, `${name}.${field}`).toContain(`\`${field}\``);
      }
    }
    expect(docOf("scratch/nn", "LSTMCell")).toMatch(
      /i \(input\), f \(forget\), g \(candidate\), o \(output\)/,
    );
  });

  it("lists every reference op of check.oracle and gradCheck", () => {
    const markdown = renderMarkdown(reference);
    for (const op of Object.keys(referenceOps)) expect(markdown).toContain(`| \`${op}\``);
  });

  it("documents every public entry", () => {
    const undocumented = reference.entries
      .filter((e) => e.doc === "" && e.kind !== "property")
      .map((e) => `${e.module} ${e.name}`);
    expect(undocumented).toEqual([]);
  });
});
