import { data, plot } from "scratch";

// Given (the previous task).
export function conv2d(image, kernel, { stride = 1, padding = 0 } = {}) {
  const k = kernel.length;
  const size = Math.floor((image.length + 2 * padding - k) / stride) + 1;
  const out = [];
  for (let i = 0; i < size; i++) {
    const row = [];
    for (let j = 0; j < size; j++) {
      let sum = 0;
      for (let m = 0; m < k; m++) {
        const r = i * stride + m - padding;
        if (r < 0 || r >= image.length) continue;
        for (let n = 0; n < k; n++) {
          const c = j * stride + n - padding;
          if (c >= 0 && c < image[r].length) sum += image[r][c] * kernel[m][n];
        }
      }
      row.push(sum);
    }
    out.push(row);
  }
  return out;
}

export function relu(map) {
  return map.map((row) => row.map((v) => Math.max(0, v)));
}

export function maxPool(map, size = 2) {
  const rows = Math.floor(map.length / size);
  const cols = Math.floor(map[0].length / size);
  return Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => {
      let best = -Infinity;
      for (let m = 0; m < size; m++)
        for (let n = 0; n < size; n++) best = Math.max(best, map[i * size + m][j * size + n]);
      return best;
    }),
  );
}

export function featureMaps(image, kernels) {
  return kernels.map((k) => maxPool(relu(conv2d(image, k, { padding: 1 })), 2));
}

const { x } = data.mnist({ n: 4, seed: 0 });
const digit = (() => {
  const flat = x.toArray()[2].flat(Infinity);
  return Array.from({ length: 28 }, (_, r) => flat.slice(28 * r, 28 * r + 28));
})();
const kernels = [
  [
    [-1, 0, 1],
    [-2, 0, 2],
    [-1, 0, 1],
  ],
  [
    [1, 0, -1],
    [2, 0, -2],
    [1, 0, -1],
  ],
  [
    [-1, -2, -1],
    [0, 0, 0],
    [1, 2, 1],
  ],
  [
    [1, 2, 1],
    [0, 0, 0],
    [-1, -2, -1],
  ],
];
plot.image(digit, { title: "input" });
featureMaps(digit, kernels).forEach((map, i) => {
  if (i === 0) console.log(`feature map size: ${map.length} × ${map[0]?.length}`);
  plot.heatmap(map, { title: `kernel ${i}: conv → ReLU → max pool` });
});
