/**
 * ONNX models and directions: a model is translated into the engine's own steps once (see
 * translate.ts); a direction is an ONNX file of the same graph whose parameter initializers hold
 * the direction's values, matched by initializer name (PyTorch: a copy of the model whose
 * state_dict holds the direction, exported the same way).
 */
import { EngineInputError } from "../errors.js";
import type { LayersArtifacts, LoadedModel, OnnxModelInfo } from "../model-types.js";
import { assertGraphBounds } from "./bounds.js";
import { decodeOnnx, encodeOnnx, floatTensor, initializersWithAliases, type OnnxModel, tensorValues } from "./proto.js";
import { toEngineLayout, toOnnxLayout, translateOnnx } from "./translate.js";

export { looksLikeOnnx } from "./proto.js";

/** Artifacts that carry an ONNX file (the worker processes rebuild the model from them). */
export function onnxArtifacts(bytes: Uint8Array): LayersArtifacts {
  return { modelTopology: {}, weightSpecs: [], weightData: new ArrayBuffer(0), onnx: bytes };
}

/** A LoadedModel from an ONNX file's bytes. */
export function loadOnnxModel(bytes: Uint8Array, label = "model"): LoadedModel {
  const decoded = decodeOnnx(bytes, label);
  const g = translateOnnx(decoded, label);
  const producer = [decoded.producer_name, decoded.producer_version].filter(Boolean).join(" ");
  return {
    params: g.params,
    theta: g.theta,
    steps: g.steps,
    inputValue: g.inputValue,
    outputValue: g.outputValue,
    inputShape: g.inputShape,
    outputShape: g.outputShape,
    outputActivation: g.outputActivation,
    trainingLoss: g.trainingLoss,
    flopsPerSample: g.flopsPerSample,
    artifacts: onnxArtifacts(bytes),
    notes: g.notes,
    onnx: {
      layouts: g.layouts,
      inputShape: g.onnxInputShape,
      channelsFirstInput: g.onnxInputShape.length === 3,
      producer,
      opset: (decoded.opset_import ?? []).find((o) => (o.domain ?? "") === "")?.version ?? 0,
      batchNormalization: g.hasBatchNorm,
    },
  };
}

/**
 * The direction's values from an ONNX file of the model's graph, in the model's parameter order
 * and layout. BatchNorm running statistics are state: they are read only from a direction this
 * engine wrote between models (metadata "lossAtlas" of kind interpolation or three-model, whose
 * statistics hold B - A); anywhere else they read as zero, whatever the file holds (a PyTorch copy
 * of the model used as a direction keeps the model's own statistics there).
 */
export function readOnnxDirection(bytes: Uint8Array, model: LoadedModel, label = "direction"): Float32Array[] {
  const info = model.onnx;
  if (info === undefined) throw new EngineInputError(`${label} is an ONNX file but the model is not an ONNX model`);
  const decoded = decodeOnnx(bytes, label);
  assertGraphBounds(decoded.graph!, label);
  const { inits } = initializersWithAliases(decoded.graph!);
  const missing = model.params.filter((p) => !p.state && !inits.has(p.name)).map((p) => p.name);
  if (missing.length > 0) throw new EngineInputError(directionMismatch(label, missing, [...inits.keys()].filter((n) => !model.params.some((p) => p.name === n)), info));
  const kind = lossAtlasMetadata(decoded)?.kind;
  const statesMove = kind === "interpolation" || kind === "three-model";
  return model.params.map((p, i) => {
    if (p.state && !statesMove) return new Float32Array(p.size);
    const t = inits.get(p.name);
    if (t === undefined) return new Float32Array(p.size);
    const { dims, values } = tensorValues(t, label);
    const layout = info.layouts[i]!;
    if (dims.length !== layout.onnxDims.length || dims.some((d, k) => d !== layout.onnxDims[k])) {
      throw new EngineInputError(`${label}: initializer "${p.name}" has shape [${dims.join(", ")}] but the model's is [${layout.onnxDims.join(", ")}]`);
    }
    return toEngineLayout(values, layout);
  });
}

/** The "lossAtlas" metadata property of a file this engine wrote, or undefined. */
function lossAtlasMetadata(decoded: OnnxModel): { kind?: unknown } | undefined {
  const value = (decoded.metadata_props ?? []).find((m) => m.key === "lossAtlas")?.value;
  if (typeof value !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === "object" && parsed !== null ? (parsed as { kind?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why a direction file does not fit an ONNX model: the model's tensors it lacks, the ones it has
 * that the model does not, and, when the model looks like a folded export (no BatchNormalization
 * node, parameters named by the exporter as "onnx::Conv_37"), that folding is the likely cause.
 */
function directionMismatch(label: string, missing: readonly string[], extra: readonly string[], info: OnnxModelInfo): string {
  const list = (names: readonly string[]) => names.slice(0, 4).map((n) => `"${n}"`).join(", ") + (names.length > 4 ? ` and ${names.length - 4} more` : "");
  let message = `${label} does not match the model: it has no initializer ${list(missing)}`;
  if (extra.length > 0) message += `, and holds ${list(extra)}, which the model lacks`;
  const folded = !info.batchNormalization && missing.some((n) => n.startsWith("onnx::"));
  if (folded) {
    message += `. The model looks like a folded export: torch.onnx.export in eval mode folds BatchNorm into the convolutions and names the folded weights "onnx::...", so no direction made for the network's own parameters fits it; export the model with training=torch.onnx.TrainingMode.PRESERVE and do_constant_folding=False (see the README)`;
  }
  return message;
}

/**
 * An ONNX file of the model's graph holding `direction` in its parameter initializers (running
 * statistics hold the direction's values: zeros for a random direction, B - A for an
 * interpolation's), with `metadata` as the model's metadata property "lossAtlas".
 */
export function encodeOnnxDirection(model: LoadedModel, direction: readonly Float32Array[], metadata: Record<string, unknown>): Uint8Array {
  return encodeWithInitializers(model, direction, { type: "direction", ...metadata });
}

/**
 * An ONNX file of the model's graph whose initializers hold `theta` (every parameter, BatchNorm
 * running statistics included, in the engine's layout as LoadedModel.theta holds them): a trained
 * checkpoint of the model. loadOnnxModel reads it back to the same theta, bit for bit. `metadata`,
 * when given, becomes the metadata property "lossAtlas" (e.g. { type: "checkpoint", step }).
 */
export function encodeOnnxModel(model: LoadedModel, theta: readonly Float32Array[], metadata?: Record<string, unknown>): Uint8Array {
  return encodeWithInitializers(model, theta, metadata);
}

function encodeWithInitializers(model: LoadedModel, values: readonly Float32Array[], metadata: Record<string, unknown> | undefined): Uint8Array {
  const info = model.onnx;
  const bytes = model.artifacts.onnx;
  if (info === undefined || bytes === undefined) throw new Error("encoding an ONNX file needs an ONNX model");
  if (values.length !== model.params.length) throw new Error(`${values.length} arrays for a model of ${model.params.length} parameters`);
  const decoded: OnnxModel = decodeOnnx(bytes, "model");
  const index = new Map(model.params.map((p, i) => [p.name, i]));
  const graph = decoded.graph!;
  // Every parameter gets an initializer of its own (aliases through Identity nodes are written out).
  const { inits, aliasNodes } = initializersWithAliases(graph);
  graph.node = (graph.node ?? []).filter((n) => !aliasNodes.has(n));
  graph.initializer = [...inits.values()].map((t) => {
    const i = index.get(t.name ?? "");
    if (i === undefined) return t;
    const layout = info.layouts[i]!;
    return floatTensor(t.name!, layout.onnxDims, toOnnxLayout(values[i]!, layout));
  });
  if (metadata !== undefined) {
    decoded.metadata_props = [
      ...(decoded.metadata_props ?? []).filter((m) => m.key !== "lossAtlas"),
      { key: "lossAtlas", value: JSON.stringify(metadata) },
    ];
  }
  return encodeOnnx(decoded);
}
