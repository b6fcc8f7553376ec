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
const T = 12;

// Given: every name as input ".name" and target "name." padded to T (padding targets are masked out).
export function encode(names) {
  const n = names.length;
  const xs = new Float32Array(n * T); // typed arrays: fast to fill and to hand to tensor()
  const ys = new Float32Array(n * T);
  const ms = new Float32Array(n * T);
  names.forEach((name, b) => {
    const s = "." + name + ".";
    for (let t = 0; t < Math.min(T, s.length - 1); t++) {
      xs[b * T + t] = VOCAB.indexOf(s[t]);
      ys[b * T + t] = VOCAB.indexOf(s[t + 1]);
      ms[b * T + t] = 1;
    }
  });
  return { X: tensor(xs, [n, T], "int32"), Y: tensor(ys, [n * T], "int32"), M: tensor(ms, [n * T, 1]), n };
}

export function initModel(d = 32, hidden = 64) {
  const s = 1 / Math.sqrt(d);
  const p = {
    E: randn([27, d]).mul(0.5),
    P: randn([T, d]).mul(0.5),
    Wq: randn([d, d]).mul(s),
    Wk: randn([d, d]).mul(s),
    Wv: randn([d, d]).mul(s),
    W1: randn([d, hidden]).mul(s),
    b1: zeros([hidden]),
    W2: randn([hidden, 27]).mul(0.1 / Math.sqrt(hidden)),
    b2: zeros([27]),
  };
  for (const t of Object.values(p)) t.keep().requiresGrad();
  return p;
}

// Given: the model. Tokens [B, T] → logits [B·T, 27] and the attention weights [B, T, T].
export function model(p, X, mask) {
  const [B] = X.shape;
  const d = p.E.shape[1];
  const x = p.E.gather(X.reshape([-1]))
    .reshape([B, T, d])
    .add(p.P);
  const { out, weights } = attention(x.matmul(p.Wq), x.matmul(p.Wk), x.matmul(p.Wv), mask);
  const h = x
    .add(out)
    .reshape([B * T, d])
    .matmul(p.W1)
    .add(p.b1)
    .tanh();
  return { logits: h.matmul(p.W2).add(p.b2), weights };
}

export function maskedNll(logits, Y, M) {
  return logits.logSoftmax(1).mul(oneHot(Y, 27)).mul(M).sum().div(M.sum().neg());
}

// [T, T]: 0 where s <= t, -1e9 where s > t.
export function causalMask(size) {
  return tensor(
    Array.from({ length: size }, (_, t) => Array.from({ length: size }, (_, s) => (s <= t ? 0 : -1e9))),
  );
}

// softmax(q kᵀ / sqrt(d) + mask) v, for [T, d] or [B, T, d] inputs. Returns { out, weights }.
export function attention(q, k, v, mask) {
  const d = q.shape[q.ndim - 1];
  const scores = q.matmul(k.transpose(-2, -1)).div(Math.sqrt(d)).add(mask);
  const weights = scores.softmax(scores.ndim - 1);
  return { out: weights.matmul(v), weights };
}

const names = data
  .names()
  .map((s) => s.toLowerCase())
  .filter((s) => /^[a-z]+$/.test(s) && s.length < T);
const train = encode(names.filter((_, i) => i % 10 !== 0));
const mask = causalMask(T).keep();
seed(8);
export const params = initModel();
const opt = new optim.Adam(Object.values(params), { lr: 0.005 });
const losses = [];
for (let step = 0; step < 300; step++) {
  const loss = tidy(() => {
    const rows = randint(0, train.n, [32]);
    const Y = train.Y.reshape([train.n, T]).gather(rows).reshape([-1]);
    const M = train.M.reshape([train.n, T]).gather(rows).reshape([-1, 1]);
    opt.zeroGrad();
    const l = maskedNll(model(params, train.X.gather(rows), mask).logits, Y, M);
    l.backward();
    opt.step();
    return l.item();
  });
  losses.push(loss);
  if (step % 5 === 0) metrics.log("loss", loss, step);
  if (step % 100 === 0)
    plot.line(losses, { id: "loss", title: "training loss per character", xLabel: "step" });
}
plot.line(losses, { id: "loss", title: "training loss per character", xLabel: "step" });
tidy(() =>
  noGrad(() => {
    const { weights } = model(params, encode(["isabella"]).X, mask);
    const w = weights
      .toArray()[0]
      .slice(0, 9)
      .map((row) => row.slice(0, 9));
    plot.heatmap(w, { title: "attention weights reading .isabella (row: position, column: where it looks)" });
  }),
);
