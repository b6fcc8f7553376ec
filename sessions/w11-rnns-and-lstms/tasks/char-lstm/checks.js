import { check, CheckFailure } from "scratch/check";
import { tensor, zeros, tidy, noGrad, data } from "scratch";
import * as attempt from "attempt";

const VOCAB = ".abcdefghijklmnopqrstuvwxyz";

// The checks' own LSTM forward pass: the trained parameters are judged independently of the attempt's code.
function heldOutLoss(p, names) {
  return tidy(() =>
    noGrad(() => {
      const H = p.Uf.shape[0];
      let total = 0;
      let count = 0;
      for (let start = 0; start < names.length; start += 100) {
        const batch = names.slice(start, start + 100);
        const T = Math.max(...batch.map((n) => n.length)) + 1;
        let h = zeros([batch.length, H]);
        let c = zeros([batch.length, H]);
        for (let t = 0; t < T; t++) {
          const x = new Float32Array(batch.length * 27);
          const y = new Float32Array(batch.length * 27);
          batch.forEach((name, b) => {
            const s = "." + name + ".";
            if (t < s.length - 1) {
              x[b * 27 + VOCAB.indexOf(s[t])] = 1;
              y[b * 27 + VOCAB.indexOf(s[t + 1])] = 1;
              count++;
            }
          });
          const xt = tensor(x, [batch.length, 27]);
          const gate = (W, U, bias) => xt.matmul(W).add(h.matmul(U)).add(bias);
          const i = gate(p.Wi, p.Ui, p.bi).sigmoid();
          const f = gate(p.Wf, p.Uf, p.bf).sigmoid();
          const g = gate(p.Wg, p.Ug, p.bg).tanh();
          const o = gate(p.Wo, p.Uo, p.bo).sigmoid();
          c = f.mul(c).add(i.mul(g));
          h = o.mul(c.tanh());
          total -= h
            .matmul(p.Why)
            .add(p.by)
            .logSoftmax(1)
            .mul(tensor(y, [batch.length, 27]))
            .sum()
            .item();
        }
      }
      return total / count;
    }),
  );
}

check("sequenceLoss of an untrained model is about log 27", () => {
  const loss = tidy(() => {
    const p = attempt.initModel(27, 8);
    for (const k of ["Why", "by"]) p[k] = zeros(p[k].shape);
    return attempt.sequenceLoss(attempt.makeBatch(["ab", "c"]), p).item();
  });
  // With zero output weights every prediction is uniform: exactly log 27 per character.
  if (!(Math.abs(loss - Math.log(27)) < 1e-4))
    throw new CheckFailure(
      `with zero output weights every prediction is uniform, so the loss must be log 27 = ${Math.log(27).toFixed(4)}; got ${loss}. ${loss < 0 ? "Sign: the loss is MINUS the log-likelihood." : Math.abs(loss - 5 * Math.log(27)) < 1e-3 ? "You summed instead of averaging: divide by batch.count." : ""}`,
    );
});

check("the trained model beats uniform guessing on held-out names", () => {
  const names = data
    .names()
    .map((s) => s.toLowerCase())
    .filter((s) => /^[a-z]+$/.test(s));
  const test = names.filter((_, i) => i % 10 === 0).slice(0, 300);
  if (!attempt.params || !attempt.params.Why)
    throw new CheckFailure("export const params = initModel(…) and train it");
  const loss = heldOutLoss(attempt.params, test);
  console.log(`held-out loss: ${loss.toFixed(3)} (uniform 3.296, bigram 2.42)`);
  if (!(loss < 2.7))
    throw new CheckFailure(
      `held-out loss ${loss.toFixed(3)} should be below 2.7 after training. Does trainStep call backward and opt.step, and zero the gradients first?`,
    );
});
