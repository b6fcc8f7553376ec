/**
 * `scratchroom new-pack ID`: the files of a small working pack, each commented to teach the format
 * (sessions/README.md is the full guide). As written it loads, passes `scratchroom verify` (the
 * reference passes its visible and hidden checks, the starter fails them) and passes the project's
 * Prettier check, so a host edits something that works from the first minute.
 *
 * One exposition snippet and one task, "mean-squared-error": the attendee writes mse(); the
 * top-level code fits a slope with it and streams the loss; visible checks test hand-made inputs
 * and a hidden check tests fresh ones.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Pack ids: lower-case letters, digits and dashes, as the loader requires. */
export const PACK_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const SCAFFOLD_TASK = "mean-squared-error";

/** The pack's files, path (relative to the pack folder) → text. */
export function scaffoldFiles(id: string, title: string): Record<string, string> {
  const task = `tasks/${SCAFFOLD_TASK}`;
  return {
    // JSON written as Prettier formats it (short arrays on one line), so the project's format check passes.
    "pack.json": `{
  "id": ${JSON.stringify(id)},
  "title": ${JSON.stringify(title)},
  "track": "workshop",
  "duration": 60,
  "level": "beginner",
  "summary": "A starting point: one snippet and one task. Replace them with your own.",
  "tasks": ["${SCAFFOLD_TASK}"]
}
`,
    "README.md": `# ${title}

Notes for whoever edits this pack (the loader ignores this file; attendees never see it).
The full guide is sessions/README.md of Scratchroom.

- \`pack.json\`: \`id\` (must equal this folder's name), \`title\`, \`track\` (workshop, seminar or
  demo), \`duration\` (minutes), \`level\` (beginner, intermediate or advanced), \`summary\`, and
  \`tasks\`: the task folders in the order the room works through them.
- \`exposition/NN-name.md\`: snippets the host broadcasts, in file-name order.
- \`tasks/<id>/task.json\`: \`title\` (shown above the instructions), \`modules\` (the scratch
  modules the task allows; the checks need \`scratch/check\`), \`seed\`, \`timeBudgetMs\` (the run's
  time limit, in the browser too) and \`hints\` (revealed one by one).
- \`tasks/<id>/instructions.md\`, \`starter.js\`, \`solution.js\`, \`checks.js\`, \`hidden.js\`: see
  the comments at the top of each.
- \`modules/<name>.js\` (optional): code every task may import as \`pack/<name>\`.

Try it: \`npx scratchroom run tasks/${SCAFFOLD_TASK}/solution.js\`, \`npx scratchroom preview .\`,
\`npx scratchroom verify .\`.
`,
    "exposition/01-the-loss.md": `# How wrong is a line?

Snippets are short markdown the host broadcasts one at a time, in file-name order
(\`01-…\`, \`02-…\`). Math is KaTeX: the mean squared error of predictions $\\hat y$ is

$$\\mathrm{MSE} = \\frac{1}{n} \\sum_{i=1}^{n} (\\hat y_i - y_i)^2$$

Code blocks are fenced:

\`\`\`js
const loss = mse([1, 2], [1, 4]); // 2
\`\`\`
`,
    [`${task}/task.json`]: `{
  "title": "The mean squared error",
  "modules": ["scratch/check", "scratch/metrics", "scratch/plot"],
  "seed": 0,
  "timeBudgetMs": 10000,
  "hints": [
    "Square the difference of each prediction and its target, then average.",
    "Divide the sum by predictions.length, not by 2 and not by nothing."
  ]
}
`,
    [`${task}/instructions.md`]: `Write \`mse(predictions, targets)\`: the mean of the squared differences,

$$\\mathrm{MSE} = \\frac{1}{n} \\sum_{i=1}^{n} (\\hat y_i - y_i)^2$$

Press **Run**: the code below your function fits a slope $w$ with your \`mse\` and plots the loss;
the checks under the editor say what is still wrong.
`,
    [`${task}/starter.js`]: `// starter.js: what every attendee starts from. It must run (so the attendee sees failing
// checks, not a crash) and fail at least one check: \`scratchroom verify\` proves both.
// Everything the checks call must be exported; the checks import this module as "attempt".
import { log } from "scratch/metrics";
import { line } from "scratch/plot";

export function mse(predictions, targets) {
  // TODO: the mean of (prediction - target) squared.
  return 0;
}

// The "experiment": top-level code runs on every Run, after the function above is defined.
const xs = [1, 2, 3, 4];
const ys = [2.1, 3.9, 6.2, 7.8];
let w = 0;
const losses = [];
for (let step = 0; step < 50; step++) {
  const loss = mse(
    xs.map((x) => w * x),
    ys,
  );
  losses.push(loss);
  log("loss", loss, step); // streams to the attendee's chart and the host's dashboard
  w -= 0.01 * xs.reduce((g, x, i) => g + 2 * (w * x - ys[i]) * x, 0);
}
line(losses, { title: "loss while fitting w" });
`,
    [`${task}/solution.js`]: `// solution.js: the reference solution. Never sent to attendees; verify runs it with checks.js
// and hidden.js and requires every check to pass within the task's timeBudgetMs.
import { log } from "scratch/metrics";
import { line } from "scratch/plot";

export function mse(predictions, targets) {
  let sum = 0;
  for (let i = 0; i < predictions.length; i++) sum += (predictions[i] - targets[i]) ** 2;
  return sum / predictions.length;
}

const xs = [1, 2, 3, 4];
const ys = [2.1, 3.9, 6.2, 7.8];
let w = 0;
const losses = [];
for (let step = 0; step < 50; step++) {
  const loss = mse(
    xs.map((x) => w * x),
    ys,
  );
  losses.push(loss);
  log("loss", loss, step);
  w -= 0.01 * xs.reduce((g, x, i) => g + 2 * (w * x - ys[i]) * x, 0);
}
line(losses, { title: "loss while fitting w" });
console.log(\`fitted w = \${w.toFixed(3)}\`);
`,
    [`${task}/checks.js`]: `// checks.js: visible checks, sent to attendees and run after their code on every Run.
// A good check says which value is wrong and the likely mistake: guard the mistakes you expect
// with expect(condition, message, hint) before the general expectClose.
// The module rule of task.json applies here too: "scratch/check" must be in its "modules".
import { check, expect, expectClose } from "scratch/check";
import * as attempt from "attempt";

check("mse of a perfect prediction is 0", () => {
  expectClose(attempt.mse([1, 2, 3], [1, 2, 3]), 0);
});

check("mse([1, 2], [1, 4]) is 2", () => {
  const got = attempt.mse([1, 2], [1, 4]);
  expect(got !== 4, "got 4, the sum of the squares", "divide by the number of values");
  expect(got !== 1, "got 1, half the mean", "the mean divides by n, not by 2n");
  expectClose(got, 2);
});
`,
    [`${task}/hidden.js`]: `// hidden.js (optional): checks that run only on the server, when the attendee presses Verify.
// Test the same behaviour on inputs the attendee has not seen, so hard-coding the visible
// answers does not pass.
import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

check("mse on unseen values", () => {
  expectClose(attempt.mse([0.5, -1, 3, 2], [1, 1, 1, 2]), (0.25 + 4 + 4 + 0) / 4);
});
`,
  };
}

/** "my-first-pack" → "My first pack". */
export function titleOf(id: string): string {
  const words = id.replace(/-+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Writes the scaffold into `dir` (which must not exist yet); returns the files written. */
export function writeScaffold(dir: string, id: string, title = titleOf(id)): string[] {
  if (existsSync(dir)) throw new Error(`${dir} already exists; choose another id or folder`);
  const files = scaffoldFiles(id, title);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return Object.keys(files);
}
