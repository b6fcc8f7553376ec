export function nStepReturns(rewards, dones, bootstrap, gamma) {
  const out = new Array(rewards.length);
  let G = bootstrap.slice();
  for (let t = rewards.length - 1; t >= 0; t--) {
    G = G.map((g, e) => rewards[t][e] + (dones[t][e] ? 0 : gamma * g));
    out[t] = G;
  }
  return out;
}

export function advantages(returns, values) {
  return returns.map((row, t) => row.map((g, e) => g - values[t][e]));
}

// ---- try it ---------------------------------------------------------------------------------------
const rewards = [
  [1, 1],
  [1, 1],
  [1, 1],
];
const dones = [
  [false, false],
  [false, true],
  [false, false],
];
const G = nStepReturns(rewards, dones, [10, 10], 0.9);
console.log("returns:", JSON.stringify(G));
console.log(
  "advantages:",
  JSON.stringify(
    advantages(G, [
      [5, 5],
      [5, 5],
      [5, 5],
    ]),
  ),
);
