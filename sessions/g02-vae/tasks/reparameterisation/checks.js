import { check, expectClose } from "scratch/check";
import { tensor } from "scratch";
import * as attempt from "attempt";

const value = (t) => (t && typeof t.toArray === "function" ? t.toArray() : t);

check("sampleLatent = mu + exp(logvar / 2) * eps", () => {
  const mu = tensor([
    [0, 1],
    [2, -1],
  ]);
  const logvar = tensor([
    [0, Math.log(4)],
    [Math.log(0.25), 0],
  ]);
  const eps = tensor([
    [1, 1],
    [2, -1],
  ]);
  const got = value(attempt.sampleLatent(mu, logvar, eps));
  if (Math.abs(got[0][1] - 5) < 1e-4)
    throw new Error("got 5 at [0, 1]: that is exp(logvar) * eps; sigma is exp(logvar / 2)");
  expectClose(
    got,
    [
      [1, 3],
      [3, -2],
    ],
    { atol: 1e-5 },
  );
});

check("gradients flow through the sample into mu and logvar", () => {
  const mu = tensor([[0.5, -0.3]]).requiresGrad();
  const logvar = tensor([[0, Math.log(4)]]).requiresGrad();
  attempt
    .sampleLatent(mu, logvar, tensor([[1, 2]]))
    .sum()
    .backward();
  if (!mu.grad || !logvar.grad)
    throw new Error("no gradient reached mu or logvar: build z from tensor operations");
  expectClose(value(mu.grad), [[1, 1]], { atol: 1e-5 });
  // dz/dlogvar = 0.5 * sigma * eps = [0.5 * 1 * 1, 0.5 * 2 * 2]
  expectClose(value(logvar.grad), [[0.5, 2]], { atol: 1e-5 });
});

check("KL matches the closed form, averaged over the batch", () => {
  const mu = tensor([
    [1, 0],
    [0, 0],
  ]);
  const logvar = tensor([
    [0, Math.log(2)],
    [0, 0],
  ]);
  const want = (1 - 0.5 * Math.log(2) + 0) / 2;
  const got = value(attempt.klToStandardNormal(mu, logvar));
  const g = Array.isArray(got) ? got.flat(Infinity)[0] : got;
  if (Math.abs(g - 2 * want) < 1e-5) throw new Error("got the batch sum: divide by the batch size");
  if (Math.abs(g + want) < 1e-5) throw new Error("the sign is flipped: KL >= 0");
  expectClose(g, want, { atol: 1e-5 });
});

check("KL gradients: dKL/dmu = mu / n and dKL/dlogvar = (exp(logvar) - 1) / (2 n)", () => {
  const mu = tensor([
    [1, -2],
    [0.5, 0],
  ]).requiresGrad();
  const logvar = tensor([
    [0, Math.log(3)],
    [-1, 0.5],
  ]).requiresGrad();
  attempt.klToStandardNormal(mu, logvar).backward();
  expectClose(
    value(mu.grad),
    [
      [0.5, -1],
      [0.25, 0],
    ],
    { atol: 1e-5 },
  );
  expectClose(
    value(logvar.grad),
    [
      [0, 0.5],
      [(Math.exp(-1) - 1) / 4, (Math.exp(0.5) - 1) / 4],
    ],
    { atol: 1e-5 },
  );
});
