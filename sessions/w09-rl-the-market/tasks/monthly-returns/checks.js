import { check, CheckFailure } from "scratch/check";
import * as attempt from "attempt";

const close = (a, b, tol = 1e-9) => Math.abs(a - b) <= tol;

check("groupBySymbol keeps each ticker's prices in row order", () => {
  const rows = [
    { symbol: "A", date: "Jan 1 2000", price: 10 },
    { symbol: "B", date: "Jan 1 2000", price: 5 },
    { symbol: "A", date: "Feb 1 2000", price: 11 },
    { symbol: "A", date: "Mar 1 2000", price: 9 },
  ];
  const g = attempt.groupBySymbol(rows);
  if (JSON.stringify(g?.A) !== "[10,11,9]" || JSON.stringify(g?.B) !== "[5]")
    throw new CheckFailure(`expected { A: [10, 11, 9], B: [5] }, got ${JSON.stringify(g)}`);
});

check("monthlyReturns: 100 → 110 → 99 gives [+10 %, -10 %]", () => {
  const r = attempt.monthlyReturns([100, 110, 99]);
  if (!Array.isArray(r) || r.length !== 2)
    throw new CheckFailure(`3 prices have 2 returns; got ${JSON.stringify(r)}`);
  if (close(r[0], 10) || close(r[1], -10))
    throw new CheckFailure("got percentages (10, -10): return fractions (0.1, -0.1)");
  if (close(r[0], 100 / 110 - 1))
    throw new CheckFailure(`got ${r[0]} for 100 → 110: the ratio is upside down, use p_t / p_{t-1}`);
  if (close(r[0], 1.1)) throw new CheckFailure("got 1.1 for 100 → 110: subtract 1 from the ratio");
  for (const [i, e] of [0.1, -0.1].entries())
    if (!close(r[i], e, 1e-9)) throw new CheckFailure(`return ${i}: expected ${e}, got ${r[i]}`);
});

check("summarize: mean and population standard deviation", () => {
  const { mean, std } = attempt.summarize([1, 2, 3, 4]);
  if (!close(mean, 2.5)) throw new CheckFailure(`mean of [1, 2, 3, 4]: expected 2.5, got ${mean}`);
  if (close(std, Math.sqrt(5 / 3)))
    throw new CheckFailure(`std: you divided by n - 1 (${std}); this task uses n: sqrt(1.25)`);
  if (close(std, 1.25)) throw new CheckFailure("std: you returned the variance; take the square root");
  if (!close(std, Math.sqrt(1.25)))
    throw new CheckFailure(`std of [1, 2, 3, 4]: expected ${Math.sqrt(1.25)}, got ${std}`);
});
