import {
  tensor,
  zeros,
  randn,
  randint,
  oneHot,
  seed,
  tidy,
  noGrad,
  optim,
  data,
  plot,
  metrics,
} from "scratch";

const VOCAB = ".abcdefghijklmnopqrstuvwxyz";
const CONTEXT = 3;

// Given: (context → next character) examples as index tensors.
export function buildDataset(names) {
  const n = names.reduce((total, name) => total + name.length + 1, 0);
  const contexts = new Float32Array(n * CONTEXT); // typed arrays: fast to fill and to hand to tensor()
  const targets = new Float32Array(n);
  let row = 0;
  for (const name of names) {
    const ctx = new Array(CONTEXT).fill(0);
    for (const ch of name + ".") {
      const ix = VOCAB.indexOf(ch);
      for (let k = 0; k < CONTEXT; k++) contexts[row * CONTEXT + k] = ctx[k];
      targets[row++] = ix;
      ctx.shift();
      ctx.push(ix);
    }
  }
  return { X: tensor(contexts, [n, CONTEXT], "int32"), Y: tensor(targets, [n], "int32"), n };
}

export function initModel({ embed = 10, hidden = 128 } = {}) {
  const p = {
    C: randn([27, embed]),
    W1: randn([CONTEXT * embed, hidden]).mul(1 / Math.sqrt(CONTEXT * embed)),
    b1: zeros([hidden]),
    W2: randn([hidden, 27]).mul(0.1 / Math.sqrt(hidden)),
    b2: zeros([27]),
  };
  for (const t of Object.values(p)) t.keep().requiresGrad();
  return p;
}

// contexts: int tensor [B, 3] → logits [B, 27]
export function forward(p, contexts) {
  const B = contexts.shape[0];
  // TODO: embeddings (gather from p.C), concatenate (reshape to [B, 3 * d]), hidden tanh layer, output layer
  return zeros([B, 27]).add(p.b2);
}

// Mean negative log-likelihood of the targets (int tensor [B]) under the logits.
export function nllLoss(logits, targets) {
  return logits.sum().mul(0); // TODO
}

const names = data
  .names()
  .map((s) => s.toLowerCase())
  .filter((s) => /^[a-z]+$/.test(s));
const train = buildDataset(names.filter((_, i) => i % 10 !== 0));
seed(8);
export const params = initModel();
const opt = new optim.Adam(Object.values(params), { lr: 0.01 });
const losses = [];
const steps = 800;
for (let step = 0; step < steps; step++) {
  const loss = tidy(() => {
    const idx = randint(0, train.n, [128]);
    opt.zeroGrad();
    const l = nllLoss(forward(params, train.X.gather(idx)), train.Y.gather(idx));
    l.backward();
    opt.step();
    return l.item();
  });
  losses.push(loss);
  if (step < 10 || step % 10 === 0) metrics.log("loss", loss, step);
  if (step % 250 === 0)
    plot.line(losses, { id: "loss", title: "training loss (minibatches of 128)", xLabel: "step" });
}
plot.line(losses, { id: "loss", title: "training loss (minibatches of 128)", xLabel: "step" });
const test = buildDataset(names.filter((_, i) => i % 10 === 0));
const heldOut = tidy(() => noGrad(() => nllLoss(forward(params, test.X), test.Y).item()));
console.log(`held-out NLL ${heldOut.toFixed(3)} (bigram 2.42, uniform 3.30)`);
metrics.log("held-out nll", heldOut);
plot.scatter(params.C.slice([0, 0], [27, 2]), {
  title: "the first two embedding dimensions of . a b … z",
  labels: Array.from({ length: 27 }, (_, i) => i),
});
