import { tensor, zeros, randn, seed, tidy, noGrad, optim, data, plot, metrics } from "scratch";

const VOCAB = ".abcdefghijklmnopqrstuvwxyz";
const H = 48;

// Given (the previous tasks): the LSTM cell, parameters with an output layer, gradient clipping.
export function lstmCell(x, [h, c], p) {
  const gate = (W, U, b) => x.matmul(W).add(h.matmul(U)).add(b);
  const i = gate(p.Wi, p.Ui, p.bi).sigmoid();
  const f = gate(p.Wf, p.Uf, p.bf).sigmoid();
  const g = gate(p.Wg, p.Ug, p.bg).tanh();
  const o = gate(p.Wo, p.Uo, p.bo).sigmoid();
  const cNew = f.mul(c).add(i.mul(g));
  return [o.mul(cNew.tanh()), cNew];
}

export function initModel(vocabSize, hiddenSize) {
  const s = 1 / Math.sqrt(hiddenSize);
  const p = {};
  for (const gate of ["i", "f", "g", "o"]) {
    p["W" + gate] = randn([vocabSize, hiddenSize]).mul(s).keep().requiresGrad();
    p["U" + gate] = randn([hiddenSize, hiddenSize]).mul(s).keep().requiresGrad();
    p["b" + gate] = zeros([hiddenSize])
      .add(gate === "f" ? 1 : 0)
      .keep()
      .requiresGrad();
  }
  p.Why = randn([hiddenSize, vocabSize]).mul(s).keep().requiresGrad();
  p.by = zeros([vocabSize]).keep().requiresGrad();
  return p;
}

export function clipGradNorm(params, maxNorm) {
  let total = 0;
  for (const q of params) if (q.grad) total += q.grad.pow(2).sum().item();
  const norm = Math.sqrt(total);
  if (norm > maxNorm) for (const q of params) if (q.grad) q.grad = q.grad.mul(maxNorm / norm);
  return norm;
}

// Given: one-hot inputs and targets per time step for a batch of names (padding rows are zero).
export function makeBatch(names) {
  const B = names.length;
  const T = Math.max(...names.map((n) => n.length)) + 1;
  const inputs = [];
  const targets = [];
  let count = 0;
  for (let t = 0; t < T; t++) {
    const x = new Float32Array(B * 27);
    const y = new Float32Array(B * 27);
    names.forEach((name, b) => {
      const s = "." + name + ".";
      if (t < s.length - 1) {
        x[b * 27 + VOCAB.indexOf(s[t])] = 1;
        y[b * 27 + VOCAB.indexOf(s[t + 1])] = 1;
        count++;
      }
    });
    inputs.push(tensor(x, [B, 27]));
    targets.push(tensor(y, [B, 27]));
  }
  return { inputs, targets, count, B, T };
}

// Mean cross-entropy of the next character over every real position of the batch.
export function sequenceLoss(batch, p) {
  const hidden = p.Uf.shape[0];
  let h = zeros([batch.B, hidden]);
  let c = zeros([batch.B, hidden]);
  let total = tensor(0);
  for (let t = 0; t < batch.T; t++) {
    [h, c] = lstmCell(batch.inputs[t], [h, c], p);
    const logits = h.matmul(p.Why).add(p.by);
    total = total.sub(logits.logSoftmax(1).mul(batch.targets[t]).sum());
  }
  return total.div(batch.count);
}

// One optimisation step; returns the loss as a number.
export function trainStep(batch, p, opt, maxNorm) {
  return tidy(() => {
    opt.zeroGrad();
    const loss = sequenceLoss(batch, p);
    loss.backward();
    clipGradNorm(Object.values(p), maxNorm);
    opt.step();
    return loss.item();
  });
}

const names = data
  .names()
  .map((s) => s.toLowerCase())
  .filter((s) => /^[a-z]+$/.test(s));
const train = names.filter((_, i) => i % 10 !== 0);
seed(11);
export const params = initModel(27, H);
const opt = new optim.Adam(Object.values(params), { lr: 0.01 });
const losses = [];
const steps = 120;
for (let step = 0; step < steps; step++) {
  const batchNames = Array.from({ length: 32 }, () => train[Math.floor(Math.random() * train.length)]);
  const loss = tidy(() => trainStep(makeBatch(batchNames), params, opt, 1));
  losses.push(loss);
  metrics.log("loss", loss, step);
  if (step % 25 === 0 || step === steps - 1)
    plot.line(losses, { id: "loss", title: "training loss (cross-entropy per character)", xLabel: "step" });
}

// Sample names: feed each sampled character back in until the model says ".".
function sample() {
  return tidy(() =>
    noGrad(() => {
      let state = [zeros([1, H]), zeros([1, H])];
      let ch = 0;
      let name = "";
      while (name.length < 15) {
        const x = tensor(
          Array.from({ length: 27 }, (_, k) => (k === ch ? 1 : 0)),
          [1, 27],
        );
        state = lstmCell(x, state, params);
        const probs = state[0].matmul(params.Why).add(params.by).softmax(1).toArray()[0];
        let u = Math.random();
        ch = probs.findIndex((q) => (u -= q) < 0);
        if (ch <= 0) break;
        name += VOCAB[ch];
      }
      return name;
    }),
  );
}
console.log("new names:", Array.from({ length: 12 }, sample).join(", "));
