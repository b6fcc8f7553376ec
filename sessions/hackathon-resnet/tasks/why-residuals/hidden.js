import { check, CheckFailure } from "scratch/check";
import { tensor } from "scratch";
import * as attempt from "attempt";

check("with no layers both stacks return their input", () => {
  const x = tensor([[1, -2, 3]]);
  for (const [name, f] of [
    ["plainForward", attempt.plainForward],
    ["residualForward", attempt.residualForward],
  ]) {
    const out = f(x, []).toArray()[0];
    if (out.join(",") !== "1,-2,3") throw new CheckFailure(`${name}(x, []) should be x, got [${out}]`);
  }
});
