import { check, expect, expectClose } from "scratch/check";
import * as attempt from "attempt";

check("unscale a line fitted on z = (x - 10) / 2", () => {
  // y = 3 z + 5 = 3 (x - 10) / 2 + 5 = 1.5 x - 10
  const got = attempt.unscale({ w: 3, b: 5 }, { mean: 10, std: 2 });
  expect(
    Math.abs(got.slope - 6) > 1e-9,
    "slope came out as w * std",
    "z = (x - mean) / std, so the slope is w / std",
  );
  expectClose([got.slope, got.intercept], [1.5, -10], { what: "[slope, intercept]" });
});

check("the unscaled line predicts what the scaled one does", () => {
  const model = { w: -0.7, b: 2.5 };
  const scaling = { mean: -3, std: 0.5 };
  const { slope, intercept } = attempt.unscale(model, scaling);
  for (const x of [-4, -3, 0, 2.5]) {
    expectClose(slope * x + intercept, model.w * ((x - scaling.mean) / scaling.std) + model.b, {
      what: `x = ${x}`,
    });
  }
});
