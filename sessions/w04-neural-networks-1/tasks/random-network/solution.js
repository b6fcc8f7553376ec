import { tensor, randn, zeros, plot } from "scratch";

export function initLayer(nIn, nOut) {
  return { W: randn([nIn, nOut]).mul(Math.sqrt(2 / nIn)), b: zeros([nOut]) };
}

export function initNetwork(sizes) {
  const layers = [];
  for (let i = 0; i + 1 < sizes.length; i++) layers.push(initLayer(sizes[i], sizes[i + 1]));
  return layers;
}

export function forward(X, layers) {
  let A = X;
  layers.forEach(({ W, b }, i) => {
    A = A.matmul(W).add(b);
    if (i < layers.length - 1) A = A.relu();
  });
  return A;
}

const n = 41;
const grid = [];
for (let i = 0; i < n; i++)
  for (let j = 0; j < n; j++) grid.push([-2 + (4 * j) / (n - 1), 2 - (4 * i) / (n - 1)]);
const network = initNetwork([2, 16, 16, 1]);
const out = forward(tensor(grid), network);
if (out.shape.length === 2 && out.shape[0] === n * n && out.shape[1] === 1) {
  plot.heatmap(out.reshape([n, n]).toArray(), { title: "output of a random 2-16-16-1 network on [-2, 2]^2" });
} else {
  console.log(`forward should give one output per grid point, shape [${n * n}, 1]; got [${out.shape}]`);
}
