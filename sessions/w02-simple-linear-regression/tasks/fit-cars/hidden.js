import { check, expectClose } from "scratch/check";
import { data } from "scratch";
import * as attempt from "attempt";

check("the fitted line matches least squares on the cars", () => {
  const table = data.cars();
  const hp = table.columns.indexOf("Horsepower");
  const mpg = table.columns.indexOf("Miles_per_Gallon");
  const rows = table.rows.filter((r) => r[hp] !== null && r[mpg] !== null);
  const x = rows.map((r) => r[hp]);
  const y = rows.map((r) => r[mpg]);
  const mx = x.reduce((a, v) => a + v, 0) / x.length;
  const my = y.reduce((a, v) => a + v, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  for (const h of [60, 150, 220]) expectClose(attempt.predictMpg(h), slope * h + intercept, { atol: 0.05 });
});

check("zscore does not depend on the order of the data", () => {
  const a = attempt.zscore([10, 20, 30, 40]);
  const b = attempt.zscore([40, 10, 30, 20]);
  expectClose([a.mean, a.std], [b.mean, b.std]);
});
