/**
 * ONNX pooling and reductions: MaxPool, AveragePool, GlobalAveragePool, ReduceMean.
 */
import type { TranslationContext } from "../context.js";
import { type OnnxNode, intAttr, intsAttr } from "../proto.js";

/** MaxPool and AveragePool: 2-D, explicit pads as a Pad step. */
export function translatePool(n: OnnxNode, ctx: TranslationContext): void {
  const { refuse, act, set, addStep, toNhwc, padSpatial, spatialPads } = ctx;
  const op = n.op_type;
  const x = toNhwc(act(n, 0), n);
  const kernel = intsAttr(n, "kernel_shape");
  if (kernel === undefined || kernel.length !== 2) return refuse(n, "needs a 2-D kernel_shape");
  const strides = intsAttr(n, "strides") ?? [1, 1];
  const dilations = intsAttr(n, "dilations") ?? [1, 1];
  if (dilations.some((d) => d !== 1)) refuse(n, "has dilations, which the engine does not support for pooling");
  if (n.output && n.output.length > 1 && n.output[1]) refuse(n, "returns indices, which the engine does not support");
  const pads = spatialPads(n, x, kernel, strides, dilations);
  if (intAttr(n, "ceil_mode", 0) === 1) {
    for (let a = 0; a < 2; a++) {
      const span = x.shape[a]! + pads[a]! + pads[a + 2]! - kernel[a]!;
      if (span % strides[a]! !== 0) refuse(n, "has ceil_mode=1 where it changes the output size");
    }
  }
  let padded = x;
  if (op === "MaxPool") padded = padSpatial(n, x, pads, -Infinity);
  else if (pads.some((p) => p !== 0)) {
    if (intAttr(n, "count_include_pad", 0) !== 1) refuse(n, "pads without counting the padding (count_include_pad=0), which the engine does not support; use count_include_pad=True or no padding");
    padded = padSpatial(n, x, pads, 0);
  }
  set(n, 0, addStep(n, op === "MaxPool" ? "MaxPooling2D" : "AveragePooling2D", { poolSize: kernel, strides, padding: "valid", dataFormat: "channelsLast" }, {}, [padded], "nhwc"));
}

/** GlobalAveragePool: the mean over height and width, kept as [1, 1, C]. */
export function translateGlobalAveragePool(n: OnnxNode, ctx: TranslationContext): void {
  const { act, set, addStep, toNhwc } = ctx;
  const x = toNhwc(act(n, 0), n);
  set(n, 0, addStep(n, "Mean", { axes: [1, 2], keepDims: true }, {}, [x], "nhwc"));
}

/** ReduceMean over any axes but the batch axis. */
export function translateReduceMean(n: OnnxNode, ctx: TranslationContext): void {
  const { refuse, act, set, axesOf, addStep, toPlain, reshapeTo } = ctx;
  const x = act(n, 0);
  const rank = x.shape.length + 1;
  const axes = axesOf(n, rank, 1) ?? Array.from({ length: rank }, (_, i) => i);
  const keep = intAttr(n, "keepdims", 1) === 1;
  if (axes.includes(0)) refuse(n, "averages over the batch axis");
  if (x.layout === "nhwc" && axes.length === 2 && axes.includes(2) && axes.includes(3)) {
    const out = addStep(n, "Mean", { axes: [1, 2], keepDims: true }, {}, [x], "nhwc");
    set(n, 0, keep ? out : reshapeTo(n, out, [x.shape[2]!]));
  } else {
    const plain = toPlain(x);
    set(n, 0, addStep(n, "Mean", { axes, keepDims: keep }, {}, [plain], "plain"));
  }
}
