import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

check("rbf(0, 0) is the variance sf^2", () => {
  expectClose(attempt.rbf(0, 0, { ell: 1, sf: 2 }), 4);
});

check("rbf(1, 3) with ell = 2 is exp(-1/2)", () => {
  const got = attempt.rbf(1, 3, { ell: 2, sf: 1 });
  if (Math.abs(got - Math.exp(-1)) < 1e-9) throw new Error("got exp(-1): divide by 2 ell^2, not ell^2");
  if (Math.abs(got - Math.exp(-0.25)) < 1e-9) throw new Error("got exp(-1/4): square the length-scale");
  expectClose(got, Math.exp(-0.5));
});

check("kernelMatrix has the right shape and entries", () => {
  const hyp = { ell: 0.7, sf: 1.3 };
  const want = [0, 0.5].map((a) => [0, 1, 2].map((b) => 1.69 * Math.exp(-((a - b) ** 2) / (2 * 0.49))));
  expectClose(attempt.kernelMatrix([0, 0.5], [0, 1, 2], hyp), want);
});
