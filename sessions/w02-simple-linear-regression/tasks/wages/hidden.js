import { check, expectClose } from "scratch/check";
import { data } from "scratch";
import * as attempt from "attempt";

check("a year of education is worth what least squares says", () => {
  const table = data.table("wages");
  const x = table.rows.map((r) => r[table.columns.indexOf("education")]);
  const y = table.rows.map((r) => r[table.columns.indexOf("wage")]);
  const mx = x.reduce((a, v) => a + v, 0) / x.length;
  const my = y.reduce((a, v) => a + v, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  const slope = sxy / sxx;
  expectClose([attempt.line.slope, attempt.line.intercept], [slope, my - slope * mx], {
    rtol: 1e-3,
    atol: 1e-3,
  });
});
