import { plot, metrics } from "scratch";

export function optimalD(pData, pG) {
  return (x) => pData(x) / (pData(x) + pG(x));
}

export function valueAtOptimum(pData, pG, xs) {
  const D = optimalD(pData, pG);
  const dx = xs[1] - xs[0];
  let v = 0;
  for (const x of xs) {
    const d = D(x);
    if (pData(x) > 0) v += pData(x) * Math.log(d) * dx;
    if (pG(x) > 0) v += pG(x) * Math.log(1 - d) * dx;
  }
  return v;
}

export function jsd(p, q, xs) {
  const dx = xs[1] - xs[0];
  let s = 0;
  for (const x of xs) {
    const m = 0.5 * (p(x) + q(x));
    if (p(x) > 0) s += 0.5 * p(x) * Math.log(p(x) / m) * dx;
    if (q(x) > 0) s += 0.5 * q(x) * Math.log(q(x) / m) * dx;
  }
  return s;
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
