/**
 * A pack uploaded as a zip: unpacked safely, then checked exactly as a pack folder is (the loader,
 * then `verify` in the sandbox with each task's limits).
 *
 * Hostile archives: the zip is size-capped; entries are counted and their declared sizes capped
 * before anything is inflated (fflate inflates into a buffer of the declared size, so a lying
 * header cannot make an entry bigger); names must be plain relative paths (no "..", no absolute
 * or drive paths, no backslashes, nothing but letters, digits and ._-/), and only the files a
 * pack has (.json, .md, .js) are accepted. The pack may sit at the top of the zip or in one
 * folder. Files are written into a fresh temporary folder for the loader and removed after.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, sep } from "node:path";
import { unzipSync } from "fflate";
import type { Pack } from "./format.js";
import { loadPack, type PackProblem } from "./load.js";
import { UPLOAD_LIMITS } from "./upload-limits.js";
import { type TaskRunner, verifyPacks } from "./verify.js";

export { UPLOAD_LIMITS };

const SAFE_PATH = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;
const PACK_FILE = /\.(json|md|js)$/;
/** What archivers add that is no part of a pack. */
const JUNK = /(^|\/)(__MACOSX|\.DS_Store|Thumbs\.db)(\/|$)/;

export type Unzipped = { ok: true; files: Map<string, Uint8Array> } | { ok: false; problems: PackProblem[] };

/** The pack's files (paths relative to the pack folder), or why the archive is refused. */
export function unzipPack(zip: Uint8Array): Unzipped {
  const problem = (message: string, file = "upload.zip"): Unzipped => ({
    ok: false,
    problems: [{ file, message }],
  });
  if (zip.byteLength > UPLOAD_LIMITS.zipBytes) {
    return problem(`the zip is ${zip.byteLength} bytes; the limit is ${UPLOAD_LIMITS.zipBytes}`);
  }
  const problems: PackProblem[] = [];
  let count = 0;
  let total = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip, {
      filter: (entry) => {
        const name = entry.name;
        if (name.endsWith("/") || JUNK.test(name)) return false;
        if (!SAFE_PATH.test(name) || name.split("/").some((part) => part === "." || part === "..")) {
          problems.push({
            file: name,
            message: "not a plain relative path (letters, digits, . _ - and /, no ..)",
          });
          return false;
        }
        if (!PACK_FILE.test(name)) {
          problems.push({ file: name, message: "a pack holds only .json, .md and .js files" });
          return false;
        }
        count++;
        total += entry.originalSize;
        if (entry.originalSize > UPLOAD_LIMITS.fileBytes) {
          problems.push({
            file: name,
            message: `is ${entry.originalSize} bytes; the limit is ${UPLOAD_LIMITS.fileBytes}`,
          });
        }
        // Nothing is inflated once the archive is known to be refused.
        return problems.length === 0 && count <= UPLOAD_LIMITS.files && total <= UPLOAD_LIMITS.totalBytes;
      },
    });
  } catch (err) {
    return problem(`not a readable zip archive (${(err as Error).message})`);
  }
  if (count > UPLOAD_LIMITS.files)
    problems.push({ file: "upload.zip", message: `has ${count} files; the limit is ${UPLOAD_LIMITS.files}` });
  if (total > UPLOAD_LIMITS.totalBytes) {
    problems.push({
      file: "upload.zip",
      message: `inflates to ${total} bytes; the limit is ${UPLOAD_LIMITS.totalBytes}`,
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  const names = Object.keys(entries);
  // The pack at the top, or inside one folder (what zipping a folder gives).
  let prefix = "";
  if (!names.includes("pack.json")) {
    const tops = new Set(names.map((n) => n.split("/")[0]));
    const [top] = tops;
    if (tops.size !== 1 || top === undefined || !names.includes(`${top}/pack.json`)) {
      return problem("no pack.json at the top of the zip or in its one folder");
    }
    prefix = `${top}/`;
  }
  const files = new Map<string, Uint8Array>();
  for (const name of names) files.set(name.slice(prefix.length), entries[name]!);
  return { ok: true, files };
}

/** The id the pack claims in pack.json, if it is a usable folder name. */
function claimedId(files: Map<string, Uint8Array>): string | undefined {
  try {
    const meta = JSON.parse(new TextDecoder().decode(files.get("pack.json"))) as { id?: unknown };
    return typeof meta.id === "string" && /^[a-z0-9][a-z0-9-]{0,62}$/.test(meta.id) ? meta.id : undefined;
  } catch {
    return undefined;
  }
}

/** Loads the unpacked files with the pack loader; problem paths are the zip's, not the temp folder's. */
export function loadUnzipped(
  files: Map<string, Uint8Array>,
): { ok: true; pack: Pack } | { ok: false; problems: PackProblem[] } {
  const id = claimedId(files);
  const root = mkdtempSync(join(tmpdir(), "scratchroom-upload-"));
  try {
    const dir = join(root, id ?? "pack");
    for (const [name, bytes] of files) {
      try {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), bytes);
      } catch {
        // e.g. both "a.js" and "a.js/b.js": a name that is a file and a folder at once.
        return { ok: false, problems: [{ file: name, message: "clashes with another file of the zip" }] };
      }
    }
    const loaded = loadPack(dir);
    if (loaded.ok) return loaded;
    const strip = (file: string) =>
      file.startsWith(dir + sep)
        ? file
            .slice(dir.length + 1)
            .split(sep)
            .join("/")
        : file === dir
          ? "."
          : file;
    const problems = loaded.problems
      // The folder is ours: with no usable id, the schema's own message says what is wrong.
      .filter((p) => id !== undefined || !/but the folder is/.test(p.message))
      .map((p) => ({ ...p, file: strip(p.file) }));
    return { ok: false, problems };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export type UploadCheck = { ok: true; pack: Pack } | { ok: false; problems: PackProblem[] };

/**
 * First-feedback limit of an upload's verify: looser than the CLI's 2 s, since a shared server
 * measures under other people's load; `scratchroom verify` on the host's machine holds the 2 s.
 */
export const UPLOAD_FIRST_FEEDBACK_MS = 10_000;

/** Unzips, loads and verifies an uploaded pack. */
export async function checkUpload(zip: Uint8Array, runner: TaskRunner): Promise<UploadCheck> {
  const unzipped = unzipPack(zip);
  if (!unzipped.ok) return unzipped;
  const loaded = loadUnzipped(unzipped.files);
  if (!loaded.ok) return loaded;
  const pack = loaded.pack;
  if (pack.tasks.length > UPLOAD_LIMITS.tasks) {
    return {
      ok: false,
      problems: [
        {
          file: "pack.json",
          message: `lists ${pack.tasks.length} tasks; an upload may have at most ${UPLOAD_LIMITS.tasks}`,
        },
      ],
    };
  }
  const report = await verifyPacks(runner, [pack], { firstFeedbackMs: UPLOAD_FIRST_FEEDBACK_MS });
  if (report.ok) return { ok: true, pack };
  const problems: PackProblem[] = [];
  for (const v of report.verdicts) {
    if (v.ok) continue;
    // A runtime error in a task's own file is reported at its line; the rest at the task's solution or starter.
    for (const message of v.problems) {
      const starter = message.startsWith("starter");
      const run = starter ? v.starter : v.reference;
      const error = run.error;
      const own =
        error?.module && /^(starter|solution|checks|hidden)\.js$/.test(error.module) ? error : undefined;
      problems.push({
        file: `tasks/${v.task}/${own?.module ?? (starter ? "starter.js" : "solution.js")}`,
        ...(own?.line !== undefined ? { line: own.line } : {}),
        message: `verify: ${message}`,
      });
    }
  }
  return { ok: false, problems };
}
