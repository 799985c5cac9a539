/**
 * A loaded model, as the engine sees it: the flat list of parameters theta (host float32 copies,
 * in the model's weight order), and the layer graph as steps to run in topological order.
 * It holds no tensors, so it can be shared, cloned to worker processes, and dropped freely.
 */
import * as tf from "@tensorflow/tfjs-core";
import "./chained-ops.js"; // before TF.js Layers builds any model (see chained-ops.ts)
import * as tfl from "@tensorflow/tfjs-layers";
import { EngineInputError } from "./errors.js";
import { activationKey, checkLayer, layerFlops } from "./layers.js";
import { type LossSpec, lossFromTrainingConfig } from "./loss.js";
import { type LayersArtifacts, type ModelSource, readLayersArtifacts } from "./model-io.js";

/** How a parameter takes part in direction normalization. */
export type ParamRole = "kernel" | "bias" | "batchnorm" | "other";

export interface Param {
  /** The weight's name in model.json, e.g. "dense_Dense1/kernel". */
  readonly name: string;
  readonly shape: readonly number[];
  readonly size: number;
  readonly layerName: string;
  /** Short name inside its layer: "kernel", "bias", "gamma", "moving_mean", ... */
  readonly key: string;
  readonly role: ParamRole;
  /** False for BatchNorm's moving statistics, which are state, not parameters: never perturbed. */
  readonly trainable: boolean;
}

/** One application of a layer: a node of the layer graph. Values are numbered from 0. */
export interface Step {
  readonly className: string;
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** Parameter index of each of the layer's weights, by short name. */
  readonly params: Readonly<Record<string, number>>;
  readonly inputs: readonly number[];
  readonly output: number;
}

export interface LoadedModel {
  readonly params: readonly Param[];
  /** theta: the model's weights, one host array per parameter. */
  readonly theta: readonly Float32Array[];
  readonly steps: readonly Step[];
  readonly inputValue: number;
  readonly outputValue: number;
  /** Shape of one input sample, e.g. [28, 28, 1]. */
  readonly inputShape: readonly number[];
  /** Shape of one output, e.g. [10]. */
  readonly outputShape: readonly number[];
  /** The final activation, when softmax or sigmoid: the engine fuses it into the loss. */
  readonly outputActivation: "softmax" | "sigmoid" | null;
  /** The loss from the model's training config, or null. */
  readonly trainingLoss: LossSpec | null;
  /** Forward-pass FLOPs of one sample (2 x multiply-adds of Dense and conv layers). */
  readonly flopsPerSample: number;
  /** The files it came from, for saving directions with the same topology and for workers. */
  readonly artifacts: LayersArtifacts;
}

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
  const layersModel = await toLayersModel(artifacts, label);
  try {
    return describeModel(layersModel, artifacts, label);
  } finally {
    layersModel.dispose();
  }
}

/** A TF.js LayersModel of the artifacts (the caller disposes it); used by tests and the naive baseline. */
export async function toLayersModel(artifacts: LayersArtifacts, label = "model"): Promise<tfl.LayersModel> {
  try {
    return await tfl.loadLayersModel(
      {
        load: async () => ({
          modelTopology: artifacts.modelTopology as tf.io.ModelArtifacts["modelTopology"],
          weightSpecs: artifacts.weightSpecs,
          weightData: artifacts.weightData,
        }),
      },
      { strict: true },
    );
  } catch (error) {
    throw new EngineInputError(`${label}: model.json is not a loadable TF.js Layers model (${(error as Error).message.split("\n")[0]})`);
  }
}

function describeModel(model: tfl.LayersModel, artifacts: LayersArtifacts, label: string): LoadedModel {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new EngineInputError(`${label}: the engine evaluates models with one input and one output (this one has ${model.inputs.length} and ${model.outputs.length})`);
  }
  const params: Param[] = [];
  const theta: Float32Array[] = [];
  const paramsOfLayer = new Map<string, Record<string, number>>();
  for (const layer of model.layers) {
    const className = layer.getClassName();
    if (className === "Sequential" || className === "Model" || className === "Functional") {
      throw new EngineInputError(`${label}: nested model "${layer.name}" is not supported; save the model flattened`);
    }
    checkLayer(className, layer.getConfig() as Record<string, unknown>, layer.name);
    const byKey: Record<string, number> = {};
    for (const w of layer.weights) {
      const name = w.originalName;
      const key = name.slice(name.lastIndexOf("/") + 1).replace(/_\d+$/, "");
      byKey[key] = params.length;
      const shape = w.shape.map((d) => d ?? 1);
      params.push({ name, shape, size: shape.reduce((a, b) => a * b, 1), layerName: layer.name, key, role: roleOf(className, key), trainable: w.trainable });
      theta.push(Float32Array.from(w.read().dataSync()));
    }
    paramsOfLayer.set(layer.name, byKey);
  }

  // Number every symbolic tensor reachable from the output, then order the nodes producing them.
  const ids = new Map<number, number>();
  const steps: Step[] = [];
  let flops = 0;
  const visit = (t: tfl.SymbolicTensor): number => {
    const known = ids.get(t.id);
    if (known !== undefined) return known;
    const layer = t.sourceLayer;
    const node = layer.inboundNodes[t.nodeIndex]!;
    if (node.outputTensors.length !== 1) throw new EngineInputError(`${label}: layer "${layer.name}" has several outputs, which the engine does not support`);
    const inputs = layer.getClassName() === "InputLayer" ? [] : node.inputTensors.map(visit);
    const id = ids.size;
    ids.set(t.id, id);
    const className = layer.getClassName();
    const kernel = layer.weights.find((w) => w.originalName.endsWith("kernel"))?.shape.map((d) => d ?? 1);
    const inShape = node.inputTensors[0]?.shape.slice(1) ?? [];
    flops += layerFlops(className, inShape as number[], t.shape.slice(1) as number[], kernel);
    steps.push({ className, name: layer.name, config: layer.getConfig() as Record<string, unknown>, params: paramsOfLayer.get(layer.name) ?? {}, inputs, output: id });
    return id;
  };
  const input = model.inputs[0]!;
  const output = model.outputs[0]!;
  const outputValue = visit(output);
  const inputValue = ids.get(input.id);
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

/** Total number of scalar parameters (weights, biases and BatchNorm statistics). */
export function parameterCount(model: LoadedModel): number {
  return model.params.reduce((a, p) => a + p.size, 0);
}
