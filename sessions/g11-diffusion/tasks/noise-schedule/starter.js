import { plot } from "scratch";
import { rng, normal, sampleData, betaMin, betaMax, beta } from "pack/mixture";

// exp(-integral_0^t beta(s) ds) for beta(t) = betaMin + t (betaMax - betaMin).
export function alphaBar(t) {
  return 1; // TODO
}

// sqrt(alphaBar) x0 + sqrt(1 - alphaBar) eps, for points [x, y].
export function noisy(x0, t, eps) {
  return x0.slice(); // TODO
}

// ---- try it ---------------------------------------------------------------------------------------
const ts = Array.from({ length: 101 }, (_, i) => i / 100);
plot.line(
  { "alphaBar(t)": ts.map(alphaBar), "1 - alphaBar(t)": ts.map((t) => 1 - alphaBar(t)) },
  { x: ts, title: "the noise schedule", xLabel: "t" },
);
const u = rng(2);
const data = sampleData(600, u);
for (const t of [0, 0.1, 0.3, 1]) {
  const xt = data.map((x0) => noisy(x0, t, [normal(u), normal(u)]));
  plot.scatter(
    xt.map((p) => p[0]),
    xt.map((p) => p[1]),
    { title: `x_t at t = ${t}` },
  );
}
console.log("alphaBar(1) =", alphaBar(1));
