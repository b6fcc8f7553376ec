/**
 * `scratchroom new-pack ID [--dir PARENT] [--title TITLE]`: writes a small working pack (./scaffold.ts)
 * into PARENT/ID and says what to do next. Exit code 1 when the folder exists, 2 on bad arguments.
 */
import { join, relative, resolve } from "node:path";
import { PACK_ID, SCAFFOLD_TASK, writeScaffold } from "./scaffold.js";
import { parseCommandLine } from "./command-line.js";

export const USAGE = `usage: scratchroom new-pack ID [--dir PARENT] [--title TITLE]

Creates PARENT/ID (default PARENT: the current folder), a pack that works as created: one
exposition snippet and one task (${SCAFFOLD_TASK}) with starter, solution, visible and hidden
checks, each file commented to teach the format. ID: lower-case letters, digits and dashes.
Then: scratchroom preview ID-FOLDER, edit, scratchroom verify ID-FOLDER.`;

export async function main(argv: string[]): Promise<number> {
  const args = parseCommandLine(argv, USAGE, {
    dir: { type: "string" },
    title: { type: "string" },
  });
  if (typeof args === "number") return args;
  const id = args.positionals[0];
  if (id === undefined || args.positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  if (!PACK_ID.test(id)) {
    console.error(
      `scratchroom new-pack: "${id}" is not a pack id: lower-case letters, digits and dashes (at most 63)`,
    );
    return 2;
  }
  const title = args.values.title?.trim();
  if (title !== undefined && (title.length === 0 || title.length > 200)) {
    console.error("scratchroom new-pack: --title must be 1 to 200 characters");
    return 2;
  }
  const dir = join(resolve(args.values.dir ?? "."), id);
  let files: string[];
  try {
    files = writeScaffold(dir, id, title);
  } catch (err) {
    console.error(`scratchroom new-pack: ${(err as Error).message}`);
    return 1;
  }
  const shown = relative(process.cwd(), dir) || ".";
  console.log(
    [
      `Created pack "${id}" in ${shown}:`,
      ...files.map((f) => `  ${f}`),
      "",
      "Next:",
      `  npx scratchroom preview ${shown}      what attendees see for the starter and the reference`,
      `  npx scratchroom run ${join(shown, "tasks", SCAFFOLD_TASK, "solution.js")}`,
      `  npx scratchroom verify ${shown}       before a room depends on it`,
      "The guide: sessions/README.md.",
    ].join("\n"),
  );
  return 0;
}
