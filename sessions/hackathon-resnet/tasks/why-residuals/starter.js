import { randn, seed, plot, metrics } from "scratch";

// h ← tanh(h W) for every W
export function plainForward(x, weights) {
  return x; // TODO
}

// h ← h + tanh(h W) for every W
export function residualForward(x, weights) {
  return x; // TODO
}

// The size of the gradient at the input, for depth 1 … 30 (same random weights for both kinds).
seed(100);
const width = 16;
const all = Array.from({ length: 30 }, () => randn([width, width]).mul(0.5 / Math.sqrt(width)));
const curves = { plain: [], residual: [] };
for (let depth = 1; depth <= 30; depth++) {
  for (const [name, f] of [
    ["plain", plainForward],
    ["residual", residualForward],
  ]) {
    const x = randn([8, width]).requiresGrad();
    f(x, all.slice(0, depth)).sum().backward();
    const value = Math.log10(x.grad.pow(2).sum().sqrt().item() + 1e-30);
    curves[name].push(value);
    metrics.log(`log10 gradient norm, ${name}`, value, depth); // streams while the sweep runs
  }
}
plot.line(curves, { title: "log10 of the gradient norm at the input", xLabel: "depth" });
console.log(
  `depth 30: plain 10^${curves.plain[29].toFixed(1)}, residual 10^${curves.residual[29].toFixed(1)}`,
);
