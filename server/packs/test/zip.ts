/** Zips for upload tests: the tiny fixture pack (./fixture.ts), changed as a test needs, in a folder or at the top. */
import { strToU8, zipSync, type Zippable } from "fflate";
import { validFiles } from "./fixture.js";

export function packZip(
  changes: Record<string, string | null> = {},
  { folder = "tiny" }: { folder?: string | null } = {},
): Uint8Array {
  const files: Zippable = {};
  for (const [path, text] of Object.entries({ ...validFiles, ...changes })) {
    if (text !== null) files[folder ? `${folder}/${path}` : path] = strToU8(text);
  }
  return zipSync(files);
}
