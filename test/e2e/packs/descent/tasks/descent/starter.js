import { log } from "scratch/metrics";

// f(x) = (x - 3)^2. Return x after one gradient-descent step with learning rate lr.
export function step(x, lr) {
  return x; // TODO
}

const lr = 0.1;
let x = 0;
for (let i = 0; i < 30; i++) {
  x = step(x, lr);
  log("loss", (x - 3) ** 2);
}
