import { plot } from "scratch";

export function accuracy(pred, truth) {
  // TODO
  return 0;
}

export function confusionMatrix(pred, truth, k) {
  const cm = Array.from({ length: k }, () => new Array(k).fill(0));
  // TODO: count each (true, predicted) pair
  return cm;
}

export function precisionRecall(cm) {
  const k = cm.length;
  // TODO: per class, TP / (TP + FP) and TP / (TP + FN)
  return { precision: new Array(k).fill(0), recall: new Array(k).fill(0) };
}

const truth = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2];
const pred = [0, 0, 1, 0, 1, 1, 2, 2, 2, 0, 2, 2];
const cm = confusionMatrix(pred, truth, 3);
console.log("accuracy", accuracy(pred, truth));
console.log("confusion matrix", cm);
console.log("precision / recall", precisionRecall(cm));
plot.heatmap(cm, { title: "confusion matrix (rows: true class, columns: predicted)" });
