import { tensor, zeros, randn, seed, tidy, noGrad, optim, data, plot, metrics } from "scratch";

// Given (the previous tasks).
export function makeWindows(series, window, horizon = 1) {
  const X = [];
  const y = [];
  for (let t = 0; t + window + horizon - 1 < series.length; t++) {
    X.push(series.slice(t, t + window));
    y.push(series[t + window + horizon - 1]);
  }
  return { X, y };
}

export function splitByTime(X, y, trainFraction) {
  const n = Math.floor(X.length * trainFraction);
  return { train: { X: X.slice(0, n), y: y.slice(0, n) }, test: { X: X.slice(n), y: y.slice(n) } };
}

export const naiveForecast = (X) => X.map((w) => w[w.length - 1]);
export const rmse = (y, yHat) => Math.sqrt(y.reduce((a, v, i) => a + (v - yHat[i]) ** 2, 0) / y.length);

export function lstmCell(x, [h, c], p) {
  const gate = (W, U, b) => x.matmul(W).add(h.matmul(U)).add(b);
  const i = gate(p.Wi, p.Ui, p.bi).sigmoid();
  const f = gate(p.Wf, p.Uf, p.bf).sigmoid();
  const g = gate(p.Wg, p.Ug, p.bg).tanh();
  const o = gate(p.Wo, p.Uo, p.bo).sigmoid();
  const cNew = f.mul(c).add(i.mul(g));
  return [o.mul(cNew.tanh()), cNew];
}

export function initModel(inputSize, hiddenSize) {
  const s = 1 / Math.sqrt(hiddenSize);
  const p = {};
  for (const gate of ["i", "f", "g", "o"]) {
    p["W" + gate] = randn([inputSize, hiddenSize]).mul(s).requiresGrad();
    p["U" + gate] = randn([hiddenSize, hiddenSize]).mul(s).requiresGrad();
    p["b" + gate] = zeros([hiddenSize])
      .add(gate === "f" ? 1 : 0)
      .requiresGrad();
  }
  p.Wy = randn([hiddenSize, 1]).mul(0.1).requiresGrad();
  p.by = zeros([1]).requiresGrad();
  return p;
}

// Each window relative to its last value; the target likewise.
export function toRelative(X, y) {
  return { inputs: X, targets: y }; // TODO
}

// Unrolls the LSTM over each window (one [B, 1] input per time step); returns [B, 1] predictions.
export function forecast(p, inputs) {
  const B = inputs.length;
  const H = p.Uf.shape[0];
  let h = zeros([B, H]);
  let c = zeros([B, H]);
  // TODO: for every time step t, the column t of the windows as a [B, 1] tensor, through lstmCell
  return h.matmul(p.Wy).add(p.by);
}

// Prices from the predicted relative changes: L * (1 + r).
export function predictPrices(p, X) {
  return naiveForecast(X); // TODO
}

export function skill(rmseModel, rmseNaive) {
  return 0; // TODO
}

const sp500 = data.sp500().price.toArray();
const { X, y } = makeWindows(sp500, 12);
const { train, test } = splitByTime(X, y, 0.8);
const rel = toRelative(train.X, train.y);
const target = tensor(rel.targets.map((r) => [r]));
seed(12);
export const params = initModel(1, 16);
const opt = new optim.Adam(Object.values(params), { lr: 0.005 });
const losses = [];
for (let epoch = 0; epoch < 60; epoch++) {
  const loss = tidy(() => {
    opt.zeroGrad();
    const l = forecast(params, rel.inputs).sub(target).pow(2).mean();
    l.backward();
    opt.step();
    return l.item();
  });
  losses.push(loss);
  metrics.log("train mse", loss, epoch);
  if (epoch % 20 === 0)
    plot.line(losses, { id: "loss", title: "training MSE of the relative change", xLabel: "epoch" });
}
plot.line(losses, { id: "loss", title: "training MSE of the relative change", xLabel: "epoch" });
const lstm = tidy(() => noGrad(() => predictPrices(params, test.X)));
const naive = naiveForecast(test.X);
const s = skill(rmse(test.y, lstm), rmse(test.y, naive));
console.log(
  `test RMSE — LSTM ${rmse(test.y, lstm).toFixed(1)}, naive ${rmse(test.y, naive).toFixed(1)}, skill ${s.toFixed(3)}`,
);
metrics.log("skill vs naive", s);
plot.line(
  { truth: test.y, LSTM: lstm, naive },
  { title: "test period: forecast against the truth", xLabel: "test month" },
);
