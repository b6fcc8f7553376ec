/**
 * The guest library is plain JavaScript, type-checked through `// @ts-check` and JSDoc: this test
 * runs the TypeScript checker over guest/*.js (with "scratch/…" resolved to the guest files) and
 * fails on any error in a checked file. It also keeps the engine short enough to read in one
 * sitting: autograd.js under 120 lines.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { expect, it } from "vitest";

const GUEST = fileURLToPath(new URL("../guest/", import.meta.url));
const files = readdirSync(GUEST)
  .filter((f) => f.endsWith(".js"))
  .map((f) => GUEST + f);
const checked = (file: string) => readFileSync(file, "utf8").startsWith("// @ts-check");
it("every guest module is // @ts-check", () => {
  const missing = files.filter((f) => !checked(f)).map((f) => f.slice(GUEST.length));
  expect(missing).toEqual([]);
});

it("the checked guest modules type-check", () => {
  const program = ts.createProgram(files, {
    allowJs: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    paths: { "scratch/*": [`${GUEST}*.js`], scratch: [`${GUEST}index.js`] },
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
    types: [],
  });
  const errors = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file !== undefined && checked(d.file.fileName))
    .map((d) => {
      const line =
        d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
      return `${d.file?.fileName.slice(GUEST.length)}:${line} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
    });
  expect(errors).toEqual([]);
}, 60_000);

it("autograd.js stays under 120 lines", () => {
  expect(readFileSync(`${GUEST}autograd.js`, "utf8").split("\n").length).toBeLessThan(120);
});
