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
