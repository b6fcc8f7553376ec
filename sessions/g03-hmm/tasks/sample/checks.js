import { check } from "scratch/check";
import * as attempt from "attempt";
import { rng, truth } from "pack/model";

const long = attempt.sampleHMM(20000, truth, rng(42));

check("returns T states and T observations", () => {
  if (long.states.length !== 20000 || long.obs.length !== 20000)
    throw new Error(
      `expected 20000 of each, got ${long.states.length} states and ${long.obs.length} observations`,
    );
});

check("switching frequencies match the transition matrix", () => {
  const n = [
    [0, 0],
    [0, 0],
  ];
  for (let t = 1; t < long.states.length; t++) n[long.states[t - 1]][long.states[t]]++;
  const p01 = n[0][1] / (n[0][0] + n[0][1]),
    p10 = n[1][0] / (n[1][0] + n[1][1]);
  if (Math.abs(p01 - 0.05) > 0.012 || Math.abs(p10 - 0.1) > 0.02)
    throw new Error(
      `P(0→1) = ${p01.toFixed(3)} (want 0.05), P(1→0) = ${p10.toFixed(3)} (want 0.10): draw z_t from the row A[z_{t-1}]`,
    );
});

check("time in each state matches the stationary distribution [2/3, 1/3]", () => {
  const frac = long.states.filter((z) => z === 1).length / long.states.length;
  if (Math.abs(frac - 1 / 3) > 0.05)
    throw new Error(`fraction of time in state 1 is ${frac.toFixed(3)}, want about 0.333`);
});

check("observations have the per-state means and spreads", () => {
  for (const k of [0, 1]) {
    const xs = long.obs.filter((_, t) => long.states[t] === k);
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
    if (Math.abs(m - truth.means[k]) > 0.05 || Math.abs(sd - truth.sds[k]) > 0.05)
      throw new Error(
        `state ${k}: mean ${m.toFixed(3)}, sd ${sd.toFixed(3)}; want ${truth.means[k]}, ${truth.sds[k]}`,
      );
  }
});
