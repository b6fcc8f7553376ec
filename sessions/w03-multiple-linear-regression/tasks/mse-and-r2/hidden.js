import { check } from "scratch/check";
import * as attempt from "attempt";

check("all features beat lstat alone on the test set", () => {
  const one = attempt.results["lstat only"];
  const all = attempt.results["all 13 features"];
  if (!(all.testMse < one.testMse))
    throw new Error(`test MSE ${all.testMse} (all) is not below ${one.testMse} (lstat only)`);
  if (!(all.testR2 > 0.6)) throw new Error(`test R² with all features is ${all.testR2}, expected above 0.6`);
  if (!(one.testR2 > 0.4 && one.testR2 < all.testR2))
    throw new Error(`test R² with lstat only is ${one.testR2}`);
});
