/**
 * ONNX files through protobufjs and the official schema (server/onnx/onnx.proto, ONNX 1.23, kept
 * as published): decoding a ModelProto into plain objects, reading tensors as numbers, and
 * re-encoding a model with some initializers replaced (directions are written that way).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";
import { EngineInputError } from "../errors.js";

/** The schema sits in server/onnx, three folders up from both src/engine/onnx and dist/engine/onnx. */
const SCHEMA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../onnx/onnx.proto");

let modelType: protobuf.Type | null = null;

function schema(): protobuf.Type {
  if (modelType === null) {
    const root = new protobuf.Root().loadSync(SCHEMA, { keepCase: true });
    modelType = root.lookupType("onnx.ModelProto");
  }
  return modelType;
}

export interface OnnxTensor {
  name?: string;
  dims?: number[];
  data_type?: number;
  float_data?: number[];
  int32_data?: number[];
  int64_data?: number[];
  double_data?: number[];
  raw_data?: Uint8Array;
  data_location?: number;
  external_data?: unknown[];
}

export interface OnnxAttribute {
  name: string;
  type?: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: OnnxTensor;
  floats?: number[];
  ints?: number[];
}

export interface OnnxNode {
  name?: string;
  op_type: string;
  domain?: string;
  input?: string[];
  output?: string[];
  attribute?: OnnxAttribute[];
}

export interface OnnxValueInfo {
  name: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim?: { dim_value?: number; dim_param?: string }[] } } };
}

export interface OnnxGraph {
  name?: string;
  node?: OnnxNode[];
  initializer?: OnnxTensor[];
  input?: OnnxValueInfo[];
  output?: OnnxValueInfo[];
}

export interface OnnxModel {
  ir_version?: number;
  producer_name?: string;
  producer_version?: string;
  opset_import?: { domain?: string; version?: number }[];
  graph?: OnnxGraph;
  metadata_props?: { key: string; value: string }[];
}

/** True when the bytes look like an ONNX ModelProto (used to tell .onnx files from zips and JSON). */
export function looksLikeOnnx(bytes: Uint8Array): boolean {
  // A ModelProto starts with field 1 (ir_version, varint): tag byte 0x08.
  return bytes.length > 2 && bytes[0] === 0x08;
}

/** Decodes an ONNX model; throws EngineInputError naming `label` when the bytes are not one. */
export function decodeOnnx(bytes: Uint8Array, label: string): OnnxModel {
  let message: protobuf.Message;
  try {
    message = schema().decode(bytes);
  } catch (error) {
    throw new EngineInputError(`${label}: not a readable ONNX file (${(error as Error).message})`);
  }
  const model = schema().toObject(message, { longs: Number, defaults: false, arrays: true }) as OnnxModel;
  if (model.graph === undefined) throw new EngineInputError(`${label}: the ONNX file holds no graph`);
  return model;
}

/** Encodes a (possibly modified) decoded model back to bytes. */
export function encodeOnnx(model: OnnxModel): Uint8Array {
  const type = schema();
  return type.encode(type.fromObject(model as unknown as Record<string, unknown>)).finish();
}

const FLOAT = 1, UINT8 = 2, INT8 = 3, INT32 = 6, INT64 = 7, BOOL = 9, FLOAT16 = 10, DOUBLE = 11;

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f === 0 ? s * Infinity : Number.NaN;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** The values of a tensor as float64 numbers (float, double, float16, integer and bool types). */
export function tensorValues(t: OnnxTensor, label: string): { dims: number[]; values: Float64Array; integer: boolean } {
  const dims = (t.dims ?? []).map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  if (t.data_location === 1 || (t.external_data?.length ?? 0) > 0) {
    throw new EngineInputError(`${label}: tensor "${t.name ?? ""}" is stored in an external file; export the model with its weights inside (save_as_external_data=False)`);
  }
  const type = t.data_type ?? FLOAT;
  const raw = t.raw_data;
  const out = new Float64Array(count);
  const integer = type !== FLOAT && type !== DOUBLE && type !== FLOAT16;
  if (raw !== undefined && raw.byteLength > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const size = { [FLOAT]: 4, [DOUBLE]: 8, [FLOAT16]: 2, [INT32]: 4, [INT64]: 8, [UINT8]: 1, [INT8]: 1, [BOOL]: 1 }[type];
    if (size === undefined) throw new EngineInputError(`${label}: tensor "${t.name ?? ""}" has data type ${type}, which the engine does not read`);
    if (raw.byteLength !== size * count) throw new EngineInputError(`${label}: tensor "${t.name ?? ""}" holds ${raw.byteLength} bytes for ${count} values`);
    for (let i = 0; i < count; i++) {
      const o = i * size;
      out[i] = type === FLOAT ? view.getFloat32(o, true)
        : type === DOUBLE ? view.getFloat64(o, true)
        : type === FLOAT16 ? halfToFloat(view.getUint16(o, true))
        : type === INT32 ? view.getInt32(o, true)
        : type === INT64 ? Number(view.getBigInt64(o, true))
        : type === INT8 ? view.getInt8(o)
        : view.getUint8(o);
    }
    return { dims, values: out, integer };
  }
  const list = type === FLOAT ? t.float_data
    : type === DOUBLE ? t.double_data
    : type === INT64 ? t.int64_data
    : type === FLOAT16 ? t.int32_data?.map(halfToFloat)
    : [INT32, UINT8, INT8, BOOL].includes(type) ? t.int32_data : undefined;
  if (list === undefined && count > 0) throw new EngineInputError(`${label}: tensor "${t.name ?? ""}" has data type ${type}, which the engine does not read`);
  if ((list?.length ?? 0) !== count) throw new EngineInputError(`${label}: tensor "${t.name ?? ""}" holds ${list?.length ?? 0} values for shape [${dims.join(", ")}]`);
  for (let i = 0; i < count; i++) out[i] = Number(list![i]);
  return { dims, values: out, integer };
}

/** A float32 tensor proto with the values as raw little-endian bytes. */
export function floatTensor(name: string, dims: readonly number[], values: Float32Array): OnnxTensor {
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return { name, dims: [...dims], data_type: FLOAT, raw_data: raw };
}

export function attribute(node: OnnxNode, name: string): OnnxAttribute | undefined {
  return node.attribute?.find((a) => a.name === name);
}

export function intAttr(node: OnnxNode, name: string, fallback: number): number {
  const a = attribute(node, name);
  return a?.i !== undefined ? Number(a.i) : fallback;
}

export function floatAttr(node: OnnxNode, name: string, fallback: number): number {
  const a = attribute(node, name);
  return a?.f !== undefined ? Number(a.f) : fallback;
}

export function intsAttr(node: OnnxNode, name: string): number[] | undefined {
  const a = attribute(node, name);
  return a?.ints !== undefined && a.ints.length > 0 ? a.ints.map(Number) : undefined;
}

export function stringAttr(node: OnnxNode, name: string): string | undefined {
  const a = attribute(node, name);
  return a?.s !== undefined ? new TextDecoder().decode(a.s) : undefined;
}

/**
 * The graph's initializers by name, with the names PyTorch's exporter gives through Identity
 * nodes: it stores parameters with identical values once ("deduplicated") and names the others
 * as Identity outputs of the one kept. Each name is still a parameter of its own.
 */
export function initializersWithAliases(graph: OnnxGraph): { inits: Map<string, OnnxTensor>; aliasNodes: Set<OnnxNode> } {
  const inits = new Map<string, OnnxTensor>((graph.initializer ?? []).map((t) => [t.name ?? "", t]));
  const aliasNodes = new Set<OnnxNode>();
  for (const n of graph.node ?? []) {
    const source = n.input?.[0];
    const target = n.output?.[0];
    if (n.op_type !== "Identity" || source === undefined || target === undefined) continue;
    const t = inits.get(source);
    if (t === undefined || inits.has(target)) continue;
    inits.set(target, { ...t, name: target });
    aliasNodes.add(n);
  }
  return { inits, aliasNodes };
}
