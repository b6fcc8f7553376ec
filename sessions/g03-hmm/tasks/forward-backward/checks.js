import { check, expectClose } from "scratch/check";
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
const obs = [-0.8, 0.3, 1.2, 0.9, -1.5, -0.2];
const paths = enumerate(obs, P);
const evidence = paths.reduce((s, p) => s + p.pr, 0);
const fb = attempt.forwardBackward(obs, P);

check("logLik equals log of the sum over all 64 paths", () => {
  expectClose(fb.logLik, Math.log(evidence), { rtol: 1e-8, atol: 1e-9 });
});

check("alpha[t] is the filtered belief p(z_t | x_1..t)", () => {
  for (let t = 0; t < obs.length; t++) {
    const sub = enumerate(obs.slice(0, t + 1), P);
    const tot = sub.reduce((s, p) => s + p.pr, 0);
    const want = [0, 1].map((k) => sub.filter((p) => p.z[t] === k).reduce((s, p) => s + p.pr, 0) / tot);
    try {
      expectClose(fb.alpha[t], want, { rtol: 1e-6, atol: 1e-9 });
    } catch (e) {
      throw new Error(`alpha[${t}]: ${e.message}. Is each alpha_t normalised to sum to 1?`);
    }
  }
});

check("gamma[t] is the smoothed posterior p(z_t | x_1..T)", () => {
  const want = obs.map((_, t) =>
    [0, 1].map((k) => paths.filter((p) => p.z[t] === k).reduce((s, p) => s + p.pr, 0) / evidence),
  );
  expectClose(fb.gamma, want, { rtol: 1e-6, atol: 1e-9 });
});
