// Write each function, then press Run. The checks call them with other numbers too.

export function mean(values) {
  // TODO: the sum of the values divided by how many there are
  return 0;
}

export function variance(values) {
  // TODO: the mean of (x - mean)^2
  return 0;
}

export function runningTotal(values) {
  // TODO: [1, 2, 3] -> [1, 3, 6]
  return [];
}

console.log("mean of [2, 4, 9]:", mean([2, 4, 9]));
console.log("variance of [2, 4, 9]:", variance([2, 4, 9]));
console.log("running total of [1, 2, 3, 4]:", runningTotal([1, 2, 3, 4]));
