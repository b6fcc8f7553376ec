import { plot } from "scratch";

export function accuracy(pred, truth) {
  let correct = 0;
  for (let i = 0; i < truth.length; i++) if (pred[i] === truth[i]) correct++;
  return correct / truth.length;
}

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

const truth = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2];
const pred = [0, 0, 1, 0, 1, 1, 2, 2, 2, 0, 2, 2];
const cm = confusionMatrix(pred, truth, 3);
console.log("accuracy", accuracy(pred, truth));
console.log("confusion matrix", cm);
console.log("precision / recall", precisionRecall(cm));
plot.heatmap(cm, { title: "confusion matrix (rows: true class, columns: predicted)" });
