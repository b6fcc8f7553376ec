import { tensor, zeros, data, plot, metrics } from "scratch";

function oneHot(labels, k) {
  return tensor(labels.map((c) => Array.from({ length: k }, (_, j) => (j === c ? 1 : 0))));
}

function train(X, Y, { lr, epochs, name }) {
  const m = X.shape[0];
  let W = zeros([X.shape[1], Y.shape[1]]);
  let b = zeros([Y.shape[1]]);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const P = X.matmul(W).add(b).softmax(1);
    if (epoch % 10 === 0) metrics.log(name, Y.mul(P.log()).sum(1).mean().neg(), epoch);
    const E = P.sub(Y);
    W = W.sub(X.transpose().matmul(E).div(m).mul(lr));
    b = b.sub(E.mean(0).mul(lr));
  }
  return { W, b };
}

const predict = (X, { W, b }) => X.matmul(W).add(b).argmax(1).toArray();

export function confusionMatrix(pred, truth, k) {
  const cm = Array.from({ length: k }, () => new Array(k).fill(0));
  for (let i = 0; i < truth.length; i++) cm[truth[i]][pred[i]] += 1;
  return cm;
}

export function precisionRecall(cm) {
  const k = cm.length;
  const precision = [];
  const recall = [];
  for (let c = 0; c < k; c++) {
    let column = 0;
    let row = 0;
    for (let j = 0; j < k; j++) {
      column += cm[j][c];
      row += cm[c][j];
    }
    precision.push(column === 0 ? 0 : cm[c][c] / column);
    recall.push(row === 0 ? 0 : cm[c][c] / row);
  }
  return { precision, recall };
}

export function majorityBaseline(ytrain, ytest) {
  const counts = new Map();
  for (const y of ytrain) counts.set(y, (counts.get(y) ?? 0) + 1);
  let majority = ytrain[0];
  for (const [label, count] of counts) if (count > counts.get(majority)) majority = label;
  return ytest.filter((y) => y === majority).length / ytest.length;
}

export function f1Scores(cm) {
  const { precision, recall } = precisionRecall(cm);
  return precision.map((p, c) => (p + recall[c] === 0 ? 0 : (2 * p * recall[c]) / (p + recall[c])));
}

export function macroF1(cm) {
  const f1 = f1Scores(cm);
  return f1.reduce((a, v) => a + v, 0) / f1.length;
}

// Every fourth penguin is a test penguin; features standardised with training statistics.
const penguins = data.penguins();
const labels = penguins.y.toArray();
const rows = penguins.x.toArray();
const isTest = (i) => i % 4 === 0;
const ytrain = labels.filter((_, i) => !isTest(i));
const ytest = labels.filter((_, i) => isTest(i));

function fitOn(columns) {
  const select = (keep) => tensor(rows.filter((_, i) => keep(i)).map((r) => columns.map((c) => r[c])));
  const Xtr = select((i) => !isTest(i));
  const mean = Xtr.mean(0);
  const std = Xtr.sub(mean).pow(2).mean(0).sqrt();
  const scale = (X) => X.sub(mean).div(std);
  const name = `loss (${columns.length} features)`;
  const model = train(scale(Xtr), oneHot(ytrain, 3), { lr: 0.5, epochs: 150, name });
  return { model, scale, Xtest: scale(select(isTest)) };
}

const all = fitOn([0, 1, 2, 3]);
const cm = confusionMatrix(predict(all.Xtest, all.model), ytest, 3);
export const report = {
  cm,
  baseline: majorityBaseline(ytrain, ytest),
  macroF1: macroF1(cm),
  f1: f1Scores(cm),
};
console.log(penguins.classes.join(", "), JSON.stringify(report));

// Decision regions from beak length and depth alone, on a grid over their standardised range.
const beak = fitOn([0, 1]);
const n = 40;
const grid = [];
for (let i = 0; i < n; i++)
  for (let j = 0; j < n; j++) grid.push([-2.5 + (5 * j) / (n - 1), 2.5 - (5 * i) / (n - 1)]);
plot.heatmap(tensor(predict(tensor(grid), beak.model)).reshape([n, n]), {
  title: "predicted species from standardised beak length (x) and depth (y)",
});
plot.scatter(beak.Xtest, { labels: ytest, title: "test penguins by species" });
