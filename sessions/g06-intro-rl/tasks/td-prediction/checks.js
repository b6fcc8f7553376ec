import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

// C -> D -> E -> out on the right (+1)
const episode = [
  { s: 2, r: 0, s2: 3 },
  { s: 3, r: 0, s2: 4 },
  { s: 4, r: 1, s2: null },
];

check("Monte Carlo moves every visited state towards the return 1", () => {
  expectClose(attempt.mcUpdate([0.5, 0.5, 0.5, 0.5, 0.5], episode, 0.1), [0.5, 0.5, 0.55, 0.55, 0.55]);
});

check("TD(0) only changes the state before the reward (first episode from 0.5)", () => {
  const got = attempt.td0Update([0.5, 0.5, 0.5, 0.5, 0.5], episode, 0.1);
  if (Math.abs(got[4] - 0.5) < 1e-12)
    throw new Error("V[E] did not move: at the end the target is r (terminal value 0)");
  expectClose(got, [0.5, 0.5, 0.5, 0.5, 0.55]);
});

check("TD(0) converges to 1/6 ... 5/6", () => {
  const u = attempt.rng(77);
  const V = [0.5, 0.5, 0.5, 0.5, 0.5];
  for (let i = 0; i < 2000; i++) attempt.td0Update(V, attempt.randomWalkEpisode(u), 0.01);
  expectClose(
    V,
    [1, 2, 3, 4, 5].map((k) => k / 6),
    { atol: 0.06, rtol: 0 },
  );
});
