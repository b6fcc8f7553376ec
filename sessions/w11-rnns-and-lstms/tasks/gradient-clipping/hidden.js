import { check, CheckFailure } from "scratch/check";
import { tensor } from "scratch";
import * as attempt from "attempt";

check("three parameters of different shapes share one norm and one scale", () => {
  const a = tensor([[0, 0, 0]]).requiresGrad();
  const b = tensor([0]).requiresGrad();
  const c = tensor([[0], [0]]).requiresGrad();
  // gradients: [1, 2, 2], [4], [2, 4]  → norm sqrt(1 + 4 + 4 + 16 + 4 + 16) = sqrt(45)
  a.mul(tensor([[1, 2, 2]]))
    .sum()
    .add(b.mul(4).sum())
    .add(c.mul(tensor([[2], [4]])).sum())
    .backward();
  const norm = attempt.clipGradNorm([a, b, c], 1);
  if (!(Math.abs(norm - Math.sqrt(45)) < 1e-4))
    throw new CheckFailure(`expected the norm sqrt(45) = ${Math.sqrt(45).toFixed(4)}, got ${norm}`);
  const after = Math.sqrt([a, b, c].reduce((s, p) => s + p.grad.pow(2).sum().item(), 0));
  if (!(Math.abs(after - 1) < 1e-4))
    throw new CheckFailure(`after clipping to 1 the global norm is ${after}`);
  if (!(Math.abs(b.grad.toArray()[0] - 4 / Math.sqrt(45)) < 1e-4))
    throw new CheckFailure("each gradient must be scaled by the same factor maxNorm / norm");
});
