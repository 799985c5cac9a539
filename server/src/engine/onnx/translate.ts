/**
 * ONNX graph -> the engine's own network description (parameters, theta, steps), once at load.
 *
 * Images are NCHW in ONNX and NHWC in the engine: a 4-D value is kept channels-last ("nhwc"
 * layout: stored [N, H, W, C] for the graph's [N, C, H, W]) from the input to wherever the graph
 * reads it as a plain array (Flatten, Reshape, Transpose), where one Permute step puts it back in
 * ONNX order. Kernels are transposed once (OIHW -> HWIO, a Gemm's [out, in] -> [in, out]), so a
 * filter is the last axis, as the engine's filter normalization expects, and it is the same
 * filter PyTorch's dim 0 names. The Shape/Gather/Unsqueeze/Concat chains of `x.view(x.size(0), -1)`
 * are folded with the batch size kept symbolic. What the engine cannot evaluate is refused here,
 * naming the operator and the node, and so is a graph beyond the size bounds of bounds.ts.
 *
 * This file walks the graph (opset, bounds, the one input, initializers, the output); each
 * operator is translated by its own small function in ops/, found through the registry there.
 */
import * as tf from "@tensorflow/tfjs-core";
import { EngineInputError } from "../errors.js";
import type { LossSpec } from "../loss.js";
import type { OnnxParamLayout, Param, Step } from "../model-types.js";
import { assertGraphBounds } from "./bounds.js";
import { createTranslationContext, disposeTranslation } from "./context.js";
import { SUPPORTED_ONNX_OPS, translatorOf } from "./ops/index.js";
import { type OnnxModel, initializersWithAliases } from "./proto.js";
import { TO_NHWC, prod } from "./values.js";

export type { OnnxParamLayout } from "../model-types.js";
export { SUPPORTED_ONNX_OPS } from "./ops/index.js";
export { inversePerm, permute, toEngineLayout, toOnnxLayout } from "./values.js";

export interface TranslatedGraph {
  readonly params: Param[];
  readonly theta: Float32Array[];
  readonly layouts: OnnxParamLayout[];
  readonly steps: Step[];
  readonly inputValue: number;
  readonly outputValue: number;
  /** Stored (channels-last) shape of one input sample. */
  readonly inputShape: number[];
  /** The graph's own shape of one input sample ([C, H, W] for images). */
  readonly onnxInputShape: number[];
  readonly outputShape: number[];
  readonly outputActivation: "softmax" | "sigmoid" | null;
  readonly trainingLoss: LossSpec | null;
  readonly flopsPerSample: number;
  readonly notes: string[];
  /** Operators of the graph, for the summary. */
  readonly hasConv: boolean;
  readonly hasBatchNorm: boolean;
}

export const MIN_OPSET = 11;
export const MAX_OPSET = 18;

export function translateOnnx(model: OnnxModel, label: string): TranslatedGraph {
  const opset = (model.opset_import ?? []).find((o) => (o.domain ?? "") === "" || o.domain === "ai.onnx")?.version;
  if (opset === undefined) throw new EngineInputError(`${label}: the ONNX file names no opset of the standard domain`);
  if (opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new EngineInputError(`${label}: the ONNX file uses opset ${opset}; the engine reads opsets ${MIN_OPSET}-${MAX_OPSET} (export with torch.onnx.export(..., opset_version=17))`);
  }
  const graph = model.graph!;
  // Before any work per node: a graph beyond the bounds is refused whole (bounds.ts).
  assertGraphBounds(graph, label);
  const { inits, aliasNodes } = initializersWithAliases(graph);
  const nodes = (graph.node ?? []).filter((n) => !aliasNodes.has(n));
  const inputs = (graph.input ?? []).filter((i) => !inits.has(i.name));
  if (inputs.length !== 1 || (graph.output ?? []).length !== 1) {
    throw new EngineInputError(`${label}: the engine evaluates models with one input and one output (this ONNX graph has ${inputs.length} and ${(graph.output ?? []).length})`);
  }
  for (const n of nodes) {
    const domain = n.domain ?? "";
    if ((domain !== "" && domain !== "ai.onnx") || !(SUPPORTED_ONNX_OPS as readonly string[]).includes(n.op_type)) {
      throw new EngineInputError(`${label}: node "${n.name ?? ""}" uses ONNX operator ${domain && domain !== "ai.onnx" ? `${domain}.` : ""}${n.op_type}, which the engine does not support (supported: ${SUPPORTED_ONNX_OPS.join(", ")})`);
    }
  }

  const input = inputs[0]!;
  const dims = input.type?.tensor_type?.shape?.dim ?? [];
  if (dims.length < 2) throw new EngineInputError(`${label}: the graph's input "${input.name}" has rank ${dims.length}; it needs a batch axis and at least one more`);
  const declaredBatch = dims[0]!.dim_value ? Number(dims[0]!.dim_value) : null;
  const sample = dims.slice(1).map((d) => Number(d.dim_value ?? 0));
  if (sample.some((d) => !(d > 0))) {
    throw new EngineInputError(`${label}: the graph's input "${input.name}" has unknown dimensions [${dims.map((d) => d.dim_param ?? d.dim_value ?? "?").join(", ")}] beyond the batch axis; export it with a fixed input size`);
  }

  const ctx = createTranslationContext(label, opset, declaredBatch, inits);
  const inputValue = ctx.nextId++;
  const nhwcInput = sample.length === 3;
  const inputShape = nhwcInput ? TO_NHWC.slice(1).map((p) => sample[p - 1]!) : sample;
  ctx.values.set(input.name, { kind: "act", id: inputValue, shape: inputShape, layout: nhwcInput ? "nhwc" : "plain" });
  ctx.dummy.set(inputValue, tf.zeros([1, ...inputShape]));
  ctx.steps.push({ className: "InputLayer", name: input.name, config: {}, params: {}, inputs: [], output: inputValue });

  try {
    for (const n of nodes) {
      const translate = translatorOf(n.op_type);
      if (translate === undefined) return ctx.refuse(n, "is not supported");
      translate(n, ctx);
    }

    const outName = graph.output![0]!.name;
    const out = ctx.values.get(outName);
    if (out?.kind !== "act") throw new EngineInputError(`${label}: the graph's output "${outName}" is not computed from its input`);
    const final = ctx.toPlain(out);
    const last = ctx.steps.find((s) => s.output === final.id)!;
    const outputActivation = last.className === "Softmax" ? "softmax"
      : last.className === "Activation" && last.config.activation === "sigmoid" ? "sigmoid" : null;
    const classes = prod(final.shape);
    // PyTorch classifiers end in logits (nn.CrossEntropyLoss) or log-probabilities (nn.NLLLoss on
    // LogSoftmax, the same loss since log-softmax of log-probabilities is themselves).
    const trainingLoss: LossSpec | null = final.shape.length === 1 && classes > 1
      ? { name: "sparse_categorical_crossentropy", fromLogits: outputActivation === null }
      : outputActivation === "sigmoid" && classes === 1 ? { name: "binary_crossentropy", fromLogits: false } : null;
    if (ctx.hasConv && !ctx.hasBatchNorm) {
      ctx.notes.push("this ONNX model has convolutions and no BatchNormalization: if the network had BatchNorm layers, the export folded them into the convolutions (torch.onnx.export in eval mode does), so directions act on the folded weights and the surface is not the one of the authors' code; export with training=torch.onnx.TrainingMode.PRESERVE (see the README) to keep them");
    }
    return {
      params: ctx.params, theta: ctx.theta, layouts: ctx.layouts, steps: ctx.steps, inputValue, outputValue: final.id, inputShape: [...inputShape], onnxInputShape: sample,
      outputShape: [...final.shape], outputActivation, trainingLoss, flopsPerSample: ctx.flops, notes: ctx.notes, hasConv: ctx.hasConv, hasBatchNorm: ctx.hasBatchNorm,
    };
  } finally {
    disposeTranslation(ctx);
  }
}
