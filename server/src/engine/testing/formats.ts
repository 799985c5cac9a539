/**
 * A corpus of model.json layouts, written in code from TF.js models built in code: the files
 * `model.save` writes, and the files TensorFlow's `tensorflowjs_converter` writes for a Keras 2 or
 * Keras 3 model (`--input_format keras --output_format tfjs_layers_model`, optionally with
 * `--quantize_float16`, `--quantize_uint8`, `--quantize_uint16`).
 *
 * What the converter writes, as reproduced here:
 * - model.json: { format: "layers-model", generatedBy: "keras v…", convertedBy: "TensorFlow.js
 *   Converter v…", modelTopology: { keras_version, backend, model_config: { class_name, config },
 *   training_config }, weightsManifest };
 * - Keras 2 configs: an explicit InputLayer with `batch_input_shape`, `dtype: "float32"` on every
 *   layer, inbound nodes as [[[layer, node, tensor, kwargs], ...]];
 * - Keras 3 configs: `module` and `registered_name` on every serialized object, `build_config`,
 *   dtype policy objects, InputLayer `batch_shape`, inbound nodes as [{ args: [keras tensors with
 *   keras_history], kwargs }], a single model input/output as one [layer, node, tensor] triple,
 *   calls of a nested Sequential counted from 0, Keras 3 loss objects in the training config;
 * - weights: one manifest group per layer, each cut into shards of at most `shardBytes`
 *   ("group<g>-shard<i>of<n>.bin"), named "<layer>/<weight>" (Keras 3 writes them with the model's
 *   scope in front: "<model>/<layer>/<weight>");
 * - quantized weights keep `dtype: "float32"` and add `quantization`: { dtype: "float16" } or
 *   { dtype: "uint8" | "uint16", min, scale, original_dtype: "float32" } with min nudged so that
 *   0 is exactly representable (value = q * scale + min).
 */
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import type { ModelFiles } from "../model-types.js";
import { artifactsOf, modelFiles } from "./builders.js";

export type Quantization = "float16" | "uint8" | "uint16";

export interface ConverterOptions {
  /** Keras major version whose export is reproduced; default 2. */
  readonly keras?: 2 | 3;
  /** The loss written into training_config (a Keras name); default sparse categorical cross-entropy. */
  readonly loss?: string;
  /** Quantize every weight as the converter's --quantize_* options do; default none. */
  readonly quantize?: Quantization;
  /** Largest shard in bytes; default 4 MiB, as the converter (small values force many shards). */
  readonly shardBytes?: number;
  /** Put the training config beside modelTopology (trainingConfig) instead of inside it; default false. */
  readonly trainingConfigBeside?: boolean;
}

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Float32 to IEEE half-precision bits, rounding to nearest even. */
export function float16Bits(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rest > mid || (rest === mid && (half & 1))) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1))) half++;
  e = half >>> 10;
  return sign | half;
}

/** Affine quantization of one weight tensor as the converter does it, with its manifest entry. */
function quantize(values: Float32Array, dtype: Quantization): { bytes: Uint8Array; quantization: Json } {
  if (dtype === "float16") {
    const out = new Uint16Array(values.length);
    values.forEach((v, i) => { out[i] = float16Bits(v); });
    return { bytes: new Uint8Array(out.buffer), quantization: { dtype: "float16" } };
  }
  const quantMax = dtype === "uint8" ? 255 : 65535;
  let min = values.reduce((a, b) => Math.min(a, b), 0);
  let max = values.reduce((a, b) => Math.max(a, b), 0);
  let scale = 1;
  if (max > min) {
    scale = (max - min) / quantMax;
    const zero = Math.round(-min / scale);
    min = -zero * scale;
    max = quantMax * scale + min;
  }
  const q = dtype === "uint8" ? new Uint8Array(values.length) : new Uint16Array(values.length);
  values.forEach((v, i) => { q[i] = Math.round((Math.min(max, Math.max(min, v)) - min) / scale); });
  return { bytes: new Uint8Array(q.buffer), quantization: { dtype, min, scale, original_dtype: "float32" } };
}

const DTYPE_POLICY = { module: "keras", class_name: "DTypePolicy", config: { name: "float32" }, registered_name: null };

/** Keras 2's form of a TF.js-saved layer config: explicit dtype, InputLayer first in a Sequential. */
function keras2Model(model: Json): Json {
  const config = { ...(model.config as Json) };
  const layers = (config.layers as Json[]).map((layer) => keras2Layer(layer));
  if (model.class_name === "Sequential") {
    const first = layers[0]!.config as Json;
    if (first.batch_input_shape !== undefined) {
      const { batch_input_shape: shape, ...rest } = first;
      layers[0] = { ...layers[0]!, config: rest };
      layers.unshift({ class_name: "InputLayer", config: { batch_input_shape: shape, dtype: "float32", sparse: false, ragged: false, name: `${String(config.name)}_input` } });
    }
  }
  return { class_name: model.class_name === "Model" ? "Functional" : model.class_name, config: { ...config, layers } };
}

function keras2Layer(layer: Json): Json {
  if (layer.class_name === "Sequential" || layer.class_name === "Model") {
    return { ...keras2Model(layer), ...(layer.inbound_nodes ? { name: layer.name, inbound_nodes: layer.inbound_nodes } : {}) };
  }
  const config = layer.config as Json;
  return { ...layer, config: { ...config, dtype: config.dtype ?? "float32" } };
}

/** Keras 3's form of a Keras 2 model config (see the file comment). */
function keras3Model(model: Json, nested: ReadonlyMap<string, string>): Json {
  const config = { ...(model.config as Json) };
  const layers = (config.layers as Json[]).map((layer) => keras3Layer(layer, nested));
  // Keras 3 numbers a nested Sequential's calls from 0 here, a nested functional model's from 1.
  const renumber = (t: unknown[]) => (nested.get(String(t[0])) === "Sequential" ? [t[0], Number(t[1]) - 1, t[2]] : t);
  const triple = (list: unknown) => {
    const triples = (list as unknown[][]).map(renumber);
    return triples.length === 1 ? triples[0] : triples;
  };
  const out: Json = { ...config, layers, dtype: DTYPE_POLICY, trainable: true };
  if (config.input_layers !== undefined) out.input_layers = triple(config.input_layers);
  if (config.output_layers !== undefined) out.output_layers = triple(config.output_layers);
  return {
    module: "keras",
    class_name: model.class_name,
    config: out,
    registered_name: model.class_name === "Functional" ? "Functional" : null,
    build_config: { input_shape: null },
  };
}

function keras3Value(value: unknown): unknown {
  // Initializers and other serialized objects gain module and registered_name.
  if (isRecord(value) && typeof value.class_name === "string" && isRecord(value.config)) {
    return { module: "keras.initializers", class_name: value.class_name, config: value.config, registered_name: null };
  }
  return value;
}

function keras3Layer(layer: Json, nested: ReadonlyMap<string, string>): Json {
  let entry: Json;
  if (layer.class_name === "Sequential" || layer.class_name === "Functional") {
    entry = { ...keras3Model(layer, nested) };
  } else {
    const config: Json = {};
    for (const [k, v] of Object.entries(layer.config as Json)) {
      if (k === "batch_input_shape") config.batch_shape = v;
      else if (k === "dtype") config.dtype = layer.class_name === "InputLayer" ? v : DTYPE_POLICY;
      else config[k] = keras3Value(v);
    }
    entry = { module: "keras.layers", class_name: layer.class_name, config, registered_name: null, build_config: { input_shape: null } };
  }
  if (layer.inbound_nodes !== undefined) {
    entry.name = layer.name;
    entry.inbound_nodes = (layer.inbound_nodes as unknown[][][]).map((node) => {
      const tensors = node.map(([name, index, tensor]) => ({
        class_name: "__keras_tensor__",
        // In inbound nodes Keras 3 counts the calls of any nested model from 0.
        config: { shape: null, dtype: "float32", keras_history: [name, Number(index) - (nested.has(String(name)) ? 1 : 0), tensor] },
      }));
      return { args: tensors.length === 1 ? tensors : [tensors], kwargs: {} };
    });
  }
  return entry;
}

/** The models used as layers anywhere in a config: name to class. */
function nestedModels(value: unknown, out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) value.forEach((v) => nestedModels(v, out));
  else if (isRecord(value)) {
    if ((value.class_name === "Sequential" || value.class_name === "Functional") && value.inbound_nodes !== undefined && isRecord(value.config)) {
      out.set(String(value.name ?? value.config.name), value.class_name);
    }
    Object.values(value).forEach((v) => nestedModels(v, out));
  }
  return out;
}

function kerasLoss(name: string, keras: 2 | 3): unknown {
  if (keras === 2) return name;
  const className = name.split("_").map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
  return { module: "keras.losses", class_name: className, config: { name, reduction: "sum_over_batch_size", from_logits: false }, registered_name: null };
}

/** The files tensorflowjs_converter writes for `model` (built in TF.js, described as Keras would). */
export async function converterFiles(model: tfl.LayersModel, options: ConverterOptions = {}): Promise<ModelFiles> {
  const keras = options.keras ?? 2;
  const artifacts = await artifactsOf(model);
  const tfjsTopology = artifacts.modelTopology as Json;
  const keras2 = keras2Model(tfjsTopology);
  const modelConfig = keras === 2 ? keras2 : keras3Model(keras2, nestedModels(keras2));
  const version = keras === 2 ? "2.15.0" : "3.6.0";
  const loss = kerasLoss(options.loss ?? "sparse_categorical_crossentropy", keras);
  const trainingConfig = keras === 2
    ? { loss, metrics: ["accuracy"], weighted_metrics: null, loss_weights: null, optimizer_config: { class_name: "Adam", config: { name: "Adam", learning_rate: 0.001 } } }
    : { loss, metrics: ["accuracy"], loss_weights: null, weighted_metrics: null, run_eagerly: false, steps_per_execution: 1, jit_compile: false, optimizer: { module: "keras.optimizers", class_name: "Adam", config: { name: "adam", learning_rate: 0.001 }, registered_name: null } };
  const modelTopology: Json = { keras_version: version, backend: "tensorflow", model_config: modelConfig };
  // Beside the topology, the training config is in TF.js's own form (as model.save writes it).
  const tfjsTrainingConfig = { loss, metrics: ["accuracy"], optimizer_config: { class_name: "Adam", config: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } } };
  if (!options.trainingConfigBeside) modelTopology.training_config = trainingConfig;

  // One group per layer, in the model's weight order; Keras 3 names carry the model's scope.
  const scope = String((tfjsTopology.config as Json).name);
  const shardBytes = options.shardBytes ?? 4 * 1024 * 1024;
  const all = new Uint8Array(artifacts.weightData);
  const groups = new Map<string, { specs: Json[]; bytes: Uint8Array[] }>();
  let offset = 0;
  for (const spec of artifacts.weightSpecs) {
    const size = spec.shape.reduce((a, b) => a * b, 1) * 4;
    const values = new Float32Array(all.slice(offset, offset + size).buffer);
    offset += size;
    const layer = spec.name.slice(0, spec.name.lastIndexOf("/"));
    const group = groups.get(layer) ?? { specs: [], bytes: [] };
    groups.set(layer, group);
    const name = keras === 3 ? `${scope}/${spec.name}` : spec.name;
    if (options.quantize) {
      const q = quantize(values, options.quantize);
      group.specs.push({ name, shape: spec.shape, dtype: "float32", quantization: q.quantization });
      group.bytes.push(q.bytes);
    } else {
      group.specs.push({ name, shape: spec.shape, dtype: "float32" });
      group.bytes.push(new Uint8Array(values.buffer));
    }
  }
  const shards = new Map<string, Uint8Array>();
  const weightsManifest = [...groups.values()].map((group, g) => {
    const total = group.bytes.reduce((a, b) => a + b.byteLength, 0);
    const joined = new Uint8Array(total);
    let at = 0;
    for (const b of group.bytes) {
      joined.set(b, at);
      at += b.byteLength;
    }
    const count = Math.max(1, Math.ceil(total / shardBytes));
    const paths: string[] = [];
    for (let i = 0; i < count; i++) {
      const path = `group${g + 1}-shard${i + 1}of${count}.bin`;
      shards.set(path, joined.slice(i * shardBytes, Math.min(total, (i + 1) * shardBytes)));
      paths.push(path);
    }
    return { paths, weights: group.specs };
  });
  const modelJson = JSON.stringify({
    format: "layers-model",
    generatedBy: `keras v${version}`,
    convertedBy: "TensorFlow.js Converter v4.22.0",
    modelTopology,
    ...(options.trainingConfigBeside ? { trainingConfig: tfjsTrainingConfig } : {}),
    weightsManifest,
  });
  return { modelJson, shards };
}

/** The files TF.js's own `model.save` writes (one shard), with `loss` as its training config. */
export async function tfjsSavedFiles(model: tfl.LayersModel, loss = "sparse_categorical_crossentropy"): Promise<ModelFiles> {
  return modelFiles(await artifactsOf(model, loss));
}

/**
 * TF.js Layers' own reading of model.json and its shards (tf.loadLayersModel through an IO handler
 * that only concatenates the shards in manifest order): the reference the engine is checked against.
 */
export async function loadWithTfjs(files: ModelFiles): Promise<tfl.LayersModel> {
  const json = JSON.parse(typeof files.modelJson === "string" ? files.modelJson : new TextDecoder().decode(files.modelJson)) as tf.io.ModelJSON;
  const shards = files.shards instanceof Map ? files.shards : new Map(Object.entries(files.shards));
  return tfl.loadLayersModel({
    load: () =>
      tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const buffers = manifest.flatMap((group) => group.paths.map((p) => shards.get(p)!));
        const data = tf.io.concatenateArrayBuffers(buffers.map((b) => b.slice().buffer));
        return [specs, data];
      }),
  });
}
