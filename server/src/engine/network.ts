/**
 * A loaded model, as the engine sees it: the flat list of parameters theta (host float32 copies,
 * in the model's weight order), and the layer graph as steps to run in topological order.
 * It holds no tensors, so it can be shared, cloned to worker processes, and dropped freely.
 */
import * as tf from "@tensorflow/tfjs-core";
import "./chained-ops.js"; // before TF.js Layers builds any model (see chained-ops.ts)
import * as tfl from "@tensorflow/tfjs-layers";
import { EngineInputError } from "./errors.js";
import { activationKey, checkLayer, forwardLayer, layerFlops } from "./layers.js";
import { type LossSpec, lossFromTrainingConfig } from "./loss.js";
import { type LayersArtifacts, manifestBytes, type ModelSource, readLayersArtifacts } from "./model-io.js";
import { loadOnnxModel } from "./onnx/load.js";
import type { LoadedModel, Param, ParamRole, Step } from "./model-types.js";

export type { LoadedModel, OnnxModelInfo, Param, ParamRole, Step } from "./model-types.js";

const BATCHNORM_CLASSES = new Set(["BatchNormalization", "LayerNormalization"]);

function roleOf(className: string, key: string): ParamRole {
  if (BATCHNORM_CLASSES.has(className)) return "batchnorm";
  if (key === "bias") return "bias";
  if (key.endsWith("kernel")) return "kernel";
  return "other";
}

/** Reads a model from a path, zip bytes or in-memory files; see readLayersArtifacts. */
export async function loadModel(source: ModelSource, label = "model"): Promise<LoadedModel> {
  return modelFromArtifacts(await readLayersArtifacts(source, label), label);
}

/**
 * Builds a LoadedModel from validated artifacts. TF.js Layers does the Keras deserialization
 * (every config spelling, sequential and functional); the engine then copies out the weights
 * and the graph and disposes the TF.js model.
 */
export async function modelFromArtifacts(artifacts: LayersArtifacts, label = "model"): Promise<LoadedModel> {
  if (artifacts.onnx !== undefined) return loadOnnxModel(artifacts.onnx, label);
  const layersModel = await toLayersModel(artifacts, label);
  try {
    return describeModel(layersModel, artifacts, label);
  } finally {
    layersModel.dispose();
  }
}

/** A TF.js LayersModel of the artifacts (the caller disposes it); used by tests and the naive baseline. */
export async function toLayersModel(artifacts: LayersArtifacts, label = "model"): Promise<tfl.LayersModel> {
  if (artifacts.onnx !== undefined) throw new EngineInputError(`${label} is an ONNX model: TF.js Layers cannot build it (the engine trains ONNX models with its own trainer, train-network.ts)`);
  const load = (weightSpecs: tf.io.WeightsManifestEntry[], weightData: ArrayBuffer) =>
    tfl.loadLayersModel(
      { load: async () => ({ modelTopology: artifacts.modelTopology as tf.io.ModelArtifacts["modelTopology"], weightSpecs, weightData }) },
      { strict: true },
    );
  const refuse = (error: unknown) =>
    new EngineInputError(`${label}: model.json is not a loadable TF.js Layers model (${(error as Error).message.split("\n")[0]})`);
  try {
    return await load(artifacts.weightSpecs, artifacts.weightData);
  } catch (error) {
    if (!/no target variable|weights are not set/.test((error as Error).message)) throw refuse(error);
  }
  // The weights are named differently from what TF.js expects: scope prefixes ("model/dense/kernel"
  // for "dense/kernel", as Keras writes the weights of nested models) or ":0" suffixes. Match
  // them by their longest common tail of path components, then load again.
  let renamed: { specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer };
  try {
    const bare = await tfl.models.modelFromJSON({ modelTopology: artifacts.modelTopology } as Parameters<typeof tfl.models.modelFromJSON>[0]);
    const expected = bare.weights.map((w) => w.originalName);
    bare.dispose();
    renamed = renameWeights(artifacts, expected, label);
  } catch (error) {
    if (error instanceof EngineInputError) throw error;
    throw refuse(error);
  }
  try {
    return await load(renamed.specs, renamed.data);
  } catch (error) {
    throw refuse(error);
  }
}

/**
 * The manifest with every weight named as the model names it (see toLayersModel): a weight whose
 * name, or a tail of it after a "/", is exactly one expected name gets that name. Keras 3's
 * random-seed state of dropout and noise layers ("…/seed_generator/state") is not a weight of
 * the inference model and is dropped. Weights named by position, as Keras 3's own format names
 * them ("dense/0", "layers/dense/vars/1"), are the layer's weights in order. Anything else left
 * over is refused by name.
 */
function renameWeights(artifacts: LayersArtifacts, expected: readonly string[], label: string): { specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer } {
  const wanted = new Set(expected);
  const taken = new Set<string>();
  const byLayer = new Map<string, string[]>();
  for (const name of expected) {
    const layer = name.slice(0, name.lastIndexOf("/"));
    byLayer.set(layer, [...(byLayer.get(layer) ?? []), name]);
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const all = new Uint8Array(artifacts.weightData);
  for (const spec of artifacts.weightSpecs) {
    const bytes = manifestBytes(spec);
    const chunk = all.subarray(offset, offset + bytes);
    offset += bytes;
    if (spec.group === "optimizer") {
      specs.push(spec);
      chunks.push(chunk);
      continue;
    }
    const parts = spec.name.replace(/:\d+$/, "").split("/");
    let match: string | undefined;
    for (let start = 0; start < parts.length && match === undefined; start++) {
      const tail = parts.slice(start).join("/");
      if (wanted.has(tail) && !taken.has(tail)) match = tail;
    }
    const positional = match === undefined ? /(?:^|\/)_?([^/]+)\/(?:vars\/)?(\d+)$/.exec(spec.name) : null;
    if (positional) {
      const candidate = byLayer.get(positional[1]!)?.[Number(positional[2])];
      if (candidate !== undefined && !taken.has(candidate)) match = candidate;
    }
    if (match === undefined) {
      if (/(^|\/)seed_generator[^/]*\/state$/.test(spec.name)) continue;
      throw new EngineInputError(`${label}: weight "${spec.name}" in model.json matches no weight of the model's layers (they are named like "${expected[0] ?? "dense/kernel"}")`);
    }
    taken.add(match);
    specs.push({ ...spec, name: match });
    chunks.push(chunk);
  }
  const missing = expected.filter((n) => !taken.has(n));
  if (missing.length > 0) throw new EngineInputError(`${label}: model.json has no values for ${missing.length} weight${missing.length === 1 ? "" : "s"} of the model, e.g. "${missing[0]}"`);
  const data = new Uint8Array(chunks.reduce((a, c) => a + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    data.set(c, at);
    at += c.byteLength;
  }
  return { specs, data: data.buffer };
}

/** A model used as a layer of another (a Sequential inside a functional model, say). */
function isNestedModel(layer: tfl.layers.Layer): layer is tfl.LayersModel {
  return layer instanceof tfl.LayersModel;
}

/** Where a symbolic tensor is read: the top-level graph, or one application of a nested model. */
interface Scope {
  /** Tells applications apart: the same nested model applied twice is two scopes. */
  readonly key: string;
  /** Prefix of step names inside it ("inner_model/"). */
  readonly prefix: string;
  /** The nested model's input tensors (by id) and the values they are fed with outside. */
  readonly inputs: ReadonlyMap<number, number>;
}

function describeModel(model: tfl.LayersModel, artifacts: LayersArtifacts, label: string): LoadedModel {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new EngineInputError(`${label}: the engine evaluates models with one input and one output (this one has ${model.inputs.length} and ${model.outputs.length})`);
  }
  const params: Param[] = [];
  const theta: Float32Array[] = [];
  // Keyed by the layer itself: a shared layer has one set of weights however often it is applied.
  const paramsOfLayer = new Map<tfl.layers.Layer, Record<string, number>>();
  const collect = (layers: readonly tfl.layers.Layer[], prefix: string): void => {
    for (const layer of layers) {
      if (paramsOfLayer.has(layer)) continue;
      if (isNestedModel(layer)) {
        // A nested model's layers are evaluated as if its graph were written out in place.
        paramsOfLayer.set(layer, {});
        collect(layer.layers, `${prefix}${layer.name}/`);
        continue;
      }
      const className = layer.getClassName();
      checkLayer(className, layer.getConfig() as Record<string, unknown>, `${prefix}${layer.name}`);
      const byKey: Record<string, number> = {};
      for (const w of layer.weights) {
        const name = w.originalName;
        const key = name.slice(name.lastIndexOf("/") + 1).replace(/_\d+$/, "");
        byKey[key] = params.length;
        const shape = w.shape.map((d) => d ?? 1);
        const role = roleOf(className, key);
        const state = role === "batchnorm" && key.startsWith("moving_");
        const trainable = w.trainable && layer.trainable;
        params.push({ name, shape, size: shape.reduce((a, b) => a * b, 1), layerName: `${prefix}${layer.name}`, key, role, trainable, state, frozen: !trainable && !state });
        theta.push(Float32Array.from(w.read().dataSync()));
      }
      paramsOfLayer.set(layer, byKey);
    }
  };
  collect(model.layers, "");

  // Number every symbolic tensor reachable from the output, then order the nodes producing them.
  const ids = new Map<string, number>();
  const steps: Step[] = [];
  let flops = 0;
  let count = 0;
  const top: Scope = { key: "", prefix: "", inputs: new Map() };
  const visit = (t: tfl.SymbolicTensor, scope: Scope): number => {
    const fed = scope.inputs.get(t.id);
    if (fed !== undefined) return fed;
    const idKey = `${scope.key}:${t.id}`;
    const known = ids.get(idKey);
    if (known !== undefined) return known;
    const layer = t.sourceLayer;
    const node = layer.inboundNodes[t.nodeIndex]!;
    if (isNestedModel(layer)) {
      const outside = node.inputTensors.map((x) => visit(x, scope));
      if (layer.inputs.length !== outside.length || layer.outputs.length !== 1) {
        throw new EngineInputError(`${label}: nested model "${layer.name}" has ${layer.inputs.length} inputs and ${layer.outputs.length} outputs; the engine evaluates nested models with one of each`);
      }
      const inner: Scope = {
        key: `${scope.key}/${layer.name}#${t.nodeIndex}`,
        prefix: `${scope.prefix}${layer.name}/`,
        inputs: new Map(layer.inputs.map((x, i) => [x.id, outside[i]!])),
      };
      const id = visit(layer.outputs[0]!, inner);
      ids.set(idKey, id);
      return id;
    }
    if (node.outputTensors.length !== 1) throw new EngineInputError(`${label}: layer "${layer.name}" has several outputs, which the engine does not support`);
    const className = layer.getClassName();
    const inputs = className === "InputLayer" ? [] : node.inputTensors.map((x) => visit(x, scope));
    const id = count++;
    ids.set(idKey, id);
    const kernel = layer.weights.find((w) => w.originalName.endsWith("kernel"))?.shape.map((d) => d ?? 1);
    const inShape = node.inputTensors[0]?.shape.slice(1) ?? [];
    flops += layerFlops(className, inShape as number[], t.shape.slice(1) as number[], kernel);
    steps.push({ className, name: `${scope.prefix}${layer.name}`, config: layer.getConfig() as Record<string, unknown>, params: paramsOfLayer.get(layer) ?? {}, inputs, output: id });
    return id;
  };
  const input = model.inputs[0]!;
  const output = model.outputs[0]!;
  const outputValue = visit(output, top);
  const inputValue = ids.get(`:${input.id}`);
  if (inputValue === undefined) throw new EngineInputError(`${label}: the model's output does not depend on its input`);
  const inputShape = input.shape.slice(1);
  if (inputShape.some((d) => d === null)) {
    throw new EngineInputError(`${label}: the model's input shape [${inputShape.join(", ")}] has unknown dimensions; save it with a fixed input shape`);
  }
  const last = steps[steps.length - 1]!;
  const act = last.className === "Softmax" ? "softmax" : activationKey(last.config.activation);
  let trainingLoss: LossSpec | null = null;
  try {
    trainingLoss = lossFromTrainingConfig(artifacts.trainingConfig);
  } catch {
    // An unknown loss in the file is only an error if the caller does not choose one.
    trainingLoss = null;
  }
  return {
    params,
    theta,
    steps,
    inputValue,
    outputValue,
    inputShape: inputShape as number[],
    outputShape: output.shape.slice(1).map((d) => d ?? 1),
    outputActivation: act === "softmax" || act === "sigmoid" ? act : null,
    trainingLoss,
    flopsPerSample: flops,
    artifacts,
    notes: artifacts.notes ?? [],
  };
}

/**
 * Sets a TF.js LayersModel's weights from host arrays in `model`'s parameter order, matching
 * them by name (a LayersModel's own weight order puts trainable weights first).
 */
export function setLayersWeights(layersModel: tfl.LayersModel, model: LoadedModel, values: readonly Float32Array[]): void {
  const index = new Map(model.params.map((p, i) => [p.name, i]));
  for (const layer of layersModel.layers) {
    if (layer.weights.length === 0) continue;
    const tensors = layer.weights.map((w) => {
      const i = index.get(w.originalName);
      if (i === undefined) throw new Error(`weight ${w.originalName} is not a parameter of the model`);
      return tf.tensor(values[i]!, model.params[i]!.shape as number[], "float32");
    });
    layer.setWeights(tensors);
    for (const t of tensors) t.dispose();
  }
}

/**
 * The model's inference output for inputs `x` ([B, ...inputShape]) with weights `theta` (default
 * its own), computed by the engine's layers (not TF.js Layers'). The caller disposes the result.
 */
export function predict(model: LoadedModel, x: tf.Tensor, theta: readonly Float32Array[] = model.theta): tf.Tensor {
  return tf.tidy(() => {
    const weights = model.params.map((p, i) => tf.tensor(theta[i]!, p.shape as number[], "float32"));
    const values = new Map<number, tf.Tensor>([[model.inputValue, x]]);
    for (const step of model.steps) {
      if (step.output === model.inputValue) continue;
      const w = Object.fromEntries(Object.entries(step.params).map(([key, i]) => [key, weights[i]!]));
      values.set(step.output, forwardLayer(step.className, step.config, step.inputs.map((v) => values.get(v)!), w));
    }
    return values.get(model.outputValue)!;
  });
}

/** Total number of scalar parameters (weights, biases and BatchNorm statistics). */
export function parameterCount(model: LoadedModel): number {
  return model.params.reduce((a, p) => a + p.size, 0);
}
