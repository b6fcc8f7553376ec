import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

check("one step from 0 with lr 0.1 lands on 0.6", () => {
  expectClose(attempt.step(0, 0.1), 0.6);
});
check("the minimum is a fixed point", () => {
  expectClose(attempt.step(3, 0.5), 3);
});
