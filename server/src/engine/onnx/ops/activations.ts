/**
 * ONNX activations: Relu, Sigmoid, Tanh, Softplus, Erf, LeakyRelu, Elu, Gelu, Clip, Softmax, LogSoftmax.
 */
import type { TranslationContext } from "../context.js";
import { type OnnxNode, floatAttr, intAttr, stringAttr } from "../proto.js";

/** Gelu: exact (erf) or its tanh approximation. */
export function translateGelu(n: OnnxNode, ctx: TranslationContext): void {
  const { refuse, unary } = ctx;
  const approximate = stringAttr(n, "approximate") ?? "none";
  if (approximate !== "none" && approximate !== "tanh") refuse(n, `has approximate="${approximate}"`);
  unary(n, "Activation", { activation: approximate === "tanh" ? "gelu_new" : "gelu" });
}

/** Clip: bounds from inputs (opset 11+) or attributes (older exports). */
export function translateClip(n: OnnxNode, ctx: TranslationContext): void {
  const { constant, unary } = ctx;
  const lo = n.input?.[1] ? constant(n, 1, "its minimum").values[0]! : floatAttr(n, "min", -3.4028234663852886e38);
  const hi = n.input?.[2] ? constant(n, 2, "its maximum").values[0]! : floatAttr(n, "max", 3.4028234663852886e38);
  unary(n, "Clip", { min: lo, max: hi });
}

/** Softmax and LogSoftmax over the last axis. */
export function translateSoftmax(n: OnnxNode, ctx: TranslationContext): void {
  const { opset, refuse, act, set, addStep, toPlain } = ctx;
  const op = n.op_type;
  const x = toPlain(act(n, 0));
  const rank = x.shape.length + 1;
  let axis = intAttr(n, "axis", opset >= 13 ? -1 : 1);
  if (axis < 0) axis += rank;
  if (axis !== rank - 1) refuse(n, `normalizes over axis ${axis} of a rank-${rank} tensor; the engine supports the last axis`);
  set(n, 0, addStep(n, op, { axis: -1 }, {}, [x], "plain"));
}

/** An activation that is one step of the same class, configured from the node. */
function unaryOp(className: string, config: (n: OnnxNode) => Record<string, unknown>) {
  return (n: OnnxNode, ctx: TranslationContext): void => ctx.unary(n, className, config(n));
}

export const translateRelu = unaryOp("Activation", () => ({ activation: "relu" }));
export const translateSigmoid = unaryOp("Activation", () => ({ activation: "sigmoid" }));
export const translateTanh = unaryOp("Activation", () => ({ activation: "tanh" }));
export const translateSoftplus = unaryOp("Activation", () => ({ activation: "softplus" }));
export const translateErf = unaryOp("Erf", () => ({}));
export const translateLeakyRelu = unaryOp("LeakyReLU", (n) => ({ alpha: floatAttr(n, "alpha", 0.01) }));
export const translateElu = unaryOp("ELU", (n) => ({ alpha: floatAttr(n, "alpha", 1) }));
