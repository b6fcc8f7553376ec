import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

check("one observation: log N(y; 0, sf^2 + noise^2)", () => {
  const v = 4 + 0.25;
  const want = (-0.5 * (0.7 * 0.7)) / v - 0.5 * Math.log(2 * Math.PI * v);
  const got = attempt.logMarginal([1], [0.7], { ell: 1, sf: 2 }, 0.5);
  if (Math.abs(got - (want + 0.5 * Math.log(v))) < 1e-9)
    throw new Error("the log-determinant term is missing");
  expectClose(got, want, { rtol: 1e-8, atol: 1e-9 });
});

check("two observations: matches the explicit determinant and inverse", () => {
  const c = Math.exp(-0.5 * 0.25),
    n2 = 0.01;
  const a = 1 + n2,
    det = a * a - c * c;
  const y = [0.3, -0.4];
  const quad = (a * y[0] * y[0] - 2 * c * y[0] * y[1] + a * y[1] * y[1]) / det;
  const want = -0.5 * quad - 0.5 * Math.log(det) - Math.log(2 * Math.PI);
  expectClose(attempt.logMarginal([0, 0.5], y, { ell: 1, sf: 1 }, 0.1), want, { rtol: 1e-8, atol: 1e-9 });
});

check("the fit finds a sensible length-scale and noise for the sine", () => {
  const { ell, noise } = attempt.best;
  if (!(ell >= 0.7 && ell <= 2.5))
    throw new Error(`fitted ell = ${ell}; expected between 0.7 and 2.5 for sin(x)`);
  if (!(noise >= 0.1 && noise <= 0.3))
    throw new Error(`fitted noise = ${noise}; the data were made with 0.2`);
});
