import { plot, metrics } from "scratch";
import { rng, cartPole } from "pack/cartpole";

// A ring buffer of transitions with uniform sampling.
export class ReplayBuffer {
  constructor(capacity) {
    this.capacity = capacity;
    this.items = [];
  }
  get size() {
    return 0; // TODO
  }
  push(transition) {
    // TODO
  }
  sample(n, u) {
    return []; // TODO
  }
}

// ---- try it ---------------------------------------------------------------------------------------
const u = rng(3);
const env = cartPole(u);
const buffer = new ReplayBuffer(500);
let s = env.reset();
for (let t = 0; t < 1200; t++) {
  const a = u() < 0.5 ? 0 : 1;
  const { s2, r, done, fell } = env.step(a);
  buffer.push({ t, s, a, r, s2, fell });
  s = done ? env.reset() : s2;
}
metrics.log("stored transitions", buffer.size);
console.log("stored:", buffer.size, "(capacity 500)");
plot.histogram(
  buffer.sample(2000, u).map((tr) => tr.t),
  { title: "time steps of sampled transitions (should cover 700..1199 evenly)", bins: 25 },
);
