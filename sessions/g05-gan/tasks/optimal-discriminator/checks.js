import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

const gauss = (m, s) => (x) => Math.exp(-0.5 * ((x - m) / s) ** 2) / (s * Math.sqrt(2 * Math.PI));
const xs = Array.from({ length: 4001 }, (_, i) => -20 + 0.01 * i);

check("D* = pData / (pData + pG)", () => {
  const D = attempt.optimalD(
    (x) => (x > 0 ? 3 : 1),
    () => 1,
  );
  expectClose([D(1), D(-1)], [0.75, 0.5]);
});

check("when the generator is perfect, V(D*, G) = -log 4", () => {
  expectClose(attempt.valueAtOptimum(gauss(0, 1), gauss(0, 1), xs), -Math.log(4), { atol: 1e-4 });
});

check("disjoint uniforms: JSD = log 2 and V(D*, G) = 0", () => {
  const p = (x) => (x >= 0 && x < 1 ? 1 : 0);
  const q = (x) => (x >= 2 && x < 3 ? 1 : 0);
  const grid = Array.from({ length: 5001 }, (_, i) => -1 + 0.001 * i);
  expectClose(attempt.jsd(p, q, grid), Math.log(2), { atol: 2e-3 });
  expectClose(attempt.valueAtOptimum(p, q, grid), 0, { atol: 2e-3 });
});

check("V(D*, G) = -log 4 + 2 JSD for two Gaussians", () => {
  const p = gauss(1, 1),
    q = gauss(-0.5, 1.5);
  const jsd = attempt.jsd(p, q, xs);
  if (!(jsd > 0.01)) throw new Error(`JSD of two different Gaussians came out ${jsd}`);
  expectClose(attempt.valueAtOptimum(p, q, xs), -Math.log(4) + 2 * jsd, { atol: 1e-6 });
});
