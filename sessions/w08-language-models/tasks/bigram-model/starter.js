import { data, plot } from "scratch";

export const VOCAB = ".abcdefghijklmnopqrstuvwxyz";

// Given: a seeded random number generator (mulberry32).
export function makeRng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Given: draws an index from a row of probabilities.
export function sampleIndex(probs, rng) {
  let u = rng();
  for (let i = 0; i < probs.length; i++) {
    if (u < probs[i]) return i;
    u -= probs[i];
  }
  return probs.length - 1;
}

// Given: generates a name from a bigram table, starting after "." and stopping at the next ".".
export function generate(P, rng) {
  let name = "";
  let i = 0;
  for (;;) {
    i = sampleIndex(P[i], rng);
    if (i === 0 || name.length >= 20) return name;
    name += VOCAB[i];
  }
}

// N[i][j] = how often VOCAB[j] follows VOCAB[i] in "." + name + "."
export function countBigrams(names) {
  const N = Array.from({ length: 27 }, () => new Array(27).fill(0));
  // TODO
  return N;
}

// Add smoothing to every count, then make each row sum to 1.
export function probabilities(N, smoothing = 1) {
  return N.map((row) => row.map(() => 1 / 27)); // TODO
}

// Average of -log P(next | current) over every pair of every wrapped name.
export function nll(names, P) {
  return 0; // TODO
}

const names = data
  .names()
  .map((s) => s.toLowerCase())
  .filter((s) => /^[a-z]+$/.test(s));
const train = names.filter((_, i) => i % 10 !== 0);
const test = names.filter((_, i) => i % 10 === 0);
const N = countBigrams(train);
const P = probabilities(N, 1);
console.log(`${train.length} training names, ${test.length} held out`);
console.log("held-out NLL:", nll(test, P).toFixed(3), "(uniform guessing: 3.296)");
const rng = makeRng(8);
console.log("ten new names:", Array.from({ length: 10 }, () => generate(P, rng)).join(", "));
plot.heatmap(N, { title: "bigram counts: row = this character, column = the next (. a b … z)" });
