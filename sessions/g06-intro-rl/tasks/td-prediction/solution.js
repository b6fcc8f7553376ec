import { plot, metrics } from "scratch";

// ---- given: the five-state random walk ------------------------------------------------------------
// States 0..4 are A..E; start in C (2); step left or right with probability 1/2. Leaving on the right
// gives reward +1, on the left 0. An episode is a list of steps { s, r, s2 } with s2 = null at the end.
export function rng(seed) {
  let a = seed >>> 0 || 1;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export function randomWalkEpisode(u) {
  const steps = [];
  let s = 2;
  for (;;) {
    const s2 = u() < 0.5 ? s - 1 : s + 1;
    const done = s2 < 0 || s2 > 4;
    steps.push({ s, r: s2 > 4 ? 1 : 0, s2: done ? null : s2 });
    if (done) return steps;
    s = s2;
  }
}
export const trueValues = [1, 2, 3, 4, 5].map((k) => k / 6);
export const rms = (V) => Math.sqrt(V.reduce((a, v, i) => a + (v - trueValues[i]) ** 2, 0) / 5);
// ---------------------------------------------------------------------------------------------------

export function mcUpdate(V, episode, alpha) {
  let G = 0;
  for (let t = episode.length - 1; t >= 0; t--) {
    G += episode[t].r; // gamma = 1
    V[episode[t].s] += alpha * (G - V[episode[t].s]);
  }
  return V;
}

export function td0Update(V, episode, alpha) {
  for (const { s, r, s2 } of episode) {
    const target = r + (s2 === null ? 0 : V[s2]);
    V[s] += alpha * (target - V[s]);
  }
  return V;
}

// ---- try it ---------------------------------------------------------------------------------------
const curves = { mc: new Array(100).fill(0), td: new Array(100).fill(0) };
for (let run = 0; run < 50; run++) {
  const u = rng(1000 + run);
  const episodes = Array.from({ length: 100 }, () => randomWalkEpisode(u));
  const Vmc = new Array(5).fill(0.5),
    Vtd = new Array(5).fill(0.5);
  episodes.forEach((ep, i) => {
    curves.mc[i] += rms(mcUpdate(Vmc, ep, 0.02)) / 50;
    curves.td[i] += rms(td0Update(Vtd, ep, 0.05)) / 50;
    if (run === 0) metrics.log("TD(0) RMS error, first run", rms(Vtd));
  });
}
console.log(`after 100 episodes: MC RMS ${curves.mc[99].toFixed(3)}, TD(0) RMS ${curves.td[99].toFixed(3)}`);
plot.line(
  { "Monte Carlo, alpha 0.02": curves.mc, "TD(0), alpha 0.05": curves.td },
  { title: "RMS error against the true values (50 runs)", xLabel: "episode" },
);
