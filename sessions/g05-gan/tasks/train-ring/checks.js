import { check } from "scratch/check";
import { randn, noGrad } from "scratch";
import * as attempt from "attempt";

const samples = noGrad(() => attempt.generator.forward(randn([1000, 2]))).toArray();
const radius = samples.map(([x, y]) => Math.hypot(x, y));

check("trainStep returns both losses as numbers", () => {
  const { d, g } = attempt.history;
  if (!Number.isFinite(d[d.length - 1]) || !Number.isFinite(g[g.length - 1]))
    throw new Error("return { d: lossD.item(), g: lossG.item() }");
});

check("generated points lie on the ring (radius 2)", () => {
  const near = radius.filter((r) => Math.abs(r - 2) < 0.5).length / radius.length;
  const mean = radius.reduce((a, b) => a + b, 0) / radius.length;
  if (!(near > 0.8))
    throw new Error(
      `${(100 * near).toFixed(1)}% of samples within 0.5 of the ring (mean radius ${mean.toFixed(2)}); expected over 80%`,
    );
});

check("the samples go all the way round (8 sectors, each over 4%)", () => {
  const counts = new Array(8).fill(0);
  for (const [x, y] of samples) counts[Math.floor(((Math.atan2(y, x) + Math.PI) / (2 * Math.PI)) * 8) % 8]++;
  const low = counts.map((c, k) => [k, c / samples.length]).filter(([, f]) => f < 0.04);
  if (low.length)
    throw new Error(
      `sectors with too few samples: ${low.map(([k, f]) => `${k * 45}°–${k * 45 + 45}°: ${(100 * f).toFixed(1)}%`).join(", ")} — mode collapse?`,
    );
});
