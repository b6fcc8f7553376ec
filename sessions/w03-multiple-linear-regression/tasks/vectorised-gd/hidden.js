import { check, expectClose } from "scratch/check";
import { tensor, data } from "scratch";
import * as attempt from "attempt";

check("on Boston, 300 epochs at lr 0.1 get within 2% of the least-squares cost", () => {
  const table = data.table("boston");
  const target = table.columns.indexOf("medv");
  const features = table.columns.filter((c) => c !== "medv");
  const X0 = tensor(table.rows.map((r) => features.map((c) => r[table.columns.indexOf(c)])));
  const mean = X0.mean(0);
  const X = X0.sub(mean).div(X0.sub(mean).pow(2).mean(0).sqrt());
  const y = tensor(table.rows.map((r) => [r[target]]));
  const { losses } = attempt.train(X, y, 0.1, 300);
  // least squares on all 13 features: MSE 21.894831, so J = MSE / 2
  expectClose(losses[losses.length - 1], 21.894831 / 2, { rtol: 0.02 });
});

check("gradients are zero at an exact fit", () => {
  const X = tensor([
    [1, 0],
    [0, 1],
    [1, 1],
  ]);
  const w = tensor([[2], [-1]]);
  const y = X.matmul(w).add(3);
  const { dw, db } = attempt.gradients(X, y, w, 3);
  expectClose(dw.toArray(), [[0], [0]], { atol: 1e-6 });
  expectClose(db, 0, { atol: 1e-6 });
});
