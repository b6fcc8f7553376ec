import { check } from "scratch/check";
import * as attempt from "attempt";

check("the place-cell model carries information on held-out bins", () => {
  const best = Math.max(...attempt.scores.map((s) => s.bits));
  if (!(best > 0.3))
    throw new Error(`expected more than 0.3 bits per spike for the best lambda, got ${best}`);
});
