import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { loadUnzipped, UPLOAD_LIMITS, unzipPack } from "./upload.js";
import { packZip } from "./test/zip.js";

describe("unzipPack", () => {
  it("takes the pack from one folder or from the top of the zip, leaving archiver junk out", () => {
    const inFolder = unzipPack(packZip());
    expect(inFolder.ok && [...inFolder.files.keys()].sort()).toContain("pack.json");
    const atTop = unzipPack(packZip({ "__MACOSX/._pack.json": "junk" }, { folder: null }));
    expect(atTop.ok && [...atTop.files.keys()]).not.toContain("__MACOSX/._pack.json");
    expect(atTop.ok && atTop.files.has("tasks/double/solution.js")).toBe(true);
  });

  it("refuses path traversal, absolute paths and files a pack does not have, inflating nothing", () => {
    for (const name of ["../evil.js", "tiny/../../evil.js", "/etc/passwd.js", "tiny\\evil.js", "C:/x.js"]) {
      const result = unzipPack(zipSync({ [name]: strToU8("x"), "pack.json": strToU8("{}") }));
      expect(result.ok, name).toBe(false);
      expect(!result.ok && result.problems[0]?.message).toMatch(/plain relative path/);
    }
    const binary = unzipPack(zipSync({ "pack.json": strToU8("{}"), "model.bin": new Uint8Array(4) }));
    expect(!binary.ok && binary.problems).toEqual([
      { file: "model.bin", message: "a pack holds only .json, .md and .js files" },
    ]);
  });

  it("refuses a zip bomb by its declared sizes before inflating it", () => {
    // 64 MiB of zeros deflates to a few tens of KiB: far under the zip cap, far over the inflated cap.
    const bomb = zipSync({ "pack.json": new Uint8Array(64 * 1024 * 1024) }, { level: 9 });
    expect(bomb.byteLength).toBeLessThan(UPLOAD_LIMITS.zipBytes);
    const result = unzipPack(bomb);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0]?.message).toMatch(/is 67108864 bytes; the limit is/);
  });

  it("inflates an entry whose header understates its size only up to the declared size", () => {
    const honest = zipSync({ "pack.json": strToU8(`{"id": "x"}${" ".repeat(5000)}`) });
    // Patch the central directory's uncompressed size (offset 24 of the entry) down to 10 bytes.
    const lying = honest.slice();
    const view = new DataView(lying.buffer);
    for (let i = lying.length - 22; i >= 0; i--) {
      if (view.getUint32(i, true) === 0x02014b50) {
        view.setUint32(i + 24, 10, true);
        break;
      }
    }
    const result = unzipPack(lying);
    expect(result.ok && result.files.get("pack.json")?.byteLength).toBe(10);
  });

  it("refuses too big a zip and what is not a zip", () => {
    expect(unzipPack(new Uint8Array(UPLOAD_LIMITS.zipBytes + 1)).ok).toBe(false);
    const junk = unzipPack(strToU8("not a zip at all"));
    expect(!junk.ok && junk.problems[0]?.message).toMatch(/not a readable zip archive/);
    const noPack = unzipPack(zipSync({ "a/x.md": strToU8("# x"), "b/y.md": strToU8("# y") }));
    expect(!noPack.ok && noPack.problems[0]?.message).toBe(
      "no pack.json at the top of the zip or in its one folder",
    );
  });
});

describe("loadUnzipped", () => {
  it("reports entries that are a file and a folder at once", () => {
    const unzipped = unzipPack(packZip({ "tasks/double/solution.js/x.js": "x" }));
    if (!unzipped.ok) throw new Error("the zip should unpack");
    const loaded = loadUnzipped(unzipped.files);
    expect(!loaded.ok && loaded.problems[0]?.message).toBe("clashes with another file of the zip");
  });

  it("reports the loader's problems at the zip's paths and lines", () => {
    const unzipped = unzipPack(
      packZip({ "tasks/double/solution.js": "export function double(x) {\n  return 2 *;\n}\n" }),
    );
    if (!unzipped.ok) throw new Error("the zip should unpack");
    const loaded = loadUnzipped(unzipped.files);
    expect(!loaded.ok && loaded.problems).toEqual([
      { file: "tasks/double/solution.js", line: 2, message: "syntax error: Unexpected token (column 13)" },
    ]);
  });
});
