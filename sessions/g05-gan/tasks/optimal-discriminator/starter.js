import { plot, metrics } from "scratch";

// Returns the function x => D*(x).
export function optimalD(pData, pG) {
  return (x) => 0.5; // TODO
}

// V(D*, G) = integral of pData log D* + pG log(1 - D*), as a Riemann sum over the grid xs.
export function valueAtOptimum(pData, pG, xs) {
  return 0; // TODO
}

// Jensen-Shannon divergence of p and q by a Riemann sum over xs.
export function jsd(p, q, xs) {
  return 0; // TODO
}

// ---- try it ---------------------------------------------------------------------------------------
const gauss = (m, s) => (x) => Math.exp(-0.5 * ((x - m) / s) ** 2) / (s * Math.sqrt(2 * Math.PI));
const xs = Array.from({ length: 2001 }, (_, i) => -10 + 0.01 * i);
const pData = gauss(1, 1);
for (const m of [-3, -1, 0.5, 1]) {
  const pG = gauss(m, 1);
  const D = optimalD(pData, pG);
  metrics.log(`V(D*, G), generator mean ${m}`, valueAtOptimum(pData, pG, xs));
  console.log(
    `generator mean ${m}: V(D*, G) = ${valueAtOptimum(pData, pG, xs).toFixed(4)}, JSD = ${jsd(pData, pG, xs).toFixed(4)}`,
  );
  plot.line(xs.filter((_, i) => i % 20 === 0).map(D), {
    x: xs.filter((_, i) => i % 20 === 0),
    title: `D*(x) with the generator at mean ${m}`,
  });
}
