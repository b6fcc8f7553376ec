import { check, expectClose } from "scratch/check";
import { tensor, zeros } from "scratch";
import * as attempt from "attempt";

// A plain-JavaScript reference block.
const mm = (A, B) => A.map((r) => B[0].map((_, j) => r.reduce((s, a, k) => s + a * B[k][j], 0)));
const addRow = (A, b) => A.map((r) => r.map((v, j) => v + b[j]));
const ln = (A, g, c) =>
  A.map((r) => {
    const m = r.reduce((a, b) => a + b, 0) / r.length;
    const v = r.reduce((a, b) => a + (b - m) ** 2, 0) / r.length;
    return r.map((x, j) => ((x - m) / Math.sqrt(v + 1e-5)) * g[j] + c[j]);
  });
function refBlock(x, p) {
  const a = ln(x, p.g1, p.c1);
  const q = mm(a, p.Wq),
    k = mm(a, p.Wk),
    v = mm(a, p.Wv);
  const att = q.map((qi, i) => {
    const s = k.map((kj, j) =>
      j > i ? -Infinity : qi.reduce((acc, x, c) => acc + x * kj[c], 0) / Math.sqrt(qi.length),
    );
    const mx = Math.max(...s);
    const e = s.map((z) => Math.exp(z - mx));
    const sum = e.reduce((acc, z) => acc + z, 0);
    return v[0].map((_, c) => e.reduce((acc, w, j) => acc + (w / sum) * v[j][c], 0));
  });
  const h = x.map((r, i) => r.map((val, j) => val + mm(att, p.Wo)[i][j]));
  const m = mm(
    addRow(mm(ln(h, p.g2, p.c2), p.W1), p.b1).map((r) => r.map((z) => Math.max(z, 0))),
    p.W2,
  );
  return h.map((r, i) => r.map((val, j) => val + m[i][j] + p.b2[j]));
}
let s = 7;
const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
const mat = (r, c) => Array.from({ length: r }, () => Array.from({ length: c }, rnd));
const vec = (n) => Array.from({ length: n }, rnd);
const P = {
  g1: vec(4),
  c1: vec(4),
  Wq: mat(4, 4),
  Wk: mat(4, 4),
  Wv: mat(4, 4),
  Wo: mat(4, 4),
  g2: vec(4),
  c2: vec(4),
  W1: mat(4, 6),
  b1: vec(6),
  W2: mat(6, 4),
  b2: vec(4),
};
const X = mat(3, 4);
const asTensors = (p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, tensor(v)]));

check("layerNorm gives every row mean 0 and variance 1", () => {
  const y = attempt
    .layerNorm(
      tensor([
        [1, 2, 3, 6],
        [-1, 0, 0, 5],
      ]),
      null,
      null,
    )
    .toArray();
  for (const r of y) {
    const m = r.reduce((a, b) => a + b, 0) / 4;
    const v = r.reduce((a, b) => a + (b - m) ** 2, 0) / 4;
    if (Math.abs(m) > 1e-4 || Math.abs(v - 1) > 1e-3)
      throw new Error(`row mean ${m.toFixed(4)}, variance ${v.toFixed(4)}: normalise each row (axis 1)`);
  }
});

check("layerNorm applies gain and bias", () => {
  expectClose(attempt.layerNorm(tensor(X), tensor(P.g1), tensor(P.c1)), ln(X, P.g1, P.c1), { atol: 1e-4 });
});

check("block matches a plain-JavaScript block", () => {
  expectClose(attempt.block(tensor(X), asTensors(P), attempt.causalMask(3)), refBlock(X, P), {
    atol: 1e-4,
    rtol: 1e-4,
  });
});

check("with zero output weights the residual paths return x", () => {
  const p = asTensors({
    ...P,
    Wo: mat(4, 4).map((r) => r.map(() => 0)),
    W2: mat(6, 4).map((r) => r.map(() => 0)),
    b2: [0, 0, 0, 0],
  });
  expectClose(attempt.block(tensor(X), p, attempt.causalMask(3)), X, { atol: 1e-5 });
});

check("the block is causal", () => {
  const X2 = X.map((r, i) => (i === 2 ? [9, -9, 9, -9] : r));
  const a = attempt.block(tensor(X), asTensors(P), attempt.causalMask(3)).toArray();
  const b = attempt.block(tensor(X2), asTensors(P), attempt.causalMask(3)).toArray();
  expectClose(b.slice(0, 2), a.slice(0, 2), { atol: 1e-5 });
});
