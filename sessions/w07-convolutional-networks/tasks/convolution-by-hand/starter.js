import { data, plot } from "scratch";

// Side length of the output of a k × k kernel over an n × n image.
export function outputSize(n, k, stride = 1, padding = 0) {
  return n; // TODO
}

// Cross-correlation of a 2-D array with a 2-D kernel, zero padding, given stride.
export function conv2d(image, kernel, { stride = 1, padding = 0 } = {}) {
  const k = kernel.length;
  const size = outputSize(image.length, k, stride, padding);
  const out = [];
  for (let i = 0; i < size; i++) {
    const row = [];
    for (let j = 0; j < size; j++) {
      let sum = 0;
      // TODO: add up image[?][?] * kernel[m][n] over the k × k window (pixels outside count as 0)
      row.push(sum);
    }
    out.push(row);
  }
  return out;
}

// An MNIST digit as a 28 × 28 array (the data set gives each image as 784 grey levels in [0, 1]).
const { x } = data.mnist({ n: 4, seed: 0 });
const digit = (() => {
  const flat = x.toArray()[1].flat(Infinity);
  return Array.from({ length: 28 }, (_, r) => flat.slice(28 * r, 28 * r + 28));
})();
const kernels = {
  "vertical edges": [
    [-1, 0, 1],
    [-2, 0, 2],
    [-1, 0, 1],
  ],
  "horizontal edges": [
    [-1, -2, -1],
    [0, 0, 0],
    [1, 2, 1],
  ],
  blur: [
    [1 / 9, 1 / 9, 1 / 9],
    [1 / 9, 1 / 9, 1 / 9],
    [1 / 9, 1 / 9, 1 / 9],
  ],
};
plot.image(digit, { title: "the digit" });
for (const [name, k] of Object.entries(kernels)) {
  const out = conv2d(digit, k, { padding: 1 });
  console.log(`${name}: output ${out.length} × ${out[0]?.length}`);
  plot.heatmap(out, { title: name });
}
console.log("a 28 × 28 image, 5 × 5 kernel, stride 2, padding 2 gives", outputSize(28, 5, 2, 2));
