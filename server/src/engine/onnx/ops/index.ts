/**
 * The ONNX op registry: one translator per operator type (ai.onnx domain), each a small function
 * from a node and the translation's context to steps and values, grouped by family in this folder
 * (in the manner of TF.js converter's executors). The translator (../translate.ts) walks the graph
 * and calls the one registered for each node; an operator missing here is refused before any work.
 */
import type { OnnxNode } from "../proto.js";
import type { TranslationContext } from "../context.js";
import {
  translateClip, translateElu, translateErf, translateGelu, translateLeakyRelu, translateRelu, translateSigmoid, translateSoftmax,
  translateSoftplus, translateTanh,
} from "./activations.js";
import { translateConv } from "./conv.js";
import { translateArithmetic } from "./elementwise.js";
import { translateGemm, translateMatMul } from "./gemm-matmul.js";
import { translateBatchNormalization } from "./normalization.js";
import { translateGlobalAveragePool, translatePool, translateReduceMean } from "./pooling.js";
import {
  translateConcat, translateConstant, translateConstantOfShape, translateFlatten, translateGather, translatePad, translatePassThrough,
  translateReshape, translateShape, translateSlice, translateSqueeze, translateTranspose,
} from "./shape-ops.js";

/** Adds the node's steps and sets its outputs; refuses (EngineInputError) what the engine cannot evaluate. */
export type OnnxOpTranslator = (n: OnnxNode, ctx: TranslationContext) => void;

/** Every operator the engine reads, in the order error messages list them. */
export const ONNX_OP_TRANSLATORS = {
  Conv: translateConv,
  Gemm: translateGemm,
  MatMul: translateMatMul,
  Add: translateArithmetic,
  Sub: translateArithmetic,
  Mul: translateArithmetic,
  Div: translateArithmetic,
  Pow: translateArithmetic,
  Relu: translateRelu,
  LeakyRelu: translateLeakyRelu,
  Elu: translateElu,
  Sigmoid: translateSigmoid,
  Tanh: translateTanh,
  Softmax: translateSoftmax,
  LogSoftmax: translateSoftmax,
  Gelu: translateGelu,
  Erf: translateErf,
  Clip: translateClip,
  BatchNormalization: translateBatchNormalization,
  MaxPool: translatePool,
  AveragePool: translatePool,
  GlobalAveragePool: translateGlobalAveragePool,
  ReduceMean: translateReduceMean,
  Flatten: translateFlatten,
  Reshape: translateReshape,
  Transpose: translateTranspose,
  Concat: translateConcat,
  Pad: translatePad,
  Dropout: translatePassThrough,
  Identity: translatePassThrough,
  Constant: translateConstant,
  Shape: translateShape,
  Gather: translateGather,
  Unsqueeze: translateSqueeze,
  Squeeze: translateSqueeze,
  Cast: translatePassThrough,
  Softplus: translateSoftplus,
  ConstantOfShape: translateConstantOfShape,
  Slice: translateSlice,
} as const satisfies Record<string, OnnxOpTranslator>;

export type OnnxOpType = keyof typeof ONNX_OP_TRANSLATORS;

/** The operators the translator reads (ai.onnx domain). */
export const SUPPORTED_ONNX_OPS: readonly OnnxOpType[] = Object.keys(ONNX_OP_TRANSLATORS) as OnnxOpType[];

/** The translator of an operator type, or undefined (also for names such as "constructor"). */
export function translatorOf(opType: string): OnnxOpTranslator | undefined {
  return Object.hasOwn(ONNX_OP_TRANSLATORS, opType) ? ONNX_OP_TRANSLATORS[opType as OnnxOpType] : undefined;
}
