/**
 * Directions in parameter space (Li et al. 2018, "Visualizing the Loss Landscape of Neural
 * Nets", section 4). A direction has the model's shape: one array per parameter. Random ones
 * are Gaussian from a seeded generator, then normalized so that the plot's scale means the same
 * thing in every layer.
 */
import fs from "node:fs/promises";
import path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { EngineInputError } from "./errors.js";
import { FROZEN_MODES, type FrozenMode, IGNORE_MODES, type IgnoreMode, NORMALIZATIONS, type Normalization } from "./options.js";
import { decodeNamedWeights, type ModelSource, readLayersArtifacts, writeLayersFolder, encodeLayersFiles } from "./model-io.js";
import type { LoadedModel, Param } from "./model-types.js";
import { encodeOnnxDirection, looksLikeOnnx, readOnnxDirection } from "./onnx/load.js";
import { SeededRandom } from "./rng.js";

/** A direction: one float32 array per model parameter, in the model's parameter order. */
export type Direction = Float32Array[];


export interface DirectionOptions {
  /** Seed of the Gaussian draw; default 0. */
  readonly seed?: number;
  /** Default "filter". */
  readonly norm?: Normalization;
  /** Default "biasbn". */
  readonly ignore?: IgnoreMode;
  /** Default "move". */
  readonly frozen?: FrozenMode;
}

/**
 * True when a parameter gets zero direction whatever the normalization: BatchNorm moving
 * statistics are state (the authors' directions skip them too), and with frozen "still" the
 * weights of non-trainable layers.
 */
function held(p: Param, frozen: FrozenMode): boolean {
  return p.state || (p.frozen && frozen === "still");
}

/**
 * Trailing axes of a kernel that number its filters: the output units of Dense and Conv2D (the
 * last axis); for DepthwiseConv2D ([kh, kw, in, multiplier]) every (input channel, multiplier)
 * pair is a filter of its own, as PyTorch's depthwise weight [in * multiplier, 1, kh, kw] has it.
 */
export function filterAxes(p: Param): number {
  return p.key === "depthwise_kernel" && p.shape.length === 4 ? 2 : 1;
}

/** True for parameters with one value per unit (biases, BatchNorm scale and shift). */
function isBiasOrBn(p: Param): boolean {
  return p.role === "bias" || p.role === "batchnorm" || p.shape.length <= 1;
}

/**
 * True when a random direction under `ignore` and `frozen` can move parameter `p`: the parameter
 * set of surfaces, and the one the Hessian (hessian.ts) is taken over.
 */
export function directionCovers(p: Param, ignore: IgnoreMode = "biasbn", frozen: FrozenMode = "move"): boolean {
  if (held(p, frozen)) return false;
  return !(isBiasOrBn(p) && ignore === "biasbn");
}

function norm(values: Float32Array, start = 0, stride = 1, count = values.length): number {
  let s = 0;
  for (let i = 0, k = start; i < count; i++, k += stride) s += values[k]! * values[k]!;
  return Math.sqrt(s);
}

/**
 * Normalizes one parameter's direction `d` against theta's values `w`, in place.
 * filter, Li et al. eq. (in section 4): d_{i,j} <- d_{i,j} / ||d_{i,j}|| * ||theta_{i,j}||,
 * with j running over the last `axes` axes taken together (the filters; see filterAxes). A zero
 * filter in theta gives a zero direction.
 */
export function normalizeParameter(d: Float32Array, w: Float32Array, shape: readonly number[], mode: Normalization, axes = 1): void {
  if (mode === "none") return;
  if (mode === "weight") {
    for (let i = 0; i < d.length; i++) d[i] = d[i]! * w[i]!;
    return;
  }
  if (mode === "layer" || shape.length === 0) {
    const dn = norm(d);
    const scale = dn === 0 ? 0 : norm(w) / dn;
    for (let i = 0; i < d.length; i++) d[i] = d[i]! * scale;
    return;
  }
  const filters = shape.slice(shape.length - axes).reduce((a, b) => a * b, 1);
  const per = d.length / filters;
  for (let j = 0; j < filters; j++) {
    // Entries of filter j sit at j, j + filters, j + 2*filters, ... in C order.
    const dn = norm(d, j, filters, per);
    const scale = dn === 0 ? 0 : norm(w, j, filters, per) / dn;
    for (let i = 0, k = j; i < per; i++, k += filters) d[k] = d[k]! * scale;
  }
}

/**
 * A random direction for `model` (theta = its weights), seeded; `stream` tells the x direction (0)
 * from the y direction (1) so each is the same whether or not the other is drawn.
 * With ignore "biasbn", 1-D parameters get zero; otherwise, as in the authors' code
 * (net_plotter.normalize_directions_for_weights), a 1-D parameter's direction is theta's own values.
 */
export function randomDirection(model: LoadedModel, options: DirectionOptions = {}, stream = 0, theta: readonly Float32Array[] = model.theta): Direction {
  const { seed = 0, norm: mode = "filter", ignore = "biasbn", frozen = "move" } = options;
  if (!NORMALIZATIONS.includes(mode)) throw new EngineInputError(`unknown normalization "${mode}" (choose one of ${NORMALIZATIONS.join(", ")})`);
  if (!IGNORE_MODES.includes(ignore)) throw new EngineInputError(`unknown --ignore "${ignore}" (choose one of ${IGNORE_MODES.join(", ")})`);
  if (!FROZEN_MODES.includes(frozen)) throw new EngineInputError(`unknown --frozen "${frozen}" (choose one of ${FROZEN_MODES.join(", ")})`);
  const rng = new SeededRandom(seed, stream);
  return model.params.map((p, i) => {
    const d = new Float32Array(p.size);
    // Every parameter consumes its draws, so the stream does not depend on the options.
    for (let k = 0; k < d.length; k++) d[k] = rng.nextGaussian();
    const w = theta[i]!;
    if (held(p, frozen)) return d.fill(0);
    if (isBiasOrBn(p)) return ignore === "biasbn" ? d.fill(0) : Float32Array.from(w);
    normalizeParameter(d, w, p.shape, mode, filterAxes(p));
    return d;
  });
}

/** <a, b> over all parameters, in float64. */
export function dot(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let s = 0;
  a.forEach((x, i) => {
    const y = b[i]!;
    for (let k = 0; k < x.length; k++) s += x[k]! * y[k]!;
  });
  return s;
}

/** Cosine of the angle between two directions (0 when either is zero). */
export function cosine(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  const d = Math.sqrt(dot(a, a) * dot(b, b));
  return d === 0 ? 0 : dot(a, b) / d;
}

/** dy minus its projection on dx (Gram-Schmidt), as a new direction. */
export function orthogonalize(dx: readonly Float32Array[], dy: readonly Float32Array[]): Direction {
  const xx = dot(dx, dx);
  const c = xx === 0 ? 0 : dot(dx, dy) / xx;
  return dy.map((y, i) => {
    const x = dx[i]!;
    const out = new Float32Array(y.length);
    for (let k = 0; k < y.length; k++) out[k] = y[k]! - c * x[k]!;
    return out;
  });
}

/** b - a, per parameter: the direction from model a to model b. */
export function difference(a: readonly Float32Array[], b: readonly Float32Array[]): Direction {
  return a.map((x, i) => {
    const y = b[i]!;
    const out = new Float32Array(x.length);
    for (let k = 0; k < x.length; k++) out[k] = y[k]! - x[k]!;
    return out;
  });
}

/** What a saved direction records about itself, in model.json's userDefinedMetadata. */
export interface DirectionMetadata {
  readonly axis: "x" | "y";
  readonly kind: "random" | "pca" | "interpolation" | "three-model";
  readonly seed?: number;
  readonly norm?: Normalization;
  readonly ignore?: IgnoreMode;
  readonly frozen?: FrozenMode;
  readonly [extra: string]: unknown;
}

/** The direction as model.json text and weights.bin bytes (same topology as the model). */
export function encodeDirection(model: LoadedModel, direction: Direction, metadata: DirectionMetadata): { modelJson: string; weightsBin: Uint8Array } {
  if (model.onnx !== undefined) {
    // An ONNX model's direction is an ONNX file; model.json says so (stored pairs keep one layout).
    const lossAtlas = { type: "direction", ...metadata };
    return { modelJson: JSON.stringify({ format: ONNX_DIRECTION_FORMAT, file: "weights.bin", userDefinedMetadata: { lossAtlas } }), weightsBin: encodeOnnxDirection(model, direction, lossAtlas) };
  }
  return encodeLayersFiles(model.artifacts.modelTopology, namedWeights(model, direction), { lossAtlas: { type: "direction", ...metadata } });
}

/** Writes a direction to `folder` as model.json + weights.bin, loadable as the model itself. */
export async function saveDirection(folder: string, model: LoadedModel, direction: Direction, metadata: DirectionMetadata): Promise<void> {
  if (model.onnx !== undefined) {
    await saveOnnxDirection(folder.toLowerCase().endsWith(".onnx") ? folder : `${folder}.onnx`, model, direction, metadata);
    return;
  }
  await writeLayersFolder(folder, model.artifacts.modelTopology, namedWeights(model, direction), { lossAtlas: { type: "direction", ...metadata } });
}

function namedWeights(model: LoadedModel, direction: Direction) {
  return { names: model.params.map((p) => p.name), shapes: model.params.map((p) => p.shape), values: direction };
}

/**
 * Matches named weights (of a direction or another model) to `model`'s parameters: by name when
 * every name is present, else by position when the shapes agree in order (two models built in
 * different sessions get different automatic layer names). Throws EngineInputError otherwise.
 */
export function matchWeights(model: LoadedModel, weights: Map<string, { shape: number[]; values: Float32Array }>, label: string): Float32Array[] {
  const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
  if (model.params.every((p) => weights.has(p.name))) {
    return model.params.map((p) => {
      const w = weights.get(p.name)!;
      if (!sameShape(w.shape, p.shape)) {
        throw new EngineInputError(`${label}: weight "${p.name}" has shape [${w.shape.join(", ")}] but the model's is [${p.shape.join(", ")}]`);
      }
      return w.values;
    });
  }
  const list = [...weights.values()];
  if (list.length !== model.params.length) {
    const missing = model.params.find((p) => !weights.has(p.name))!;
    throw new EngineInputError(`${label} does not match the model: it has no weight "${missing.name}" and holds ${list.length} weights where the model has ${model.params.length}`);
  }
  return model.params.map((p, i) => {
    const w = list[i]!;
    if (!sameShape(w.shape, p.shape)) {
      throw new EngineInputError(`${label} does not match the model: weight ${i} has shape [${w.shape.join(", ")}] but the model's "${p.name}" is [${p.shape.join(", ")}]`);
    }
    return w.values;
  });
}

/** Loads a saved direction (or any model's weights used as a direction) and checks it fits `model`. */
export async function loadDirection(source: ModelSource, model: LoadedModel, label = "direction"): Promise<Direction> {
  if (model.onnx !== undefined) {
    const onnx = await onnxDirectionBytes(source, label);
    if (onnx !== null) return readOnnxDirection(onnx, model, label);
  }
  const artifacts = await readLayersArtifacts(source, label);
  const weights = await decodeNamedWeights(artifacts, (data, specs) => tf.io.decodeWeights(data, specs));
  const values = matchWeights(model, weights, label);
  // BatchNorm running statistics move only along a direction between models that this engine
  // wrote (B - A); a model used as a direction holds its own statistics there, not a move.
  const kind = (artifacts.userDefinedMetadata?.lossAtlas as { kind?: unknown } | undefined)?.kind;
  if (kind === "interpolation" || kind === "three-model") return values;
  return values.map((v, i) => (model.params[i]!.state ? new Float32Array(v.length) : v));
}

/** The weights of `other` in `model`'s parameter order; throws if the architectures differ. */
export function alignModel(model: LoadedModel, other: LoadedModel, label: string): Float32Array[] {
  const weights = new Map(other.params.map((p, i) => [p.name, { shape: [...p.shape], values: other.theta[i]! }]));
  return matchWeights(model, weights, label);
}

/** model.json's `format` when a stored direction pair holds an ONNX file as weights.bin. */
export const ONNX_DIRECTION_FORMAT = "onnx-direction";

/** Writes an ONNX model's direction as an ONNX file of the same graph (see onnx/load.ts). */
export async function saveOnnxDirection(file: string, model: LoadedModel, direction: Direction, metadata: DirectionMetadata): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, encodeOnnxDirection(model, direction, { type: "direction", ...metadata }));
}

/** The ONNX bytes of a direction source, or null when it is a TF.js Layers direction. */
async function onnxDirectionBytes(source: ModelSource, label: string): Promise<Uint8Array | null> {
  if (source instanceof Uint8Array) return looksLikeOnnx(source) ? source : null;
  if (typeof source === "string") {
    let stat;
    try {
      stat = await fs.stat(source);
    } catch {
      throw new EngineInputError(`${label} does not exist`);
    }
    if (stat.isDirectory()) {
      const inside = (await fs.readdir(source)).filter((f) => f.toLowerCase().endsWith(".onnx"));
      if (inside.length === 1) return new Uint8Array(await fs.readFile(path.join(source, inside[0]!)));
      return null;
    }
    const bytes = new Uint8Array(await fs.readFile(source));
    return source.toLowerCase().endsWith(".onnx") || looksLikeOnnx(bytes) ? bytes : null;
  }
  let json: unknown;
  try {
    json = JSON.parse(typeof source.modelJson === "string" ? source.modelJson : new TextDecoder().decode(source.modelJson));
  } catch {
    return null;
  }
  if (typeof json !== "object" || json === null || (json as { format?: unknown }).format !== ONNX_DIRECTION_FORMAT) return null;
  const shards = source.shards instanceof Map ? source.shards : new Map(Object.entries(source.shards));
  const file = shards.get(String((json as { file?: unknown }).file ?? "weights.bin"));
  if (file === undefined) throw new EngineInputError(`${label}: the ONNX direction file is missing`);
  return file;
}
