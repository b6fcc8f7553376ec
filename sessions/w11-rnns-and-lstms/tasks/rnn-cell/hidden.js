import { check, CheckFailure } from "scratch/check";
import { tensor, randn, tidy } from "scratch";
import * as attempt from "attempt";

check("unroll of an empty sequence returns no states", () => {
  const states = attempt.unroll([], tensor([[0, 0]]), {
    Wxh: tensor([[1, 0]]),
    Whh: tensor([
      [1, 0],
      [0, 1],
    ]),
    b: tensor([0, 0]),
  });
  if (!Array.isArray(states) || states.length !== 0)
    throw new CheckFailure(`expected [], got ${JSON.stringify(states)}`);
});

check("gradients flow back through every step to Wxh, Whh and b", () => {
  const bad = tidy(() => {
    const p = {
      Wxh: randn([2, 3]).requiresGrad(),
      Whh: randn([3, 3]).requiresGrad(),
      b: randn([3]).requiresGrad(),
    };
    const xs = [randn([4, 2]), randn([4, 2]), randn([4, 2])];
    const states = attempt.unroll(xs, randn([4, 3]), p);
    states[states.length - 1].sum().backward();
    return Object.entries(p)
      .filter(([, t]) => !t.grad || !(t.grad.abs().sum().item() > 0))
      .map(([k]) => k);
  });
  if (bad.length > 0)
    throw new CheckFailure(
      `no gradient reached ${bad.join(", ")}: keep every step a tensor operation on the same p`,
    );
});
