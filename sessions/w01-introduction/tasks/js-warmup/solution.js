export function mean(values) {
  let total = 0;
  for (const x of values) total += x;
  return total / values.length;
}

export function variance(values) {
  const m = mean(values);
  let total = 0;
  for (const x of values) total += (x - m) ** 2;
  return total / values.length;
}

export function runningTotal(values) {
  const out = [];
  let total = 0;
  for (const x of values) {
    total += x;
    out.push(total);
  }
  return out;
}

console.log("mean of [2, 4, 9]:", mean([2, 4, 9]));
console.log("variance of [2, 4, 9]:", variance([2, 4, 9]));
console.log("running total of [1, 2, 3, 4]:", runningTotal([1, 2, 3, 4]));
