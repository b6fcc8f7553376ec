/**
 * tfjs backend set-up shared by Node and the browser: the gradient kernels the wasm backend lacks
 * (Conv2DBackpropFilter, UnsortedSegmentSum) are registered here so that tf.grad — the oracle of
 * gradCheck — works on wasm as it does on cpu.
 */
import * as tf from "@tensorflow/tfjs-core";
import { filterGradNHWC } from "./nn.js";

let registered = false;

export function registerMissingWasmKernels(): void {
  if (registered) return;
  registered = true;
  const has = (name: string) => tf.getKernel(name, "wasm") !== undefined;
  if (!has("Conv2DBackpropFilter")) {
    tf.registerKernel({
      kernelName: "Conv2DBackpropFilter",
      backendName: "wasm",
      kernelFunc: ({ inputs, attrs }) => {
        const { x, dy } = inputs as { x: tf.Tensor4D; dy: tf.Tensor4D };
        const { strides, pad, dimRoundingMode, filterShape, dataFormat } = attrs as unknown as {
          strides: number | [number, number];
          pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
          dimRoundingMode?: "floor" | "round" | "ceil";
          filterShape: [number, number, number, number];
          dataFormat?: "NHWC" | "NCHW";
        };
        if (dataFormat === "NCHW") throw new Error("Conv2DBackpropFilter on wasm supports NHWC only");
        const info = tf.backend_util.computeConv2DInfo(
          x.shape,
          filterShape,
          strides,
          1,
          pad,
          dimRoundingMode,
          false,
          "channelsLast",
        );
        return filterGradNHWC(x, dy, filterShape, [info.strideHeight, info.strideWidth], info.padInfo);
      },
    });
  }
  if (!has("UnsortedSegmentSum")) {
    tf.registerKernel({
      kernelName: "UnsortedSegmentSum",
      backendName: "wasm",
      kernelFunc: ({ inputs, attrs }) => {
        const { x, segmentIds } = inputs as { x: tf.Tensor; segmentIds: tf.Tensor };
        const { numSegments } = attrs as unknown as { numSegments: number };
        return tf.tidy(() =>
          tf.scatterND(tf.reshape(tf.cast(segmentIds, "int32"), [-1, 1]), x, [
            numSegments,
            ...x.shape.slice(1),
          ]),
        );
      },
    });
  }
}
