import { check } from "scratch/check";
import * as attempt from "attempt";

const density = (x, m, s) => Math.exp(-0.5 * ((x - m) / s) ** 2) / (s * Math.sqrt(2 * Math.PI));
// Enumerates all 2^T state paths: p(x, z) for each.
function enumerate(obs, p) {
  const T = obs.length,
    out = [];
  for (let code = 0; code < 1 << T; code++) {
    const z = Array.from({ length: T }, (_, t) => (code >> t) & 1);
    let pr = p.pi[z[0]] * density(obs[0], p.means[z[0]], p.sds[z[0]]);
    for (let t = 1; t < T; t++) pr *= p.A[z[t - 1]][z[t]] * density(obs[t], p.means[z[t]], p.sds[z[t]]);
    out.push({ z, pr });
  }
  return out;
}
const P = {
  pi: [0.6, 0.4],
  A: [
    [0.8, 0.2],
    [0.3, 0.7],
  ],
  means: [-1, 1],
  sds: [1, 0.5],
};
const sequences = [
  [-0.8, 0.3, 1.2, 0.9, -1.5, -0.2, 0.1, 0.6],
  [1.1, 0.9, -0.1, 0.2, 0.15, 0.05, 1.4, -2],
  [0, 0, 0, 0, 0, 0, 0, 0],
];
sequences.forEach((obs, i) => {
  check(`sequence ${i + 1}: the path is the brute-force arg-max`, () => {
    const best = enumerate(obs, P).reduce((a, b) => (b.pr > a.pr ? b : a));
    const got = attempt.viterbi(obs, P);
    if (JSON.stringify(got) !== JSON.stringify(best.z))
      throw new Error(`expected ${best.z.join("")}, got ${Array.isArray(got) ? got.join("") : got}`);
  });
});
