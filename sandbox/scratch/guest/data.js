// @ts-check
/**
 * Data: seeded generators (spirals, moons, blobs, sine), the data sets of the curriculum (MNIST,
 * iris, penguins, cars, Boston housing, wages, stocks, S&P 500, first names, Moby-Dick), a
 * train/test split and mini-batches. Generators are deterministic for a given `seed` (or follow
 * the run's `seed()` when none is given).
 *
 * @example
 * const { x, y } = data.spirals({ n: 100, classes: 3, seed: 0 });
 * for (const batch of data.batches(x, y, { batchSize: 32 })) { … }
 */
import { host } from "scratch/_host";
import { random, tensor, tidy, Tensor } from "scratch/tensor";
import { mulberry32 } from "scratch/prng";

/** A uniform generator: seeded when `seed` is given, else the run's stream. */
function generator(seed) {
  return seed === undefined ? random : mulberry32(seed >>> 0);
}

/** A standard normal sample (Box–Muller). */
function gaussian(u) {
  return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

function labeled(points, labels) {
  return { x: tensor(points), y: tensor(labels) };
}

/**
 * Interleaved spiral arms, one class per arm (Karpathy's CS231n data set).
 * Returns { x: [n·classes, 2] points, y: [n·classes] class labels 0…classes−1 }; defaults give
 * x: [300, 2], y: [300].
 * @param {{ n?: number, classes?: number, noise?: number, seed?: number }} [options]
 */
export function spirals({ n = 100, classes = 3, noise = 0.2, seed } = {}) {
  const u = generator(seed);
  const points = [];
  const labels = [];
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < n; i++) {
      const r = i / n;
      const theta = c * 4 + (4 * i) / n + gaussian(u) * noise;
      points.push([r * Math.sin(theta), r * Math.cos(theta)]);
      labels.push(c);
    }
  }
  return labeled(points, labels);
}

/**
 * Two interleaving half circles. Returns { x: [n, 2] points, y: [n] labels 0/1 }; defaults give
 * x: [200, 2], y: [200].
 * @param {{ n?: number, noise?: number, seed?: number }} [options]
 */
export function moons({ n = 200, noise = 0.1, seed } = {}) {
  const u = generator(seed);
  const points = [];
  const labels = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const t = Math.PI * u();
    const [px, py] = c === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    points.push([px + gaussian(u) * noise, py + gaussian(u) * noise]);
    labels.push(c);
  }
  return labeled(points, labels);
}

/**
 * Gaussian clusters around random centres. Returns { x: [n, dims] points, y: [n] cluster labels,
 * centers: a list of `centers` points (plain arrays of `dims` numbers) }; defaults give
 * x: [200, 2], y: [200].
 * @param {{ n?: number, centers?: number, dims?: number, std?: number, spread?: number, seed?: number }} [options]
 */
export function blobs({ n = 200, centers = 3, dims = 2, std = 0.5, spread = 5, seed } = {}) {
  const u = generator(seed);
  const means = Array.from({ length: centers }, () =>
    Array.from({ length: dims }, () => (u() * 2 - 1) * spread),
  );
  const points = [];
  const labels = [];
  for (let i = 0; i < n; i++) {
    const c = i % centers;
    points.push(means[c].map((m) => m + gaussian(u) * std));
    labels.push(c);
  }
  return { ...labeled(points, labels), centers: means };
}

/**
 * Noisy samples of sin(x) for x in [low, high). Returns { x: [n, 1], y: [n, 1] }; defaults give
 * x: [100, 1], y: [100, 1].
 * @param {{ n?: number, noise?: number, low?: number, high?: number, seed?: number }} [options]
 */
export function sine({ n = 100, noise = 0.1, low = -Math.PI, high = Math.PI, seed } = {}) {
  const u = generator(seed);
  const xs = Array.from({ length: n }, () => low + (high - low) * u()).sort((a, b) => a - b);
  return {
    x: tensor(xs.map((v) => [v])),
    y: tensor(xs.map((v) => [Math.sin(v) + gaussian(u) * noise])),
  };
}

/** A seeded permutation of 0..n−1 (Fisher–Yates). */
export function permutation(n, seed) {
  const u = generator(seed);
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(u() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** Rows `idx` of each tensor. */
function takeRows(tensors, idx) {
  return tidy(() => {
    const ids = tensor(idx);
    return tensors.map((t) => t.gather(ids, 0));
  });
}

/**
 * Shuffles rows and splits them: { xTrain, yTrain, xTest, yTest }.
 * `testFraction` (default 0.2) of the rows go to the test set.
 * @param {Tensor} x
 * @param {Tensor} y
 * @param {{ testFraction?: number, seed?: number }} [options]
 */
export function trainTestSplit(x, y, { testFraction = 0.2, seed } = {}) {
  const n = x.shape[0];
  if (y.shape[0] !== n) throw new Error(`trainTestSplit: x has ${n} rows but y has ${y.shape[0]}`);
  const order = permutation(n, seed);
  const nTest = Math.round(n * testFraction);
  const [xTest, yTest] = takeRows([x, y], order.slice(0, nTest));
  const [xTrain, yTrain] = takeRows([x, y], order.slice(nTest));
  return { xTrain, yTrain, xTest, yTest };
}

/**
 * Mini-batches of matching rows: `for (const { x, y } of batches(X, Y, { batchSize: 64 }))`.
 * Shuffled each time it is called (seeded), unless `shuffle: false`. Each batch's tensors are
 * freed when the loop moves on to the next one, unless kept.
 * @param {Tensor} x
 * @param {Tensor | null} [y]
 * @param {{ batchSize?: number, shuffle?: boolean, seed?: number }} [options]
 */
export function* batches(x, y, { batchSize = 32, shuffle = true, seed } = {}) {
  const n = x.shape[0];
  if (y !== undefined && y !== null && y.shape[0] !== n) {
    throw new Error(`batches: x has ${n} rows but y has ${y.shape[0]}`);
  }
  const order = shuffle ? permutation(n, seed) : Array.from({ length: n }, (_, i) => i);
  for (let start = 0; start < n; start += batchSize) {
    const idx = order.slice(start, start + batchSize);
    const [bx, by] = takeRows(y ? [x, y] : [x], idx);
    try {
      yield { x: bx, y: by, index: start / batchSize };
    } finally {
      if (!bx._kept) bx.dispose();
      if (by !== undefined && !by._kept) by.dispose();
    }
  }
}

// -- data sets of the curriculum (npm packages read by the host) --------------------------------

/**
 * A raw table. Returns { columns: list of column names, rows: list of rows, each a list of cells
 * (number, string, or null when missing) }. Names: penguins, cars, iris, boston, wages, stocks,
 * sp500, seattleWeather, anscombe.
 */
export function table(name) {
  return JSON.parse(/** @type {string} */ (host.k("dataTable", name)));
}

/** Numeric columns of a table's rows. Returns a tensor [rows, names.length]. */
export function columns(t, names) {
  const idx = names.map((c) => {
    const i = t.columns.indexOf(c);
    if (i < 0) throw new Error(`no column "${c}"; columns: ${t.columns.join(", ")}`);
    return i;
  });
  return tensor(t.rows.map((r) => idx.map((i) => r[i])));
}

/** Rows with no missing value in the given columns. */
function complete(t, names) {
  const idx = names.map((c) => t.columns.indexOf(c));
  return {
    columns: t.columns,
    rows: t.rows.filter((r) => idx.every((i) => r[i] !== null && r[i] !== undefined)),
  };
}

/** Features and integer class labels of a classification table. */
function classification(t, features, target) {
  const rows = complete(t, [...features, target]);
  const ti = t.columns.indexOf(target);
  const classes = [...new Set(rows.rows.map((r) => r[ti]))].sort();
  return {
    x: columns(rows, features),
    y: tensor(rows.rows.map((r) => classes.indexOf(r[ti]))),
    features,
    classes,
  };
}

/**
 * Handwritten digits from the `mnist` package (10,000 in all). Returns { x: [n, 784] grey levels
 * in 0..1 (28 × 28 images, row by row), y: [n] digits 0–9 }. A seeded draw without replacement,
 * so `seed` picks which digits you get.
 * @param {{ n?: number, seed?: number }} [options]
 */
export function mnist({ n = 10000, seed } = {}) {
  const s = seed ?? Math.floor(random() * 2147483647);
  const [x, y] = /** @type {[number, number]} */ (host.k("dataMnist", n, s));
  return { x: new Tensor(x, { shape: [n, 784] }), y: new Tensor(y, { shape: [n] }) };
}

/**
 * Iris flowers. Returns { x: [150, 4] measurements in cm, y: [150] species 0–2, features:
 * ["sepalLength", "sepalWidth", "petalLength", "petalWidth"], classes: ["setosa", "versicolor",
 * "virginica"] }.
 */
export function iris() {
  return classification(table("iris"), ["sepalLength", "sepalWidth", "petalLength", "petalWidth"], "species");
}

/**
 * Palmer penguins, rows with missing measurements dropped. Returns { x: [342, 4], y: [342]
 * species 0–2, features: ["Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)",
 * "Body Mass (g)"], classes: ["Adelie", "Chinstrap", "Gentoo"] }.
 */
export function penguins() {
  const features = ["Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)"];
  return classification(table("penguins"), features, "Species");
}

/**
 * Boston house prices. Returns { x: [506, 13], y: [506, 1] median value in $1000 (medv),
 * features: the 13 column names, "crim" … "lstat" }.
 */
export function boston() {
  const t = table("boston");
  const features = t.columns.filter((c) => c !== "medv");
  return { x: columns(t, features), y: columns(t, ["medv"]), features };
}

/**
 * CPS 1985 wages. Returns { x: [534, 1] years of experience (or the column `feature`), y: [534, 1]
 * hourly wage in dollars, table: the raw table (see `table`) }.
 */
export function wages({ feature = "experience" } = {}) {
  const t = table("wages");
  return { x: columns(t, [feature]), y: columns(t, ["wage"]), table: t };
}

/**
 * Car models (vega-datasets). Returns the raw table { columns, rows } (406 rows; columns Name,
 * Miles_per_Gallon, Cylinders, Displacement, Horsepower, Weight_in_lbs, Acceleration, Year,
 * Origin; missing cells are null).
 */
export function cars() {
  return table("cars");
}

/**
 * Monthly prices 2000–2010 of MSFT, AMZN, IBM, GOOG or AAPL. Returns { dates: list of date
 * strings ("Jan 1 2000"…), price: [n] monthly prices } (123 months for AAPL).
 */
export function stocks({ symbol = "AAPL" } = {}) {
  const t = table("stocks");
  const rows = t.rows.filter((r) => r[0] === symbol);
  if (rows.length === 0) throw new Error(`stocks: unknown symbol "${symbol}"`);
  return { dates: rows.map((r) => r[1]), price: tensor(rows.map((r) => r[2])) };
}

/** The S&P 500 index, monthly 2000–2010. Returns { dates: list of date strings, price: [123] }. */
export function sp500() {
  const t = table("sp500");
  return { dates: t.rows.map((r) => r[0]), price: tensor(t.rows.map((r) => r[1])) };
}

/** English first names. Returns a list of strings (`sex`: "female" 4951, "male" or "all" 8849). */
export function names({ sex = "all" } = {}) {
  /** @param {string} name */
  const pick = (name) => /** @type {string} */ (host.k("dataText", name)).split("\n");
  if (sex === "female") return pick("femaleNames");
  if (sex === "male") return pick("maleNames");
  return [...pick("femaleNames"), ...pick("maleNames")];
}

/** The full text of Moby-Dick (public domain). Returns one string (about 1.2 million characters). */
export function mobyDick() {
  return host.k("dataText", "mobyDick");
}
