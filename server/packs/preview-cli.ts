/**
 * `scratchroom preview PACK [TASK…] [--sessions DIR]`: runs each task's starter and reference as
 * verify does and prints what an attendee sees for each (./preview.ts). Exit code 1 when the pack
 * does not load or a task fails verification, 2 on bad arguments.
 */
import { createNodeRunner } from "../../sandbox/runner/node.js";
import { formatProblems } from "./load.js";
import { formatPreview, previewTask } from "./preview.js";
import { FIRST_FEEDBACK_MS } from "./verify.js";
import { firstFeedbackMsOption, resolvePack, sessionsOption } from "./verify-cli.js";
import { parseCommandLine } from "./command-line.js";

export const USAGE = `usage: scratchroom preview PACK [TASK…] [--sessions DIR] [--first-feedback-ms MS]

Shows what an attendee sees for each task of PACK (a pack folder, or a pack id in the sessions
folder), or only the tasks named: for the starter and for the reference solution, the console
output, every check with its message and hint (hidden checks marked), plots by title, metrics,
the error with file:line:col and the time taken; then the task's verify verdict.
Exits 1 when the pack does not load or a task fails verify.`;

export async function main(argv: string[]): Promise<number> {
  const args = parseCommandLine(argv, USAGE, {
    sessions: { type: "string" },
    "first-feedback-ms": { type: "string", default: String(FIRST_FEEDBACK_MS) },
  });
  if (typeof args === "number") return args;
  const [packArg, ...taskIds] = args.positionals;
  if (packArg === undefined) {
    console.error(USAGE);
    return 2;
  }
  const firstFeedbackMs = firstFeedbackMsOption(args.values["first-feedback-ms"], USAGE);
  if (firstFeedbackMs === null) return 2;
  const sessions = sessionsOption(args.values.sessions);
  const loaded = resolvePack(packArg, sessions);
  if (!loaded.ok) {
    console.error(`pack ${loaded.dir} does not load:\n${formatProblems(loaded.problems)}`);
    return 1;
  }
  const pack = loaded.pack;
  const unknown = taskIds.filter((id) => !pack.tasks.some((t) => t.id === id));
  if (unknown.length > 0) {
    console.error(
      `pack "${pack.id}" has no task ${unknown.map((id) => `"${id}"`).join(", ")} (its tasks: ${pack.tasks.map((t) => t.id).join(", ")})`,
    );
    return 2;
  }
  const tasks = taskIds.length ? pack.tasks.filter((t) => taskIds.includes(t.id)) : pack.tasks;
  const runner = createNodeRunner({ poolSize: 1 });
  let failed = 0;
  try {
    await runner.ready();
    for (const [i, task] of tasks.entries()) {
      const preview = await previewTask(runner, pack, task, { firstFeedbackMs });
      if (!preview.verdict.ok) failed++;
      console.log(`${i > 0 ? "\n" : ""}${formatPreview(pack, preview)}`);
    }
  } finally {
    await runner.close();
  }
  return failed === 0 ? 0 : 1;
}
