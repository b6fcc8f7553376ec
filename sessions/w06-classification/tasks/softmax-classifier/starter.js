import { tensor, zeros, data, plot, metrics } from "scratch";

function oneHot(labels, k) {
  return tensor(labels.map((c) => Array.from({ length: k }, (_, j) => (j === c ? 1 : 0))));
}

function crossEntropy(P, Y) {
  return Y.mul(P.log()).sum(1).mean().neg().item();
}

export function probabilities(X, W, b) {
  // TODO: softmax of the scores XW + b, row by row
  return zeros([X.shape[0], W.shape[1]]);
}

export function gradients(X, Y, W, b) {
  // TODO: X^T (P - Y) / m and the column means of P - Y
  return { dW: zeros(W.shape), db: zeros(b.shape) };
}

export function train(X, Y, { lr, epochs, onEpoch }) {
  let W = zeros([X.shape[1], Y.shape[1]]);
  let b = zeros([Y.shape[1]]);
  for (let epoch = 0; epoch < epochs; epoch++) {
    onEpoch?.(epoch, W, b);
    // TODO: one gradient-descent step on W and b
  }
  return { W, b };
}

export function predict(X, W, b) {
  // TODO: the most probable class of each row, as a plain array
  return new Array(X.shape[0]).fill(0);
}

// Iris: every fifth flower is a test flower; features standardised with the training statistics.
const iris = data.iris();
const labels = iris.y.toArray();
const rows = iris.x.toArray();
const pick = (keep) => rows.filter((_, i) => keep(i));
const trainRows = tensor(pick((i) => i % 5 !== 0));
const mean = trainRows.mean(0);
const std = trainRows.sub(mean).pow(2).mean(0).sqrt();
const scale = (X) => X.sub(mean).div(std);
export const split = {
  Xtrain: scale(trainRows),
  ytrain: labels.filter((_, i) => i % 5 !== 0),
  Xtest: scale(tensor(pick((i) => i % 5 === 0))),
  ytest: labels.filter((_, i) => i % 5 === 0),
};

const Ytrain = oneHot(split.ytrain, 3);
const model = train(split.Xtrain, Ytrain, {
  lr: 0.5,
  epochs: 200,
  onEpoch: (epoch, W, b) => {
    if (epoch % 10 === 0) metrics.log("loss", crossEntropy(probabilities(split.Xtrain, W, b), Ytrain), epoch);
  },
});
export const trained = model;
const predicted = predict(split.Xtest, model.W, model.b);
export const testAccuracy = predicted.filter((p, i) => p === split.ytest[i]).length / split.ytest.length;
console.log(`test accuracy ${testAccuracy} on ${split.ytest.length} flowers (${iris.classes.join(", ")})`);
const cm = [0, 1, 2].map((t) =>
  [0, 1, 2].map((p) => predicted.filter((q, i) => q === p && split.ytest[i] === t).length),
);
plot.heatmap(cm, { title: "test confusion matrix (rows: true species)" });
