import { check, expectClose } from "scratch/check";
import { noGrad, tidy } from "scratch";
import * as attempt from "attempt";

const { alphabet, V, T } = attempt;

check("forward returns logits [B T, V]", () => {
  const shape = tidy(() => noGrad(() => attempt.forward(attempt.encode(["anna", "bob"]).x, 2).shape));
  if (JSON.stringify(shape) !== JSON.stringify([2 * T, V]))
    throw new Error(`shape ${JSON.stringify(shape)}, expected [${2 * T}, ${V}]`);
});

check("forward is causal: letters after position 3 do not change earlier predictions", () => {
  const [a, b] = tidy(() =>
    noGrad(() => [
      attempt.forward(attempt.encode(["marianne"]).x, 1).toArray(),
      attempt.forward(attempt.encode(["marzzzzzzz"]).x, 1).toArray(),
    ]),
  );
  expectClose(b.slice(0, 4), a.slice(0, 4), { atol: 1e-4, what: "logits of positions 0..3" });
});

check("lossOf is the weighted mean cross-entropy of forward's logits", () => {
  const batch = attempt.encode(["eve", "alexander"]);
  const [logits, loss] = tidy(() =>
    noGrad(() => [attempt.forward(batch.x, 2).toArray(), attempt.lossOf(batch).item()]),
  );
  let total = 0,
    n = 0;
  logits.forEach((row, i) => {
    if (!batch.w[i]) return;
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
    total += lse - row[batch.y[i]];
    n++;
  });
  expectClose(loss, total / n, { rtol: 1e-4, atol: 1e-4 });
});

check("the held-out loss beats a bigram model of the same names", () => {
  // Bigram with add-one smoothing, estimated on the training names, scored on the same held-out names.
  const counts = Array.from({ length: V }, () => new Array(V).fill(1));
  for (const name of attempt.trainNames) {
    const ids = [0, ...[...name].map((c) => alphabet.indexOf(c)), 0];
    for (let i = 1; i < ids.length; i++) counts[ids[i - 1]][ids[i]]++;
  }
  let total = 0,
    n = 0;
  for (const name of attempt.testNames.slice(0, 256)) {
    const ids = [0, ...[...name].map((c) => alphabet.indexOf(c)), 0];
    for (let i = 1; i < ids.length; i++) {
      const row = counts[ids[i - 1]];
      total -= Math.log(row[ids[i]] / row.reduce((a, b) => a + b, 0));
      n++;
    }
  }
  const bigram = total / n;
  if (!(attempt.testLoss < bigram))
    throw new Error(`held-out loss ${attempt.testLoss.toFixed(3)} nats vs the bigram's ${bigram.toFixed(3)}`);
});

check("sample invents names made of letters", () => {
  const u = attempt.rng(11);
  const names = Array.from({ length: 10 }, () => attempt.sample(u));
  if (names.some((n) => typeof n !== "string" || !/^[a-z]*$/.test(n) || n.length >= T))
    throw new Error(`got ${JSON.stringify(names)}`);
  if (names.filter((n) => n.length >= 2).length < 7)
    throw new Error(`too many empty or one-letter names: ${JSON.stringify(names)}`);
});
