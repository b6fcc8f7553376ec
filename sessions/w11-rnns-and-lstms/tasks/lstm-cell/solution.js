import { tensor, zeros, randn, seed, plot } from "scratch";

// Given: LSTM parameters, one set per gate.
export function initLSTM(inputSize, hiddenSize, { forgetBias = 1 } = {}) {
  const s = 1 / Math.sqrt(hiddenSize);
  const p = {};
  for (const gate of ["i", "f", "g", "o"]) {
    p["W" + gate] = randn([inputSize, hiddenSize]).mul(s).requiresGrad();
    p["U" + gate] = randn([hiddenSize, hiddenSize]).mul(s).requiresGrad();
    p["b" + gate] = zeros([hiddenSize])
      .add(gate === "f" ? forgetBias : 0)
      .requiresGrad();
  }
  return p;
}

// One LSTM step. Returns [hNew, cNew].
export function lstmCell(x, [h, c], p) {
  const gate = (W, U, b) => x.matmul(W).add(h.matmul(U)).add(b);
  const i = gate(p.Wi, p.Ui, p.bi).sigmoid();
  const f = gate(p.Wf, p.Uf, p.bf).sigmoid();
  const g = gate(p.Wg, p.Ug, p.bg).tanh();
  const o = gate(p.Wo, p.Uo, p.bo).sigmoid();
  const cNew = f.mul(c).add(i.mul(g));
  const hNew = o.mul(cNew.tanh());
  return [hNew, cNew];
}

// Memory test: a single 1 at t = 0, then zeros. How long does the cell state remember it?
seed(11);
const H = 8;
const curves = {};
for (const forgetBias of [-2, 3]) {
  const p = initLSTM(1, H, { forgetBias });
  let state = [zeros([1, H]), zeros([1, H])];
  const memory = [];
  for (let t = 0; t < 30; t++) {
    state = lstmCell(tensor([[t === 0 ? 1 : 0]]), state, p);
    memory.push(state[1].abs().sum().item());
  }
  curves[`forget bias ${forgetBias}`] = memory;
}
plot.line(curves, { title: "|c_t| after a single input at t = 0", xLabel: "t" });
console.log(
  "|c| after 30 steps:",
  Object.entries(curves)
    .map(([k, c]) => `${k}: ${c[29].toFixed(4)}`)
    .join(", "),
);
