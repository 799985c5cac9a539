/**
 * ONNX Gemm and MatMul by stored weights: Dense layers.
 */
import type { TranslationContext } from "../context.js";
import { type OnnxNode, floatAttr, intAttr, tensorValues } from "../proto.js";
import type { Act } from "../values.js";

/** Gemm: a Dense layer; PyTorch's [out, in] weight becomes an [in, out] kernel. */
export function translateGemm(n: OnnxNode, ctx: TranslationContext): void {
  const { label, inits, refuse, act, set, addStep, toPlain, param } = ctx;
  const x = toPlain(act(n, 0));
  if (x.shape.length !== 1) refuse(n, `needs a 2-D input [N, features]; it gets [N, ${x.shape.join(", ")}]`);
  if (intAttr(n, "transA", 0) !== 0) refuse(n, "has transA=1 (the batch would be a column)");
  if (floatAttr(n, "alpha", 1) !== 1 || floatAttr(n, "beta", 1) !== 1) refuse(n, "has alpha or beta other than 1");
  const wName = n.input?.[1] ?? "";
  const wInit = inits.get(wName);
  if (wInit === undefined) return refuse(n, `takes its weight from "${wName}", which is not an initializer`);
  const wd = (wInit.dims ?? []).map(Number);
  const transB = intAttr(n, "transB", 0) === 1;
  const [inDim, outDim] = transB ? [wd[1]!, wd[0]!] : [wd[0]!, wd[1]!];
  if (wd.length !== 2 || inDim !== x.shape[0]) refuse(n, `has a weight [${wd.join(", ")}] that does not fit ${x.shape[0]} inputs`);
  const kernel = param(n, wName, "kernel", "kernel", wd, transB ? [1, 0] : [0, 1]);
  const bName = n.input?.[2];
  let bias: number | undefined;
  if (bName) {
    const bInit = inits.get(bName);
    if (bInit === undefined || tensorValues(bInit, label).values.length !== outDim) refuse(n, `has a bias "${bName}" that is not a stored vector of ${outDim} values`);
    bias = param(n, bName, "bias", "bias", [outDim], [0]);
  }
  set(n, 0, addStep(n, "Dense", { units: outDim, activation: "linear" }, { kernel, ...(bias === undefined ? {} : { bias }) }, [x], "plain"));
}

/** MatMul by a stored weight matrix: a Dense layer without bias (an Add after it may give one). */
export function translateMatMul(n: OnnxNode, ctx: TranslationContext): void {
  const { inits, refuse, get, set, addStep, toPlain, param } = ctx;
  const a = get(n, 0);
  const wName = n.input?.[1] ?? "";
  const wInit = inits.get(wName);
  if (a?.kind !== "act" || wInit === undefined) return refuse(n, "multiplies anything but a computed tensor by a stored weight matrix");
  const x = toPlain(a as Act);
  const wd = (wInit.dims ?? []).map(Number);
  if (wd.length !== 2 || wd[0] !== x.shape[x.shape.length - 1]) refuse(n, `has a weight [${wd.join(", ")}] that does not fit the input [N, ${x.shape.join(", ")}]`);
  const kernel = param(n, wName, "kernel", "kernel", wd, [0, 1]);
  set(n, 0, addStep(n, "Dense", { units: wd[1], activation: "linear" }, { kernel }, [x], "plain"));
}
