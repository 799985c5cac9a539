/**
 * ONNX Conv: 2-D convolutions, plain, depthwise and grouped, with explicit or automatic padding.
 */
import type { TranslationContext } from "../context.js";
import { type OnnxNode, intAttr, intsAttr } from "../proto.js";
import type { Act } from "../values.js";

/** Conv: 2-D, plain, depthwise or grouped; OIHW weights become HWIO kernels. */
export function translateConv(n: OnnxNode, ctx: TranslationContext): void {
  const { inits, refuse, act, set, addStep, toNhwc, param, padSpatial, spatialPads } = ctx;
  ctx.hasConv = true;
  const x = toNhwc(act(n, 0), n);
  const wName = n.input?.[1] ?? "";
  const wInit = inits.get(wName);
  if (wInit === undefined) return refuse(n, `takes its weight from "${wName}", which is not an initializer`);
  const wd = (wInit.dims ?? []).map(Number);
  if (wd.length !== 4) refuse(n, `has a weight of rank ${wd.length}; the engine evaluates 2-D convolutions (weight [O, I, kH, kW])`);
  const [o, ig, kh, kw] = wd as [number, number, number, number];
  const groups = intAttr(n, "group", 1);
  const cin = x.shape[2]!;
  if (ig * groups !== cin || o % groups !== 0) refuse(n, `has a weight [${wd.join(", ")}] with group=${groups} that does not fit ${cin} input channels`);
  const strides = intsAttr(n, "strides") ?? [1, 1];
  const dilations = intsAttr(n, "dilations") ?? [1, 1];
  const pads = spatialPads(n, x, [kh, kw], strides, dilations);
  // Pads equal to TF's "same" (stride 1, odd kernels: (k - 1) / 2 on each side) need no Pad step.
  const grouped = !(groups === 1 || (ig === 1 && groups === cin));
  const same = !grouped && [0, 1].every((a) => {
    const size = x.shape[a]!;
    const k = ([kh, kw][a]! - 1) * dilations[a]! + 1;
    const total = Math.max((Math.ceil(size / strides[a]!) - 1) * strides[a]! + k - size, 0);
    return pads[a] === Math.floor(total / 2) && pads[a + 2] === total - Math.floor(total / 2);
  }) && pads.some((p) => p > 0);
  const padded = same ? x : padSpatial(n, x, pads, 0);
  const config = { strides, dilationRate: dilations, padding: same ? "same" : "valid", activation: "linear", dataFormat: "channelsLast" };
  const bName = n.input?.[2];
  let out: Act;
  if (groups === 1) {
    const kernel = param(n, wName, "kernel", "kernel", wd, [2, 3, 1, 0]);
    const bias = bName ? param(n, bName, "bias", "bias", [o], [0]) : undefined;
    out = addStep(n, "Conv2D", config, { kernel, ...(bias === undefined ? {} : { bias }) }, [padded], "nhwc");
  } else if (ig === 1 && groups === cin) {
    // Depthwise: PyTorch's [C * M, 1, kH, kW] is TF's [kH, kW, C, M] (output c * M + m).
    const multiplier = o / cin;
    const kernel = param(n, wName, "depthwise_kernel", "kernel", [cin, multiplier, kh, kw], [2, 3, 0, 1]);
    const bias = bName ? param(n, bName, "bias", "bias", [o], [0]) : undefined;
    out = addStep(n, "DepthwiseConv2D", { ...config, depthMultiplier: multiplier }, { depthwise_kernel: kernel, ...(bias === undefined ? {} : { bias }) }, [padded], "nhwc");
  } else {
    const kernel = param(n, wName, "kernel", "kernel", wd, [2, 3, 1, 0]);
    const bias = bName ? param(n, bName, "bias", "bias", [o], [0]) : undefined;
    out = addStep(n, "GroupedConv2D", { ...config, groups }, { kernel, ...(bias === undefined ? {} : { bias }) }, [padded], "nhwc");
  }
  set(n, 0, out);
}
