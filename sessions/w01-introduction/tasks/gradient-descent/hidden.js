import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

check("derivative matches a finite difference everywhere", () => {
  for (const x of [-1.3, -0.2, 0.7, 1.9, 3.4]) {
    const h = 1e-5;
    const numeric = (attempt.f(x + h) - attempt.f(x - h)) / (2 * h);
    expectClose(attempt.derivative(x), numeric, { rtol: 1e-5, atol: 1e-5 });
  }
});

check("descend returns steps + 1 positions and the right path from the left", () => {
  const path = attempt.descend(1, 0.02, 300);
  if (path.length !== 301) throw new Error(`expected 301 positions, got ${path.length}`);
  expectClose(path[1], 1.1);
  expectClose(path[300], 2.25, { atol: 1e-4 });
});
