import { check } from "scratch/check";
import * as attempt from "attempt";
import { rng } from "pack/cartpole";

check("size grows with pushes up to the capacity", () => {
  const b = new attempt.ReplayBuffer(3);
  const sizes = [];
  for (let i = 0; i < 5; i++) {
    b.push({ i });
    sizes.push(b.size);
  }
  if (JSON.stringify(sizes) !== "[1,2,3,3,3]")
    throw new Error(`sizes after each push: ${JSON.stringify(sizes)}, expected [1,2,3,3,3]`);
});

check("a full buffer overwrites the oldest transitions", () => {
  const b = new attempt.ReplayBuffer(3);
  for (let i = 0; i < 5; i++) b.push({ i });
  let k = 0;
  const u = () => ((k++ % 3) + 0.5) / 3;
  const seen = new Set(b.sample(30, u).map((t) => t.i));
  const want = [2, 3, 4];
  if (seen.size !== 3 || !want.every((i) => seen.has(i)))
    throw new Error(
      `after pushing 0..4 into capacity 3, samples contained ${[...seen].sort()}; expected exactly 2, 3, 4`,
    );
});

check("sample(n) returns n stored transitions, uniformly with replacement", () => {
  const b = new attempt.ReplayBuffer(100);
  for (let i = 0; i < 10; i++) b.push({ i });
  const draws = b.sample(5000, rng(11));
  if (draws.length !== 5000) throw new Error(`expected 5000 transitions, got ${draws.length}`);
  const counts = new Array(10).fill(0);
  for (const d of draws) counts[d.i]++;
  if (counts.some((c) => c < 400 || c > 600))
    throw new Error(`counts per stored transition ${JSON.stringify(counts)}; expected about 500 each`);
});
