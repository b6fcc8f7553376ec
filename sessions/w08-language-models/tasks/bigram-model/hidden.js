import { check, CheckFailure } from "scratch/check";
import { data } from "scratch";
import * as attempt from "attempt";

check("on the real names the held-out NLL is about 2.42", () => {
  const names = data
    .names()
    .map((s) => s.toLowerCase())
    .filter((s) => /^[a-z]+$/.test(s));
  const train = names.filter((_, i) => i % 10 !== 0);
  const test = names.filter((_, i) => i % 10 === 0);
  const got = attempt.nll(test, attempt.probabilities(attempt.countBigrams(train), 1));
  if (!(got > 2.3 && got < 2.55)) throw new CheckFailure(`held-out NLL ${got}, expected about 2.42`);
});
