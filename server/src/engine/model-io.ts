/**
 * Reading and writing the TF.js Layers format: a `model.json` (topology + weights manifest) and
 * binary weight shards, from a folder, a `model.json` path, a zip, or bytes already in memory (the
 * worker fetches them from object storage). Directions are written in the same format.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type * as tf from "@tensorflow/tfjs-core";
import { EngineInputError } from "./errors.js";
import type { LayersArtifacts, ModelSource } from "./model-types.js";
import { looksLikeOnnx, onnxArtifacts } from "./onnx/load.js";
import { ZipError, readZip } from "./zip.js";

export type { LayersArtifacts, ModelFiles, ModelSource } from "./model-types.js";

const BYTES_PER_DTYPE: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Reads and validates a model or direction from any ModelSource; `label` names it in errors. */
export async function readLayersArtifacts(source: ModelSource, label = "model"): Promise<LayersArtifacts> {
  if (typeof source === "string") return readFromPath(source, label);
  if (source instanceof Uint8Array) return looksLikeOnnx(source) ? onnxArtifacts(source) : readFromZip(source, label);
  const shards = source.shards instanceof Map ? source.shards : new Map(Object.entries(source.shards));
  return parseArtifacts(source.modelJson, async (p) => shards.get(p) ?? shards.get(path.posix.basename(p)), label);
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(() => true, () => false);
}

async function readFromPath(p: string, label: string): Promise<LayersArtifacts> {
  let stat;
  try {
    stat = await fs.stat(p);
  } catch {
    throw new EngineInputError(label.includes(p) ? `${label} does not exist` : `${label} "${p}" does not exist`);
  }
  let jsonPath = p;
  if (stat.isDirectory()) {
    jsonPath = path.join(p, "model.json");
    // A folder holding an ONNX model (as training writes checkpoints of ONNX models) and no model.json.
    const onnxPath = path.join(p, "model.onnx");
    if (!(await exists(jsonPath)) && (await exists(onnxPath))) return onnxArtifacts(new Uint8Array(await fs.readFile(onnxPath)));
  } else {
    const head = Buffer.alloc(4);
    const handle = await fs.open(p, "r");
    try {
      await handle.read(head, 0, 4, 0);
    } finally {
      await handle.close();
    }
    // Zip files start with "PK\x03\x04"; anything else is taken as model.json itself.
    if (head.readUInt32LE(0) === 0x04034b50) return readFromZip(new Uint8Array(await fs.readFile(p)), label);
    // ONNX: a protobuf ModelProto (field 1, ir_version, first), named .onnx by convention.
    if (p.toLowerCase().endsWith(".onnx") || looksLikeOnnx(head)) return onnxArtifacts(new Uint8Array(await fs.readFile(p)));
  }
  let json: Buffer;
  try {
    json = await fs.readFile(jsonPath);
  } catch {
    throw new EngineInputError(`${label}: no model.json found at "${jsonPath}"`);
  }
  const folder = path.dirname(jsonPath);
  return parseArtifacts(json, async (rel) => {
    try {
      return new Uint8Array(await fs.readFile(path.join(folder, rel)));
    } catch {
      return undefined;
    }
  }, label);
}

async function readFromZip(bytes: Uint8Array, label: string): Promise<LayersArtifacts> {
  let files: Map<string, Uint8Array>;
  try {
    files = await readZip(bytes);
  } catch (error) {
    if (error instanceof ZipError) throw new EngineInputError(`${label}: ${error.message}`);
    throw error;
  }
  // model.json may sit at the root or inside one folder; the shallowest one wins.
  const candidates = [...files.keys()]
    .filter((name) => path.posix.basename(name) === "model.json")
    .sort((a, b) => a.split("/").length - b.split("/").length);
  const jsonName = candidates[0];
  if (jsonName === undefined) throw new EngineInputError(`${label}: the zip holds no model.json`);
  const folder = path.posix.dirname(jsonName);
  return parseArtifacts(files.get(jsonName)!, async (rel) => files.get(path.posix.join(folder, rel)), label);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Bytes a weight occupies in its shard (quantized weights are stored in their quantized type). */
export function manifestBytes(spec: tf.io.WeightsManifestEntry): number {
  return specBytes(spec);
}

function specBytes(spec: tf.io.WeightsManifestEntry): number {
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const per = BYTES_PER_DTYPE[dtype];
  if (per === undefined) throw new EngineInputError(`weight "${spec.name}" has unsupported dtype "${dtype}"`);
  return spec.shape.reduce((a, b) => a * b, 1) * per;
}

async function parseArtifacts(
  jsonBytes: Uint8Array | string,
  readShard: (relativePath: string) => Promise<Uint8Array | undefined>,
  label: string,
): Promise<LayersArtifacts> {
  const text = typeof jsonBytes === "string" ? jsonBytes : new TextDecoder().decode(jsonBytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new EngineInputError(`${label}: model.json is not valid JSON (${(error as Error).message})`);
  }
  if (!isRecord(json)) throw new EngineInputError(`${label}: model.json is not a JSON object`);
  if (json.format === "graph-model") {
    throw new EngineInputError(`${label}: model.json is a TF.js graph model; only Layers models can be loaded`);
  }
  let topology = json.modelTopology;
  // TensorFlow's converter wraps the Keras model config, as Keras' own model JSON does:
  // { keras_version, backend, model_config: { class_name, config }, training_config }.
  let wrappedTrainingConfig: unknown;
  if (isRecord(topology) && isRecord(topology.model_config)) {
    wrappedTrainingConfig = topology.training_config ?? undefined;
    topology = topology.model_config;
  }
  if (topology === undefined || topology === null) {
    throw new EngineInputError(`${label}: model.json has no modelTopology (is it a TF.js Layers model, as model.save or tensorflowjs_converter --output_format tfjs_layers_model write them?)`);
  }
  if (!isRecord(topology) || typeof topology.class_name !== "string") {
    throw new EngineInputError(
      `${label}: model.json's modelTopology has no class_name, neither at its top nor in a model_config (is it a TF.js Layers model, as model.save or tensorflowjs_converter --output_format tfjs_layers_model write them?)`,
    );
  }
  const notes: string[] = [];
  topology = normalizeTopology(topology, notes, label);
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest)) throw new EngineInputError(`${label}: model.json has no weightsManifest list`);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const chunks: Uint8Array[] = [];
  for (const [g, group] of manifest.entries()) {
    if (!isRecord(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new EngineInputError(`${label}: weightsManifest group ${g} needs "paths" and "weights" lists`);
    }
    let expected = 0;
    for (const w of group.weights) {
      if (!isRecord(w) || typeof w.name !== "string" || !Array.isArray(w.shape) || !w.shape.every((d) => Number.isInteger(d) && d >= 0)) {
        throw new EngineInputError(`${label}: weightsManifest group ${g} has a weight without a name and integer shape`);
      }
      const spec = w as unknown as tf.io.WeightsManifestEntry;
      expected += specBytes(spec);
      specs.push(spec);
    }
    let held = 0;
    for (const p of group.paths) {
      if (typeof p !== "string") throw new EngineInputError(`${label}: weightsManifest group ${g} has a non-string path`);
      const bytes = await readShard(p);
      if (bytes === undefined) throw new EngineInputError(`${label}: weight shard "${p}" named in model.json was not found`);
      held += bytes.byteLength;
      chunks.push(bytes);
    }
    if (held !== expected) {
      throw new EngineInputError(
        `${label}: weight shards of group ${g} hold ${held} bytes but model.json's manifest describes ${expected} bytes`,
      );
    }
  }
  const total = chunks.reduce((a, c) => a + c.byteLength, 0);
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    weightData.set(c, offset);
    offset += c.byteLength;
  }
  // Keras-converted files keep the training config inside the topology; TF.js-saved ones beside it.
  const trainingConfig = json.trainingConfig ?? wrappedTrainingConfig ?? (topology as Record<string, unknown>).training_config;
  notes.push(...quantizationNotes(specs));
  return {
    modelTopology: topology as Record<string, unknown>,
    weightSpecs: specs,
    weightData: weightData.buffer,
    ...(trainingConfig === undefined || trainingConfig === null ? {} : { trainingConfig }),
    ...(isRecord(json.userDefinedMetadata) ? { userDefinedMetadata: json.userDefinedMetadata } : {}),
    ...(notes.length > 0 ? { notes } : {}),
  };
}

/** One line per storage type of weights that are not plain float32: they are dequantized at load. */
function quantizationNotes(specs: readonly tf.io.WeightsManifestEntry[]): string[] {
  const byType = new Map<string, number>();
  for (const spec of specs) {
    if (spec.group === "optimizer") continue;
    const q = spec.quantization?.dtype;
    if (q !== undefined) byType.set(q, (byType.get(q) ?? 0) + 1);
  }
  return [...byType].map(([dtype, count]) =>
    dtype === "float16"
      ? `${count} weight tensor${count === 1 ? " is" : "s are"} stored as float16 and widened to float32 at load`
      : `${count} weight tensor${count === 1 ? " is" : "s are"} quantized to ${dtype} and dequantized at load (value = q * scale + min); the surface is that of the dequantized model`,
  );
}

/**
 * Rewrites what Keras 3 writes into the Keras 2 forms TF.js Layers reads, in a copy:
 * - `module`, `registered_name`, `build_config`, `compile_config` dropped (bookkeeping);
 * - dtype policy objects ({ class_name: "DTypePolicy", config: { name } }) become "float32"
 *   (the engine computes in float32; a mixed or lower-precision policy is noted);
 * - InputLayer's `batch_shape` becomes `batch_input_shape`;
 * - a functional layer's `inbound_nodes` as [{ args: [keras tensors], kwargs }] become
 *   [[[layer, node, tensor, {}], ...]], and a single input/output triple becomes a list of one;
 *   TF.js counts the calls of a nested model from 1 (its node 0 links the nested model's own
 *   input); Keras 3 counts them from 0 in inbound nodes, and in input_layers/output_layers from 1
 *   for a nested functional model but from 0 for a nested Sequential, so those references move up;
 * - regularizers and constraints dropped: they shape training only, and Keras 3 names some
 *   (L2, NonNeg) differently from TF.js.
 * Keras 2 and TF.js topologies pass through unchanged.
 */
export function normalizeTopology(topology: Record<string, unknown>, notes: string[], label = "model"): Record<string, unknown> {
  const policies = new Set<string>();
  // Models used as layers (they have inbound nodes), by name, and whether the file is Keras 3's.
  const nested = new Map<string, string>();
  let keras3 = false;
  const survey = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(survey);
    else if (isRecord(value)) {
      if (typeof value.class_name === "string" && ["Sequential", "Functional", "Model"].includes(value.class_name) && "inbound_nodes" in value && isRecord(value.config)) {
        nested.set(String(value.name ?? value.config.name), value.class_name);
      }
      if (value.class_name === "__keras_tensor__") keras3 = true;
      Object.values(value).forEach(survey);
    }
  };
  survey(topology);
  const history = (tensor: Record<string, unknown>): unknown[] => {
    const config = isRecord(tensor.config) ? tensor.config : {};
    const h = config.keras_history;
    if (!Array.isArray(h) || typeof h[0] !== "string") throw new EngineInputError(`${label}: a Keras 3 node input has no keras_history`);
    const node = Number(h[1] ?? 0) + (nested.has(h[0]) ? 1 : 0);
    return [h[0], node, Number(h[2] ?? 0), {}];
  };
  const nodeInputs = (value: unknown, out: unknown[][]): void => {
    if (Array.isArray(value)) value.forEach((v) => nodeInputs(v, out));
    else if (isRecord(value) && value.class_name === "__keras_tensor__") out.push(history(value));
  };
  const walk = (value: unknown, key: string | null): unknown => {
    if (Array.isArray(value)) {
      if (key === "input_layers" || key === "output_layers") {
        const triples = (typeof value[0] === "string" ? [value] : value) as unknown[][];
        return triples.map((t) => (keras3 && Array.isArray(t) && nested.get(String(t[0])) === "Sequential" ? [t[0], Number(t[1]) + 1, t[2]] : t));
      }
      if (key === "inbound_nodes" && value.some((n) => isRecord(n) && "args" in n)) {
        return value.map((n) => {
          const inputs: unknown[][] = [];
          nodeInputs(isRecord(n) ? n.args : n, inputs);
          return inputs;
        });
      }
      return value.map((v) => walk(v, null));
    }
    if (!isRecord(value)) return value;
    if (key === "dtype" && typeof value.class_name === "string" && /Policy$/.test(value.class_name)) {
      const name = isRecord(value.config) ? String(value.config.name ?? "float32") : "float32";
      if (name !== "float32") policies.add(name);
      return "float32";
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === "module" || k === "registered_name" || k === "build_config" || k === "compile_config" || k === "shared_object_id") continue;
      if (k.endsWith("_regularizer") || k.endsWith("_constraint")) {
        out[k] = null;
        continue;
      }
      out[k === "batch_shape" ? "batch_input_shape" : k] = walk(v, k);
    }
    if (out.class_name === "Conv2D" && isRecord(out.config) && Number(out.config.groups ?? 1) !== 1) {
      throw new EngineInputError(`${label}: layer "${String(out.config.name)}" is a grouped convolution (groups = ${String(out.config.groups)}), which TF.js Layers and the engine do not support`);
    }
    return out;
  };
  const normalized = walk(topology, null) as Record<string, unknown>;
  for (const name of policies) notes.push(`dtype policy "${name}" is evaluated in float32`);
  return normalized;
}

/** A set of float32 weights, named as the model names them, in manifest order. */
export interface NamedWeights {
  readonly names: readonly string[];
  readonly shapes: readonly (readonly number[])[];
  readonly values: readonly Float32Array[];
}

/** model.json text and the single shard "weights.bin" for a set of weights sharing a topology. */
export function encodeLayersFiles(
  modelTopology: Record<string, unknown>,
  weights: NamedWeights,
  userDefinedMetadata?: Record<string, unknown>,
): { modelJson: string; weightsBin: Uint8Array } {
  const total = weights.values.reduce((a, v) => a + v.length, 0);
  const bin = new Float32Array(total);
  let offset = 0;
  for (const v of weights.values) {
    bin.set(v, offset);
    offset += v.length;
  }
  const modelJson = JSON.stringify({
    format: "layers-model",
    generatedBy: "Loss Atlas engine",
    convertedBy: null,
    modelTopology,
    weightsManifest: [
      {
        paths: ["weights.bin"],
        weights: weights.names.map((name, i) => ({ name, shape: [...weights.shapes[i]!], dtype: "float32" })),
      },
    ],
    ...(userDefinedMetadata ? { userDefinedMetadata } : {}),
  });
  return { modelJson, weightsBin: new Uint8Array(bin.buffer) };
}

/** Writes encodeLayersFiles' output to `folder` (created if missing) as model.json + weights.bin. */
export async function writeLayersFolder(
  folder: string,
  modelTopology: Record<string, unknown>,
  weights: NamedWeights,
  userDefinedMetadata?: Record<string, unknown>,
): Promise<void> {
  const { modelJson, weightsBin } = encodeLayersFiles(modelTopology, weights, userDefinedMetadata);
  await fs.mkdir(folder, { recursive: true });
  await fs.writeFile(path.join(folder, "model.json"), modelJson);
  await fs.writeFile(path.join(folder, "weights.bin"), weightsBin);
}

/**
 * Decodes every float32 weight of `artifacts` to host arrays by name (optimizer state excluded).
 * Quantized or non-float weights are decoded by TF.js and converted.
 */
export async function decodeNamedWeights(
  artifacts: LayersArtifacts,
  decode: (data: ArrayBuffer, specs: tf.io.WeightsManifestEntry[]) => tf.NamedTensorMap,
): Promise<Map<string, { shape: number[]; values: Float32Array }>> {
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  let offset = 0;
  const simple = artifacts.weightSpecs.every((s) => s.dtype === "float32" && s.quantization === undefined);
  if (simple) {
    for (const spec of artifacts.weightSpecs) {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      // Copy: the shared buffer may not be 4-byte aligned at this offset.
      const values = new Float32Array(artifacts.weightData.slice(offset, offset + size * 4));
      offset += size * 4;
      if (spec.group !== "optimizer") out.set(spec.name, { shape: [...spec.shape], values });
    }
    return out;
  }
  const tensors = decode(artifacts.weightData, artifacts.weightSpecs);
  for (const spec of artifacts.weightSpecs) {
    const t = tensors[spec.name];
    if (t === undefined || spec.group === "optimizer") continue;
    out.set(spec.name, { shape: [...spec.shape], values: Float32Array.from(await t.data()) });
  }
  for (const t of Object.values(tensors)) t.dispose();
  return out;
}
