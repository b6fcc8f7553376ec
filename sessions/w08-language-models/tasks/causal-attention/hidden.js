import { check, CheckFailure } from "scratch/check";
import { tensor, tidy, noGrad, randn } from "scratch";
import * as attempt from "attempt";

check("batched [B, T, d]: changing the future never changes the past", () => {
  const diff = tidy(() =>
    noGrad(() => {
      const q = randn([2, 5, 4]);
      const k = randn([2, 5, 4]);
      const v = randn([2, 5, 4]);
      const a = attempt.attention(q, k, v, attempt.causalMask(5)).out;
      // Replace position 4 (the last) of k and v by something else: outputs 0..3 must not move.
      const k2 = k
        .mul(tensor([1, 1, 1, 1, 0]).reshape([1, 5, 1]))
        .add(tensor([0, 0, 0, 0, 9]).reshape([1, 5, 1]));
      const v2 = v
        .mul(tensor([1, 1, 1, 1, 0]).reshape([1, 5, 1]))
        .add(tensor([0, 0, 0, 0, 9]).reshape([1, 5, 1]));
      const b = attempt.attention(q, k2, v2, attempt.causalMask(5)).out;
      return a.sub(b).abs().slice([0, 0, 0], [2, 4, 4]).max().item();
    }),
  );
  if (!(diff < 1e-5))
    throw new CheckFailure(
      `outputs at positions 0..3 changed by ${diff} when only position 4 changed: the future leaks (is the mask added before the softmax?)`,
    );
});

check("the attention model learned something: training loss below 2.6", () => {
  // Uses the exported trained parameters and the given model on a fixed set of names.
  const names = [
    "emma",
    "olivia",
    "noah",
    "liam",
    "ava",
    "sophia",
    "isabella",
    "mason",
    "lucas",
    "mia",
    "amelia",
    "harper",
  ];
  const loss = tidy(() =>
    noGrad(() => {
      const { X, Y, M } = attempt.encode(names);
      return attempt.maskedNll(attempt.model(attempt.params, X, attempt.causalMask(12)).logits, Y, M).item();
    }),
  );
  console.log(`loss on twelve common names: ${loss.toFixed(3)}`);
  if (!(loss < 2.6))
    throw new CheckFailure(
      `loss ${loss.toFixed(3)} on twelve common names; after training it should be well below log 27 = 3.3`,
    );
});
