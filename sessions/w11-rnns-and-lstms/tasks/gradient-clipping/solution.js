import { tensor, randn, seed, plot } from "scratch";

// sqrt of the sum of squares of every gradient entry of every parameter.
export function gradNorm(params) {
  let total = 0;
  for (const p of params) total += p.grad.pow(2).sum().item();
  return Math.sqrt(total);
}

// Like PyTorch's clip_grad_norm_: scales every p.grad by min(1, maxNorm / norm) (replace p.grad with the
// scaled tensor) and returns the norm before clipping.
export function clipGradNorm(params, maxNorm) {
  const norm = gradNorm(params);
  if (norm > maxNorm) for (const p of params) p.grad = p.grad.mul(maxNorm / norm);
  return norm;
}

// How large is the gradient that reaches h0 after T steps? Small vs large recurrent weights.
seed(11);
const H = 8;
const base = randn([H, H]).div(Math.sqrt(H));
const curves = {};
for (const scale of [0.5, 2]) {
  const Whh = base.mul(scale);
  const curve = [];
  for (let T = 1; T <= 24; T += 1) {
    const h0 = randn([1, H]).mul(0.01).requiresGrad();
    let h = h0;
    for (let t = 0; t < T; t++) h = h.matmul(Whh).tanh();
    h.sum().backward();
    curve.push(Math.log10(gradNorm([h0]) + 1e-30));
  }
  curves[`scale ${scale}`] = curve;
  console.log(`scale ${scale}: log10 |dL/dh0| after 24 steps = ${curve[curve.length - 1].toFixed(1)}`);
}
plot.line(curves, { title: "log10 of the gradient norm at h0 vs steps unrolled", xLabel: "steps" });
const w = tensor([[30, 40]]).requiresGrad();
w.mul(w).sum().div(2).backward(); // gradient = w itself, norm 50
const norm = clipGradNorm([w], 5);
console.log(`norm before clipping ${norm}; gradient after clipping`, w.grad.toArray());
