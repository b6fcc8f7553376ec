/**
 * The training programs and what each must achieve: `verify` is a check module for the sandbox
 * runner (it reads the program's exports through "attempt"); the direct-host test asserts the
 * same conditions on the exports.
 */
import { readFileSync } from "node:fs";

export interface ProgramCase {
  name: string;
  file: string;
  /** A check module source: `import * as attempt from "attempt"`. */
  verify: string;
  /**
   * Run time limit in tests. The curriculum's budget (60 s on an idle 2-core machine) is measured
   * by the benchmark (bench/sandbox/tensor.ts); a loaded test machine gets headroom here.
   */
  timeoutMs: number;
}

const header =
  'import * as attempt from "attempt";\nimport { check, expect, expectClose } from "scratch/check";\n';

export const PROGRAMS: ProgramCase[] = [
  {
    name: "the guaranteed core API (docs/scratch.md) works verbatim",
    file: "guaranteed-api",
    verify: `${header}check("all API blocks ran", () => expect(attempt.completed.length === 5, attempt.completed.join(", ")));`,
    timeoutMs: 60_000,
  },
  {
    name: "an MLP reaches > 95% training accuracy on spirals",
    file: "spirals-mlp",
    verify: `${header}check("spirals accuracy > 95%", () => expect(attempt.accuracy > 0.95, "accuracy " + attempt.accuracy));`,
    timeoutMs: 60_000,
  },
  {
    name: "hand-written gradient descent converges to the closed-form regression",
    file: "linear-regression",
    verify: `${header}check("matches the closed form", () => expectClose(attempt.learned, attempt.closed, { rtol: 1e-3, atol: 1e-3 }));`,
    timeoutMs: 60_000,
  },
  {
    name: "a 1,000-step training loop leaves no tensors alive",
    file: "disposal",
    verify: `${header}check("constant live tensors", () => expect(attempt.after10 === attempt.after1000, attempt.after10 + " vs " + attempt.after1000));
check("none left alive", () => expect(attempt.leftAlive === 0, attempt.leftAlive + " alive"));`,
    timeoutMs: 60_000,
  },
  {
    name: "a small CNN learns MNIST above 90% test accuracy",
    file: "mnist-cnn",
    verify: `${header}check("MNIST test accuracy > 90%", () => expect(attempt.accuracy > 0.9, "accuracy " + attempt.accuracy));`,
    timeoutMs: 240_000,
  },
];

export function programSource(file: string): string {
  return readFileSync(new URL(`./${file}.js`, import.meta.url), "utf8");
}
