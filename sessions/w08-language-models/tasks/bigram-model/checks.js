import { check, CheckFailure } from "scratch/check";
import * as attempt from "attempt";

const V = ".abcdefghijklmnopqrstuvwxyz";
const ix = (c) => V.indexOf(c);

check("countBigrams(['ab', 'b'])", () => {
  const N = attempt.countBigrams(["ab", "b"]);
  if (!Array.isArray(N) || N.length !== 27 || N[0].length !== 27)
    throw new CheckFailure("expected a 27 × 27 array");
  // .ab. → (.a) (ab) (b.);  .b. → (.b) (b.)
  const expected = { ".a": 1, ab: 1, "b.": 2, ".b": 1 };
  let total = 0;
  for (let i = 0; i < 27; i++) for (let j = 0; j < 27; j++) total += N[i][j];
  for (const [pair, n] of Object.entries(expected)) {
    const got = N[ix(pair[0])][ix(pair[1])];
    if (got !== n) {
      const swapped = N[ix(pair[1])][ix(pair[0])] === n;
      throw new CheckFailure(
        `N["${pair[0]}"]["${pair[1]}"]: expected ${n}, got ${got}.${swapped ? " Rows are the current character, columns the next one — yours look transposed." : ""}${pair.includes(".") && got === 0 ? ' Did you wrap each name in "." on both sides?' : ""}`,
      );
    }
  }
  if (total !== 5) throw new CheckFailure(`the two names hold 5 pairs in total, your table counts ${total}`);
});

check("probabilities: every row sums to 1, smoothing is added before normalising", () => {
  const N = Array.from({ length: 27 }, () => new Array(27).fill(0));
  N[1][2] = 25;
  const P = attempt.probabilities(N, 1);
  for (let i = 0; i < 27; i++) {
    const s = P[i].reduce((a, p) => a + p, 0);
    if (!(Math.abs(s - 1) < 1e-9))
      throw new CheckFailure(`row ${i} ("${V[i]}") sums to ${s}; normalise each row by its own total`);
  }
  if (!(Math.abs(P[1][2] - 26 / 52) < 1e-9))
    throw new CheckFailure(
      `P["a"]["b"] with count 25 and smoothing 1: expected 26 / (25 + 27) = 0.5, got ${P[1][2]}`,
    );
  if (!(Math.abs(P[0][5] - 1 / 27) < 1e-9))
    throw new CheckFailure(`an all-zero row with smoothing 1 must be uniform (1/27), got ${P[0][5]}`);
});

check("nll is the average -log P per predicted character", () => {
  const P = Array.from({ length: 27 }, () => new Array(27).fill(1 / 27));
  const got = attempt.nll(["ab", "c"], P);
  if (!(Math.abs(got - Math.log(27)) < 1e-9))
    throw new CheckFailure(
      `under a uniform model the NLL is log 27 = ${Math.log(27).toFixed(4)}, got ${got}${got < 0 ? " — the sign: it is minus the log-probability" : ""}`,
    );
  const Q = Array.from({ length: 27 }, () => new Array(27).fill(0.01));
  Q[ix(".")][ix("a")] = 0.5;
  Q[ix("a")][ix(".")] = 0.25;
  const expected = -(Math.log(0.5) + Math.log(0.25)) / 2;
  const got2 = attempt.nll(["a"], Q);
  if (!(Math.abs(got2 - expected) < 1e-9))
    throw new CheckFailure(
      `nll(["a"]) with P(a|.) = 0.5, P(.|a) = 0.25: expected ${expected.toFixed(4)}, got ${got2}. Average over the 2 pairs of ".a.", not over names.`,
    );
});
