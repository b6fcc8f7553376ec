import { log } from "scratch/metrics";

export function step(x, lr) {
  return x - lr * 2 * (x - 3);
}

const lr = 0.1;
let x = 0;
for (let i = 0; i < 30; i++) {
  x = step(x, lr);
  log("loss", (x - 3) ** 2);
}
