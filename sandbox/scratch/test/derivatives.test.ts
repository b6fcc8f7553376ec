/**
 * Each fused backward kernel agrees with its readable guest-side form in guest/derivatives.js, on
 * generated inputs with ties, negatives and broadcasting-free shapes (as Adam's fused step agrees
 * with Adam.update in optim tests).
 */
import fc from "fast-check";
import { expect, it } from "vitest";
import { installDirectHost } from "../testing/install.js";
import { arrOf, params, quarter, shapeArb } from "../testing/property.js";
import type { Arr } from "../testing/reference.js";

const host = await installDirectHost("cpu");
const S = await import("scratch");
const D = await import("scratch/derivatives");

type T = {
  handle: number;
  data(): Float32Array;
  sigmoid(): T;
  tanh(): T;
  softmax(a: number): T;
  logSoftmax(a: number): T;
  max(a: number[] | undefined, k: boolean): T;
};
const t = (a: Arr): T => S.tensor(Float32Array.from(a.data), a.shape) as T;
const fused = (op: string, ...args: unknown[]) =>
  Array.from(host.tensor(host.k(op, ...args) as number).dataSync());
const close = (a: number[], b: number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i] ?? Number.NaN, 5));

const inputs = shapeArb({ minRank: 1, min: 1 }).chain((s) => fc.tuple(arrOf(s), arrOf(s, quarter)));

it("relu, sigmoid and tanh backward: fused kernel = readable form", () =>
  fc.assert(
    fc.property(inputs, ([x, g]) => {
      const [xt, gt] = [t(x), t(g)];
      close(fused("reluBackward", xt.handle, gt.handle), Array.from(D.reluBackward(xt, gt).data()));
      const s = xt.sigmoid();
      close(fused("sigmoidBackward", s.handle, gt.handle), Array.from(D.sigmoidBackward(s, gt).data()));
      const h = xt.tanh();
      close(fused("tanhBackward", h.handle, gt.handle), Array.from(D.tanhBackward(h, gt).data()));
    }),
    params(),
  ));

it("softmax, logSoftmax and max/min backward: fused kernel = readable form", () =>
  fc.assert(
    fc.property(inputs, ([x, g]) => {
      const [xt, gt] = [t(x), t(g)];
      const axis = x.shape.length - 1;
      const y = xt.softmax(axis);
      close(
        fused("softmaxBackward", y.handle, gt.handle, axis),
        Array.from(D.softmaxBackward(y, gt, axis).data()),
      );
      const l = xt.logSoftmax(axis);
      close(
        fused("logSoftmaxBackward", l.handle, gt.handle, axis),
        Array.from(D.logSoftmaxBackward(l, gt, axis).data()),
      );
      const m = xt.max([axis], true);
      const gm = S.ones([...x.shape.slice(0, -1), 1]) as T;
      close(
        fused("extremeBackward", xt.handle, m.handle, gm.handle, [axis]),
        Array.from(D.extremeBackward(xt, m, gm, [axis]).data()),
      );
    }),
    params(),
  ));

const dims = (lo: number, hi: number) => fc.integer({ min: lo, max: hi });
const data = (x: T) => Array.from(x.data());

it("sumTo: fused kernel = readable form, broadcasting on leading and size-1 axes", () =>
  fc.assert(
    fc.property(
      shapeArb({ minRank: 1, min: 1 }).chain((s) =>
        fc.tuple(
          fc.constant(s),
          fc.integer({ min: 0, max: s.length }),
          fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }),
          arrOf(s),
        ),
      ),
      ([shape, drop, ones, g]) => {
        const target = shape.slice(drop).map((d, i) => (ones[i + drop] === true ? 1 : d));
        const gt = t(g);
        close(fused("sumTo", gt.handle, target), data(D.sumTo(gt, target)));
      },
    ),
    params(),
  ));

it("gather backward: fused kernel = readable form, repeated indices accumulate", () =>
  fc.assert(
    fc.property(
      shapeArb({ minRank: 1, maxRank: 3, min: 1 }).chain((s) =>
        fc.tuple(fc.constant(s), fc.integer({ min: 0, max: s.length - 1 })).chain(([shape, axis]) => {
          const n = shape[axis] ?? 1;
          return fc
            .array(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: 2 * n + 1 })
            .chain((idx) =>
              fc.tuple(
                fc.constant(shape),
                fc.constant(axis),
                fc.constant(idx),
                arrOf([...shape.slice(0, axis), idx.length, ...shape.slice(axis + 1)]),
              ),
            );
        }),
      ),
      ([shape, axis, idx, g]) => {
        const [gt, it] = [t(g), S.tensor(idx) as T];
        close(
          fused("gatherBackward", gt.handle, it.handle, shape, axis),
          data(D.gatherBackward(gt, it, shape, axis)),
        );
      },
    ),
    params(),
  ));

/** NCHW input, filter and output-gradient shapes with every stride and padding that fits. */
const windows = (maxPad: (k: number) => number) =>
  fc
    .record({
      n: dims(1, 2),
      c: dims(1, 2),
      o: dims(1, 2),
      h: dims(1, 5),
      w: dims(1, 5),
      kh: dims(1, 3),
      kw: dims(1, 3),
    })
    .chain((d) =>
      fc.record({
        d: fc.constant(d),
        stride: fc.tuple(dims(1, 3), dims(1, 3)),
        pad: fc.tuple(dims(0, maxPad(d.kh)), dims(0, maxPad(d.kw))),
      }),
    )
    .filter(({ d, pad }) => d.h + 2 * pad[0] >= d.kh && d.w + 2 * pad[1] >= d.kw)
    .map(({ d, stride, pad }) => ({
      ...d,
      stride,
      pad,
      oh: Math.floor((d.h + 2 * pad[0] - d.kh) / stride[0]) + 1,
      ow: Math.floor((d.w + 2 * pad[1] - d.kw) / stride[1]) + 1,
    }));

it("conv2d backward (input and filter): fused kernels = readable forms, with stride and padding", () =>
  fc.assert(
    fc.property(
      windows((k) => k - 1).chain((c) =>
        fc.tuple(
          fc.constant(c),
          arrOf([c.n, c.c, c.h, c.w]),
          arrOf([c.o, c.c, c.kh, c.kw]),
          arrOf([c.n, c.o, c.oh, c.ow]),
        ),
      ),
      ([c, x, w, g]) => {
        const [xt, wt, gt] = [t(x), t(w), t(g)];
        close(
          fused("conv2dBackwardInput", gt.handle, wt.handle, x.shape, c.stride, c.pad),
          data(D.conv2dBackwardInput(gt, wt, [...x.shape], c.stride, c.pad)),
        );
        close(
          fused("conv2dBackwardFilter", xt.handle, gt.handle, w.shape, c.stride, c.pad),
          data(D.conv2dBackwardFilter(xt, gt, [...w.shape], c.stride, c.pad)),
        );
      },
    ),
    params(),
  ));

it("maxPool2d and avgPool2d backward: fused kernels = readable forms, ties, padding, non-square kernels and strides", () =>
  fc.assert(
    fc.property(
      windows((k) => Math.floor(k / 2))
        .filter((c) => c.pad[0] === c.pad[1])
        .chain((c) => fc.tuple(fc.constant(c), arrOf([c.n, c.c, c.h, c.w]), arrOf([c.n, c.c, c.oh, c.ow]))),
      ([c, x, g]) => {
        const [xt, gt] = [t(x), t(g)];
        const k = [c.kh, c.kw];
        for (const op of ["maxPool2dBackward", "avgPool2dBackward"] as const)
          close(
            fused(op, gt.handle, xt.handle, k, c.stride, c.pad[0]),
            data(D[op](gt, xt, k, c.stride, c.pad[0])),
          );
      },
    ),
    params(),
  ));
