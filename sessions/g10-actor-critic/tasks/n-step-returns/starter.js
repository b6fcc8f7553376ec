// G_t = r_t + gamma * (1 - done_t) * G_{t+1}, G_n = bootstrap; arrays indexed [t][env].
export function nStepReturns(rewards, dones, bootstrap, gamma) {
  return rewards.map((row) => row.slice()); // TODO
}

// A_t = G_t - V(s_t), element-wise.
export function advantages(returns, values) {
  return returns.map((row) => row.map(() => 0)); // TODO
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
