import { check } from "scratch/check";
import { tensor, noGrad } from "scratch";
import * as attempt from "attempt";
import { rng, barImages } from "pack/bars";

const test = barImages(256, rng(1234));

check("the negative ELBO falls below 25 nats", () => {
  const l = attempt.losses;
  if (!l || l.length === 0 || !Number.isFinite(l[l.length - 1]))
    throw new Error("trainStep should return the loss as a number");
  const last = l.slice(-50).reduce((a, b) => a + b, 0) / Math.min(50, l.length);
  if (!(last < 25))
    throw new Error(`mean loss over the last 50 steps is ${last.toFixed(2)} nats; expected below 25`);
});

check("reconstructions from the latent mean get over 88% of pixels right", () => {
  const x = tensor(test.pixels, [256, 64]);
  const probs = noGrad(() => attempt.decode(attempt.encode(x).mu).sigmoid())
    .toArray()
    .flat();
  const right = probs.filter((p, i) => (p > 0.5 ? 1 : 0) === test.pixels[i]).length / probs.length;
  if (!(right > 0.88)) throw new Error(`${(100 * right).toFixed(1)}% of pixels right; expected over 88%`);
});

check("the latent code is used (KL above 1 nat)", () => {
  const x = tensor(test.pixels, [256, 64]);
  const kl = noGrad(() => {
    const { mu, logvar } = attempt.encode(x);
    return attempt.klToStandardNormal(mu, logvar).item();
  });
  if (!(kl > 1))
    throw new Error(`KL = ${kl.toFixed(3)}: the encoder ignores the input (posterior collapse?)`);
});
