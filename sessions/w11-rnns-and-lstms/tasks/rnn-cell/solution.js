import { tensor, zeros, randn, seed, plot } from "scratch";

// One step: h' = tanh(x Wxh + h Whh + b)
export function rnnCell(x, h, p) {
  return x.matmul(p.Wxh).add(h.matmul(p.Whh)).add(p.b).tanh();
}

// Applies rnnCell along the list xs; returns every hidden state.
export function unroll(xs, h0, p) {
  const states = [];
  let h = h0;
  for (const x of xs) {
    h = rnnCell(x, h, p);
    states.push(h);
  }
  return states;
}

const VOCAB = ".abcdefghijklmnopqrstuvwxyz";
const oneHot = (ch) => tensor([Array.from(VOCAB, (c) => (c === ch ? 1 : 0))]);
seed(11);
const H = 16;
const p = { Wxh: randn([27, H]).mul(0.5), Whh: randn([H, H]).mul(0.3), b: zeros([H]) };
const states = unroll(Array.from("hello", oneHot), zeros([1, H]), p);
console.log(`${states.length} hidden states of shape [${states[0]?.shape}]`);
if (states.length > 0)
  plot.heatmap(
    states.map((h) => h.toArray()[0]),
    { title: "hidden state while reading h, e, l, l, o (rows = time)" },
  );
