import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

check("steps scale with the learning rate", () => {
  expectClose(attempt.step(5, 0.25), 4);
});
