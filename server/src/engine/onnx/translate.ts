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
 */
import * as tf from "@tensorflow/tfjs-core";
import { EngineInputError } from "../errors.js";
import { assertGraphBounds } from "./bounds.js";
import { forwardLayer } from "../layers.js";
import type { LossSpec } from "../loss.js";
import type { OnnxParamLayout, Param, ParamRole, Step } from "../model-types.js";
import {
  type OnnxModel, type OnnxNode, attribute, initializersWithAliases, floatAttr, intAttr, intsAttr, stringAttr, tensorValues,
} from "./proto.js";

export type { OnnxParamLayout } from "../model-types.js";

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

/** The operators the translator reads (ai.onnx domain). */
export const SUPPORTED_ONNX_OPS = [
  "Conv", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Pow", "Relu", "LeakyRelu", "Elu", "Sigmoid", "Tanh", "Softmax",
  "LogSoftmax", "Gelu", "Erf", "Clip", "BatchNormalization", "MaxPool", "AveragePool", "GlobalAveragePool", "ReduceMean",
  "Flatten", "Reshape", "Transpose", "Concat", "Pad", "Dropout", "Identity", "Constant", "Shape", "Gather", "Unsqueeze",
  "Squeeze", "Cast", "Softplus", "ConstantOfShape", "Slice",
] as const;

type Layout = "nhwc" | "plain";
interface Act { readonly kind: "act"; readonly id: number; readonly shape: readonly number[]; readonly layout: Layout }
interface Const { readonly kind: "const"; readonly dims: readonly number[]; readonly values: Float64Array; readonly init?: string }
/** An integer vector holding the batch size symbolically ("N"), as Shape(x) gives it. */
interface Sym { readonly kind: "sym"; readonly values: readonly (number | "N")[]; readonly scalar: boolean }
type Value = Act | Const | Sym;

const TO_NHWC = [0, 2, 3, 1];
const TO_NCHW = [0, 3, 1, 2];
const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** values (C order, shape dims) permuted: out[i_0..] = in[i_perm[0]..]; out shape = perm of dims. */
export function permute(values: ArrayLike<number>, dims: readonly number[], perm: readonly number[]): Float32Array {
  const rank = dims.length;
  const out = new Float32Array(values.length);
  if (rank === 0 || perm.every((p, i) => p === i)) {
    for (let i = 0; i < values.length; i++) out[i] = values[i]!;
    return out;
  }
  const outDims = perm.map((p) => dims[p]!);
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= dims[i]!;
  }
  const stride = perm.map((p) => inStrides[p]!);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let k = 0; k < rank; k++) src += idx[k]! * stride[k]!;
    out[o] = values[src]!;
    for (let k = rank - 1; k >= 0; k--) {
      if (++idx[k]! < outDims[k]!) break;
      idx[k] = 0;
    }
  }
  return out;
}

export function inversePerm(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => { inv[p] = i; });
  return inv;
}

/** The engine array of a parameter from its ONNX initializer values. */
export function toEngineLayout(values: ArrayLike<number>, layout: OnnxParamLayout): Float32Array {
  return permute(values, layout.viewDims, layout.perm);
}

/** The ONNX initializer values of a parameter from its engine array. */
export function toOnnxLayout(values: Float32Array, layout: OnnxParamLayout): Float32Array {
  const permuted = layout.perm.map((p) => layout.viewDims[p]!);
  return permute(values, permuted, inversePerm(layout.perm));
}

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

  const params: Param[] = [];
  const theta: Float32Array[] = [];
  const layouts: OnnxParamLayout[] = [];
  const steps: Step[] = [];
  const values = new Map<string, Value>();
  const dummy = new Map<number, tf.Tensor>();
  const weightTensors = new Map<number, tf.Tensor>();
  const paramByInit = new Map<string, number>();
  const converted = new Map<string, Act>();
  const notes: string[] = [];
  let flops = 0;
  let nextId = 0;
  let hasConv = false;
  let hasBatchNorm = false;

  const nodeLabel = (n: OnnxNode) => `node "${n.name ?? ""}" (${n.op_type})`;
  const refuse = (n: OnnxNode, why: string): never => {
    throw new EngineInputError(`${label}: ${nodeLabel(n)} ${why}`);
  };

  const inputValue = nextId++;
  const nhwcInput = sample.length === 3;
  const inputShape = nhwcInput ? TO_NHWC.slice(1).map((p) => sample[p - 1]!) : sample;
  values.set(input.name, { kind: "act", id: inputValue, shape: inputShape, layout: nhwcInput ? "nhwc" : "plain" });
  dummy.set(inputValue, tf.zeros([1, ...inputShape]));
  steps.push({ className: "InputLayer", name: input.name, config: {}, params: {}, inputs: [], output: inputValue });

  try {
    const logicalShape = (a: Act): number[] => (a.layout === "nhwc" ? [a.shape[2]!, a.shape[0]!, a.shape[1]!] : [...a.shape]);

    const addStep = (n: OnnxNode | string, className: string, config: Record<string, unknown>, stepParams: Record<string, number>, ins: readonly Act[], layout: Layout): Act => {
      const id = nextId++;
      const name = typeof n === "string" ? n : (n.name || n.output?.[0] || `${n.op_type}_${id}`);
      const w = Object.fromEntries(Object.entries(stepParams).map(([k, i]) => {
        let t = weightTensors.get(i);
        if (t === undefined) {
          t = tf.tensor(theta[i]!, params[i]!.shape as number[], "float32");
          weightTensors.set(i, t);
        }
        return [k, t];
      }));
      let out: tf.Tensor;
      try {
        out = forwardLayer(className, config, ins.map((a) => dummy.get(a.id)!), w);
      } catch (error) {
        if (error instanceof EngineInputError) throw error;
        throw new EngineInputError(`${label}: ${typeof n === "string" ? `step "${n}"` : nodeLabel(n)} cannot be evaluated on its input of shape [${ins.map((a) => logicalShape(a).join(", ")).join("; ")}] (${(error as Error).message.split("\n")[0]})`);
      }
      dummy.set(id, out);
      const shape = out.shape.slice(1);
      const kernel = stepParams.kernel ?? stepParams.depthwise_kernel;
      if (kernel !== undefined) {
        const k = params[kernel]!.shape;
        const outSize = prod(shape);
        if (className === "Dense") flops += 2 * k[0]! * outSize;
        else if (className === "Conv2D" || className === "GroupedConv2D") flops += 2 * k[0]! * k[1]! * k[2]! * outSize;
        else if (className === "DepthwiseConv2D") flops += 2 * k[0]! * k[1]! * outSize;
      }
      steps.push({ className, name, config, params: stepParams, inputs: ins.map((a) => a.id), output: id });
      return { kind: "act", id, shape, layout };
    };

    /** The value in ONNX's own element order (a Permute step when it is stored channels-last). */
    const toPlain = (a: Act): Act => {
      if (a.layout === "plain") return a;
      const key = `plain:${a.id}`;
      const known = converted.get(key);
      if (known) return known;
      const out = addStep(`permute_to_nchw_${a.id}`, "Permute", { perm: TO_NCHW }, {}, [a], "plain");
      converted.set(key, out);
      return out;
    };
    /** A plain [C, H, W] sample as channels-last (for Conv, pooling, BatchNorm of images). */
    const toNhwc = (a: Act, n: OnnxNode): Act => {
      if (a.layout === "nhwc") return a;
      if (a.shape.length !== 3) refuse(n, `needs a 4-D input [N, C, H, W]; it gets [N, ${a.shape.join(", ")}]`);
      const key = `nhwc:${a.id}`;
      const known = converted.get(key);
      if (known) return known;
      const out = addStep(`permute_to_nhwc_${a.id}`, "Permute", { perm: TO_NHWC }, {}, [a], "nhwc");
      converted.set(key, out);
      return out;
    };
    /** Plain, but without a Permute when only the channel axis is longer than 1 (same element order). */
    const toFlatOrder = (a: Act): Act => (a.layout === "nhwc" && a.shape[0] === 1 && a.shape[1] === 1 ? { ...a, layout: "plain" } : toPlain(a));

    const get = (n: OnnxNode, i: number): Value | undefined => {
      const name = n.input?.[i];
      if (name === undefined || name === "") return undefined;
      const v = values.get(name);
      if (v !== undefined) return v;
      const init = inits.get(name);
      if (init !== undefined) {
        const t = tensorValues(init, label);
        const c: Const = { kind: "const", dims: t.dims, values: t.values, init: name };
        values.set(name, c);
        return c;
      }
      return refuse(n, `reads "${name}", which no node the engine evaluates produces`);
    };
    const act = (n: OnnxNode, i: number): Act => {
      const v = get(n, i);
      if (v?.kind !== "act") refuse(n, `needs a computed tensor as input ${i + 1}, not a constant`);
      return v as Act;
    };
    const constant = (n: OnnxNode, i: number, what: string): Const => {
      const v = get(n, i);
      if (v?.kind !== "const") refuse(n, `needs ${what} as a constant (an initializer or Constant node)`);
      return v as Const;
    };
    const intsOf = (n: OnnxNode, v: Value | undefined, what: string): (number | "N")[] => {
      if (v === undefined) return refuse(n, `has no ${what}`);
      if (v.kind === "sym") return [...v.values];
      if (v.kind === "const") return Array.from(v.values);
      return refuse(n, `computes its ${what} from the data, which the engine cannot fold`);
    };
    const numbersOf = (n: OnnxNode, v: Value | undefined, what: string): number[] => {
      const list = intsOf(n, v, what);
      if (list.some((x) => x === "N")) refuse(n, `uses the batch size as ${what}`);
      return list as number[];
    };

    const param = (n: OnnxNode, initName: string, key: string, role: ParamRole, viewDims: readonly number[], perm: readonly number[], state = false): number => {
      const known = paramByInit.get(initName);
      if (known !== undefined) return known;
      const init = inits.get(initName);
      if (init === undefined) refuse(n, `takes its ${key} from "${initName}", which is computed in the graph; the engine needs weights stored as initializers`);
      const t = tensorValues(init!, label);
      if (prod(viewDims) !== t.values.length) refuse(n, `has a ${key} of shape [${t.dims.join(", ")}], expected ${prod(viewDims)} values`);
      const layout: OnnxParamLayout = { onnxDims: t.dims, viewDims: [...viewDims], perm: [...perm] };
      const values32 = toEngineLayout(t.values, layout);
      const shape = perm.map((p) => viewDims[p]!);
      const index = params.length;
      params.push({
        name: initName, shape, size: values32.length, layerName: n.name || initName, key, role,
        trainable: !state, state, frozen: false,
      });
      theta.push(values32);
      layouts.push(layout);
      paramByInit.set(initName, index);
      return index;
    };

    const unary = (n: OnnxNode, className: string, config: Record<string, unknown>): void => {
      const x = act(n, 0);
      set(n, 0, addStep(n, className, config, {}, [x], x.layout));
    };
    const set = (n: OnnxNode, i: number, v: Value): void => {
      const name = n.output?.[i];
      if (name !== undefined && name !== "") values.set(name, v);
    };
    /** Explicit padding of the two spatial axes of a channels-last value: one Pad step, or none. */
    const padSpatial = (n: OnnxNode, x: Act, pads: readonly number[], value: number): Act => {
      if (pads.every((p) => p === 0)) return x;
      if (pads.some((p) => p < 0)) refuse(n, "has negative padding");
      return addStep(`${n.name || n.op_type}_pad`, "Pad", { paddings: [[0, 0], [pads[0]!, pads[2]!], [pads[1]!, pads[3]!], [0, 0]], value }, {}, [x], "nhwc");
    };
    /** ONNX pads [top, left, bottom, right] of a Conv or pool, with auto_pad resolved. */
    const spatialPads = (n: OnnxNode, x: Act, kernel: readonly number[], strides: readonly number[], dilations: readonly number[]): number[] => {
      const auto = stringAttr(n, "auto_pad") ?? "NOTSET";
      if (auto === "NOTSET") return intsAttr(n, "pads") ?? [0, 0, 0, 0];
      if (auto === "VALID") return [0, 0, 0, 0];
      const pads = [0, 0, 0, 0];
      for (let a = 0; a < 2; a++) {
        const size = x.shape[a]!;
        const k = (kernel[a]! - 1) * dilations[a]! + 1;
        const total = Math.max((Math.ceil(size / strides[a]!) - 1) * strides[a]! + k - size, 0);
        const small = Math.floor(total / 2);
        pads[a] = auto === "SAME_LOWER" ? total - small : small;
        pads[a + 2] = total - pads[a]!;
      }
      return pads;
    };
    /** Maps a constant's ONNX dims to a broadcastable shape and values in the act's stored layout. */
    const broadcastConst = (n: OnnxNode, c: Const, x: Act): { shape: number[]; values: number[] } => {
      const rank = x.shape.length + 1;
      if (c.dims.length > rank) refuse(n, `broadcasts a constant of rank ${c.dims.length} against a tensor of rank ${rank}`);
      const full = [...new Array<number>(rank - c.dims.length).fill(1), ...c.dims];
      if (full[0] !== 1 && c.values.length > 1) refuse(n, "has a constant along the batch axis");
      if (x.layout === "nhwc" && c.values.length > 1) {
        return { shape: TO_NHWC.map((p) => full[p]!), values: Array.from(permute(c.values, full, TO_NHWC)) };
      }
      return { shape: full, values: Array.from(c.values) };
    };
    const foldBinary = (op: string, a: Const, b: Const): Const => {
      const n = Math.max(a.values.length, b.values.length);
      if (a.values.length !== n && a.values.length !== 1) throw new EngineInputError(`${label}: constant arithmetic with shapes [${a.dims.join(", ")}] and [${b.dims.join(", ")}] is not folded`);
      if (b.values.length !== n && b.values.length !== 1) throw new EngineInputError(`${label}: constant arithmetic with shapes [${a.dims.join(", ")}] and [${b.dims.join(", ")}] is not folded`);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const x = a.values[a.values.length === 1 ? 0 : i]!;
        const y = b.values[b.values.length === 1 ? 0 : i]!;
        out[i] = op === "Add" ? x + y : op === "Sub" ? x - y : op === "Mul" ? x * y : op === "Div" ? x / y : x ** y;
      }
      return { kind: "const", dims: a.values.length >= b.values.length ? a.dims : b.dims, values: out };
    };
    const reshapeTo = (n: OnnxNode, x: Act, target: readonly number[]): Act => {
      const plain = toFlatOrder(x);
      const size = prod(plain.shape);
      const known = target.filter((d) => d !== -1);
      const resolved = target.map((d) => (d === -1 ? size / prod(known) : d));
      if (prod(resolved) !== size || target.filter((d) => d === -1).length > 1 || !resolved.every((d) => Number.isInteger(d) && d >= 0)) {
        refuse(n, `reshapes [N, ${logicalShape(x).join(", ")}] to [N, ${target.join(", ")}], which does not hold the same number of values per sample`);
      }
      if (resolved.length === plain.shape.length && resolved.every((d, i) => d === plain.shape[i])) return plain;
      if (resolved.length === 1) return addStep(n, "Flatten", {}, {}, [plain], "plain");
      return addStep(n, "Reshape", { targetShape: resolved }, {}, [plain], "plain");
    };
    /** Axes (with the batch axis 0) from the attribute (older opsets) or the second input. */
    const axesOf = (n: OnnxNode, rank: number, inputIndex: number): number[] | undefined => {
      const list = intsAttr(n, "axes") ?? (n.input?.[inputIndex] ? numbersOf(n, get(n, inputIndex), "axes") : undefined);
      return list?.map((a) => (a < 0 ? a + rank : a));
    };

    for (const n of nodes) {
      const op = n.op_type;
      switch (op) {
        case "Constant": {
          const t = attribute(n, "value")?.t;
          let c: Const;
          if (t !== undefined) {
            const v = tensorValues(t, label);
            c = { kind: "const", dims: v.dims, values: v.values };
          } else if (attribute(n, "value_float")) c = { kind: "const", dims: [], values: Float64Array.of(floatAttr(n, "value_float", 0)) };
          else if (attribute(n, "value_floats")) c = { kind: "const", dims: [attribute(n, "value_floats")!.floats!.length], values: Float64Array.from(attribute(n, "value_floats")!.floats!) };
          else if (attribute(n, "value_int")) c = { kind: "const", dims: [], values: Float64Array.of(intAttr(n, "value_int", 0)) };
          else if (intsAttr(n, "value_ints")) c = { kind: "const", dims: [intsAttr(n, "value_ints")!.length], values: Float64Array.from(intsAttr(n, "value_ints")!) };
          else return refuse(n, "holds a kind of constant the engine does not read");
          set(n, 0, c);
          break;
        }
        case "ConstantOfShape": {
          const shape = numbersOf(n, get(n, 0), "shape");
          const t = attribute(n, "value")?.t;
          const fill = t === undefined ? 0 : tensorValues(t, label).values[0] ?? 0;
          set(n, 0, { kind: "const", dims: shape, values: new Float64Array(prod(shape)).fill(fill) });
          break;
        }
        case "Slice": {
          const v = get(n, 0);
          if (v?.kind === "act") refuse(n, "slices a computed tensor; the engine folds Slice only on shapes and constants");
          const data: Const = v?.kind === "sym"
            ? (v.values.includes("N") ? refuse(n, "slices the batch size out of a shape") : { kind: "const", dims: [v.values.length], values: Float64Array.from(v.values as number[]) })
            : (v as Const);
          const rank = data.dims.length;
          const starts = intsAttr(n, "starts") ?? numbersOf(n, get(n, 1), "starts");
          const ends = intsAttr(n, "ends") ?? numbersOf(n, get(n, 2), "ends");
          const axes = (intsAttr(n, "axes") ?? (n.input?.[3] ? numbersOf(n, get(n, 3), "axes") : starts.map((_, i) => i))).map((a) => (a < 0 ? a + rank : a));
          const stepsOf = n.input?.[4] ? numbersOf(n, get(n, 4), "steps") : starts.map(() => 1);
          set(n, 0, sliceConst(data, starts, ends, axes, stepsOf));
          break;
        }
        case "Identity":
        case "Dropout":
        case "Cast": {
          const v = get(n, 0);
          if (v === undefined) refuse(n, "has no input");
          set(n, 0, v!);
          break;
        }
        case "Shape": {
          const v = get(n, 0);
          if (v?.kind === "const") {
            set(n, 0, { kind: "const", dims: [v.dims.length], values: Float64Array.from(v.dims) });
            break;
          }
          const x = act(n, 0);
          const full: (number | "N")[] = ["N", ...logicalShape(x)];
          const start = intAttr(n, "start", 0);
          const end = attribute(n, "end") ? intAttr(n, "end", full.length) : full.length;
          const norm = (i: number) => Math.max(0, Math.min(full.length, i < 0 ? i + full.length : i));
          set(n, 0, { kind: "sym", values: full.slice(norm(start), norm(end)), scalar: false });
          break;
        }
        case "Gather": {
          const data = get(n, 0);
          if (data?.kind === "act") refuse(n, "gathers from a computed tensor; the engine folds Gather only on shapes and constants");
          if (intAttr(n, "axis", 0) !== 0) refuse(n, "gathers along an axis other than 0");
          const list = intsOf(n, data, "data");
          const idx = constant(n, 1, "its indices");
          const picked = Array.from(idx.values, (i) => list[i < 0 ? i + list.length : i]);
          if (picked.some((p) => p === undefined)) refuse(n, "gathers an index out of range");
          const scalar = idx.dims.length === 0;
          if (data!.kind === "const" && data!.dims.length > 1) refuse(n, "gathers rows of a constant matrix");
          set(n, 0, picked.includes("N")
            ? { kind: "sym", values: picked as (number | "N")[], scalar }
            : { kind: "const", dims: scalar ? [] : [picked.length], values: Float64Array.from(picked as number[]) });
          break;
        }
        case "Unsqueeze":
        case "Squeeze": {
          const v = get(n, 0);
          if (v?.kind === "act") {
            const logical = ["N" as const, ...logicalShape(v)];
            const rankOut = op === "Unsqueeze" ? logical.length + (axesOf(n, 0, 1)?.length ?? 0) : logical.length;
            const axes = axesOf(n, rankOut, 1);
            let shape: (number | "N")[];
            if (op === "Unsqueeze") {
              if (axes === undefined) return refuse(n, "has no axes");
              shape = [];
              let k = 0;
              for (let i = 0; i < rankOut; i++) shape.push(axes.includes(i) ? 1 : logical[k++]!);
            } else {
              const drop = axes ?? logical.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0);
              shape = logical.filter((_, i) => !drop.includes(i));
            }
            if (shape[0] !== "N") refuse(n, "moves the batch axis");
            set(n, 0, reshapeTo(n, v, shape.slice(1) as number[]));
          } else {
            if (v?.kind === "const" && !(op === "Unsqueeze" && v.dims.length === 0)) {
              const rankOut = op === "Unsqueeze" ? v.dims.length + (axesOf(n, 0, 1)?.length ?? 0) : v.dims.length;
              const axes = axesOf(n, rankOut, 1);
              let dimsOut: number[];
              if (op === "Unsqueeze") {
                dimsOut = [];
                let k = 0;
                for (let i = 0; i < rankOut; i++) dimsOut.push(axes?.includes(i) ? 1 : v.dims[k++]!);
              } else {
                const drop = axes ?? v.dims.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0);
                dimsOut = v.dims.filter((_, i) => !drop.includes(i));
              }
              set(n, 0, { kind: "const", dims: dimsOut, values: v.values });
              break;
            }
            const list = intsOf(n, v, "input");
            const scalar = v!.kind === "sym" ? v!.scalar : (v as Const).dims.length === 0;
            if (op === "Unsqueeze" && !scalar) refuse(n, "unsqueezes a constant of rank above 0, which the engine does not fold");
            if (op === "Squeeze" && list.length !== 1) refuse(n, "squeezes a constant of more than one value, which the engine does not fold");
            set(n, 0, list.includes("N")
              ? { kind: "sym", values: list, scalar: op === "Squeeze" }
              : { kind: "const", dims: op === "Squeeze" ? [] : [1], values: Float64Array.from(list as number[]) });
          }
          break;
        }
        case "Concat": {
          const parts = (n.input ?? []).map((_, i) => get(n, i)!);
          if (parts.every((p) => p.kind === "const") && (parts[0] as Const).dims.length > 1) {
            set(n, 0, concatConst(parts as Const[], intAttr(n, "axis", 0)));
            break;
          }
          if (parts.every((p) => p.kind !== "act")) {
            const list = parts.flatMap((p) => intsOf(n, p, "input"));
            set(n, 0, list.includes("N") ? { kind: "sym", values: list, scalar: false } : { kind: "const", dims: [list.length], values: Float64Array.from(list as number[]) });
            break;
          }
          if (parts.some((p) => p.kind !== "act")) refuse(n, "concatenates computed tensors with constants");
          const acts = parts as Act[];
          const layout = acts[0]!.layout;
          const aligned = acts.map((a) => (layout === "nhwc" ? toNhwc(a, n) : toPlain(a)));
          const rank = acts[0]!.shape.length + 1;
          let axis = intAttr(n, "axis", 1);
          if (axis < 0) axis += rank;
          if (axis === 0) refuse(n, "concatenates along the batch axis");
          set(n, 0, addStep(n, "Concatenate", { axis: layout === "nhwc" ? TO_NHWC.indexOf(axis) : axis }, {}, aligned, layout));
          break;
        }
        case "Add":
        case "Sub":
        case "Mul":
        case "Div":
        case "Pow": {
          const a = get(n, 0);
          const b = get(n, 1);
          if (a === undefined || b === undefined) return refuse(n, "needs two inputs");
          if (a.kind === "sym" || b.kind === "sym") refuse(n, "does arithmetic on the batch size");
          if (a.kind === "const" && b.kind === "const") {
            set(n, 0, foldBinary(op, a, b));
            break;
          }
          if (a.kind === "act" && b.kind === "act") {
            if (op === "Pow") refuse(n, "raises a computed tensor to a computed power");
            const bb = a.layout === "nhwc" ? toNhwc(b, n) : toPlain(b);
            const className = ({ Add: "Add", Sub: "Subtract", Mul: "Multiply", Div: "Divide" } as Record<string, string>)[op]!;
            set(n, 0, addStep(n, className, {}, {}, [a, bb], a.layout));
            break;
          }
          const x = (a.kind === "act" ? a : b) as Act;
          const c = (a.kind === "const" ? a : b) as Const;
          // A bias added after a matmul with stored weights (PyTorch's Linear on a 3-D input, or
          // MatMul + Add exports): a parameter of that layer, as model.parameters() lists it.
          const producer = steps.find((s) => s.output === x.id);
          if (op === "Add" && c.init !== undefined && producer?.className === "Dense" && producer.params.bias === undefined && x.layout === "plain"
            && c.values.length === x.shape[x.shape.length - 1] && c.dims.length === 1) {
            const bias = param(n, c.init, "bias", "bias", [c.values.length], [0]);
            set(n, 0, addStep(n, "BiasAdd", {}, { bias }, [x], "plain"));
            break;
          }
          const broadcast = broadcastConst(n, c, x);
          const opName = { Add: "add", Sub: "sub", Mul: "mul", Div: "div", Pow: "pow" }[op]!;
          set(n, 0, addStep(n, "ConstantOp", { op: opName, values: broadcast.values, shape: broadcast.shape, constantFirst: a.kind === "const" }, {}, [x], x.layout));
          break;
        }
        case "Relu": unary(n, "Activation", { activation: "relu" }); break;
        case "Sigmoid": unary(n, "Activation", { activation: "sigmoid" }); break;
        case "Tanh": unary(n, "Activation", { activation: "tanh" }); break;
        case "Softplus": unary(n, "Activation", { activation: "softplus" }); break;
        case "Erf": unary(n, "Erf", {}); break;
        case "LeakyRelu": unary(n, "LeakyReLU", { alpha: floatAttr(n, "alpha", 0.01) }); break;
        case "Elu": unary(n, "ELU", { alpha: floatAttr(n, "alpha", 1) }); break;
        case "Gelu": {
          const approximate = stringAttr(n, "approximate") ?? "none";
          if (approximate !== "none" && approximate !== "tanh") refuse(n, `has approximate="${approximate}"`);
          unary(n, "Activation", { activation: approximate === "tanh" ? "gelu_new" : "gelu" });
          break;
        }
        case "Clip": {
          const lo = n.input?.[1] ? constant(n, 1, "its minimum").values[0]! : floatAttr(n, "min", -3.4028234663852886e38);
          const hi = n.input?.[2] ? constant(n, 2, "its maximum").values[0]! : floatAttr(n, "max", 3.4028234663852886e38);
          unary(n, "Clip", { min: lo, max: hi });
          break;
        }
        case "Softmax":
        case "LogSoftmax": {
          const x = toPlain(act(n, 0));
          const rank = x.shape.length + 1;
          let axis = intAttr(n, "axis", opset >= 13 ? -1 : 1);
          if (axis < 0) axis += rank;
          if (axis !== rank - 1) refuse(n, `normalizes over axis ${axis} of a rank-${rank} tensor; the engine supports the last axis`);
          set(n, 0, addStep(n, op, { axis: -1 }, {}, [x], "plain"));
          break;
        }
        case "Conv": {
          hasConv = true;
          const x = toNhwc(act(n, 0), n);
          const wName = n.input?.[1] ?? "";
          const wInit = inits.get(wName);
          if (wInit === undefined) return refuse(n, `takes its weight from "${wName}", which is not an initializer`);
          const wd = (wInit.dims ?? []).map(Number);
          if (wd.length !== 4) refuse(n, `has a weight of rank ${wd.length}; the engine evaluates 2-D convolutions (weight [O, I, kH, kW])`);
          const [o, ig, kh, kw] = wd as [number, number, number, number];
          const groups = intAttr(n, "group", 1);
          const cin = x.shape[2]!;
          if (ig * groups !== cin || o % groups !== 0) refuse(n, `has a weight [${wd.join(", ")}] with group=${groups} that does not fit ${cin} input channels`);
          const strides = intsAttr(n, "strides") ?? [1, 1];
          const dilations = intsAttr(n, "dilations") ?? [1, 1];
          const pads = spatialPads(n, x, [kh, kw], strides, dilations);
          // Pads equal to TF's "same" (stride 1, odd kernels: (k - 1) / 2 on each side) need no Pad step.
          const grouped = !(groups === 1 || (ig === 1 && groups === cin));
          const same = !grouped && [0, 1].every((a) => {
            const size = x.shape[a]!;
            const k = ([kh, kw][a]! - 1) * dilations[a]! + 1;
            const total = Math.max((Math.ceil(size / strides[a]!) - 1) * strides[a]! + k - size, 0);
            return pads[a] === Math.floor(total / 2) && pads[a + 2] === total - Math.floor(total / 2);
          }) && pads.some((p) => p > 0);
          const padded = same ? x : padSpatial(n, x, pads, 0);
          const config = { strides, dilationRate: dilations, padding: same ? "same" : "valid", activation: "linear", dataFormat: "channelsLast" };
          const bName = n.input?.[2];
          let out: Act;
          if (groups === 1) {
            const kernel = param(n, wName, "kernel", "kernel", wd, [2, 3, 1, 0]);
            const bias = bName ? param(n, bName, "bias", "bias", [o], [0]) : undefined;
            out = addStep(n, "Conv2D", config, { kernel, ...(bias === undefined ? {} : { bias }) }, [padded], "nhwc");
          } else if (ig === 1 && groups === cin) {
            // Depthwise: PyTorch's [C * M, 1, kH, kW] is TF's [kH, kW, C, M] (output c * M + m).
            const multiplier = o / cin;
            const kernel = param(n, wName, "depthwise_kernel", "kernel", [cin, multiplier, kh, kw], [2, 3, 0, 1]);
            const bias = bName ? param(n, bName, "bias", "bias", [o], [0]) : undefined;
            out = addStep(n, "DepthwiseConv2D", { ...config, depthMultiplier: multiplier }, { depthwise_kernel: kernel, ...(bias === undefined ? {} : { bias }) }, [padded], "nhwc");
          } else {
            const kernel = param(n, wName, "kernel", "kernel", wd, [2, 3, 1, 0]);
            const bias = bName ? param(n, bName, "bias", "bias", [o], [0]) : undefined;
            out = addStep(n, "GroupedConv2D", { ...config, groups }, { kernel, ...(bias === undefined ? {} : { bias }) }, [padded], "nhwc");
          }
          set(n, 0, out);
          break;
        }
        case "Gemm": {
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
          break;
        }
        case "MatMul": {
          const a = get(n, 0);
          const wName = n.input?.[1] ?? "";
          const wInit = inits.get(wName);
          if (a?.kind !== "act" || wInit === undefined) return refuse(n, "multiplies anything but a computed tensor by a stored weight matrix");
          const x = toPlain(a as Act);
          const wd = (wInit.dims ?? []).map(Number);
          if (wd.length !== 2 || wd[0] !== x.shape[x.shape.length - 1]) refuse(n, `has a weight [${wd.join(", ")}] that does not fit the input [N, ${x.shape.join(", ")}]`);
          const kernel = param(n, wName, "kernel", "kernel", wd, [0, 1]);
          set(n, 0, addStep(n, "Dense", { units: wd[1], activation: "linear" }, { kernel }, [x], "plain"));
          break;
        }
        case "BatchNormalization": {
          hasBatchNorm = true;
          const raw = act(n, 0);
          const x = raw.shape.length === 3 ? toNhwc(raw, n) : toPlain(raw);
          const channels = x.layout === "nhwc" ? x.shape[2]! : x.shape[0]!;
          const names = [1, 2, 3, 4].map((i) => n.input?.[i] ?? "");
          const gamma = param(n, names[0]!, "gamma", "batchnorm", [channels], [0]);
          const beta = param(n, names[1]!, "beta", "batchnorm", [channels], [0]);
          const mean = param(n, names[2]!, "moving_mean", "batchnorm", [channels], [0], true);
          const variance = param(n, names[3]!, "moving_variance", "batchnorm", [channels], [0], true);
          // Always the running statistics, as net.eval() evaluates (also for files exported in training
          // mode). The momentum (ONNX's: running = m running + (1 - m) batch; PyTorch exports 1 - its
          // own) is for training (train-network.ts).
          set(n, 0, addStep(n, "BatchNormalization", { axis: x.layout === "nhwc" ? -1 : 1, epsilon: floatAttr(n, "epsilon", 1e-5), momentum: floatAttr(n, "momentum", 0.9) }, { gamma, beta, moving_mean: mean, moving_variance: variance }, [x], x.layout));
          break;
        }
        case "MaxPool":
        case "AveragePool": {
          const x = toNhwc(act(n, 0), n);
          const kernel = intsAttr(n, "kernel_shape");
          if (kernel === undefined || kernel.length !== 2) return refuse(n, "needs a 2-D kernel_shape");
          const strides = intsAttr(n, "strides") ?? [1, 1];
          const dilations = intsAttr(n, "dilations") ?? [1, 1];
          if (dilations.some((d) => d !== 1)) refuse(n, "has dilations, which the engine does not support for pooling");
          if (n.output && n.output.length > 1 && n.output[1]) refuse(n, "returns indices, which the engine does not support");
          const pads = spatialPads(n, x, kernel, strides, dilations);
          if (intAttr(n, "ceil_mode", 0) === 1) {
            for (let a = 0; a < 2; a++) {
              const span = x.shape[a]! + pads[a]! + pads[a + 2]! - kernel[a]!;
              if (span % strides[a]! !== 0) refuse(n, "has ceil_mode=1 where it changes the output size");
            }
          }
          let padded = x;
          if (op === "MaxPool") padded = padSpatial(n, x, pads, -Infinity);
          else if (pads.some((p) => p !== 0)) {
            if (intAttr(n, "count_include_pad", 0) !== 1) refuse(n, "pads without counting the padding (count_include_pad=0), which the engine does not support; use count_include_pad=True or no padding");
            padded = padSpatial(n, x, pads, 0);
          }
          set(n, 0, addStep(n, op === "MaxPool" ? "MaxPooling2D" : "AveragePooling2D", { poolSize: kernel, strides, padding: "valid", dataFormat: "channelsLast" }, {}, [padded], "nhwc"));
          break;
        }
        case "GlobalAveragePool": {
          const x = toNhwc(act(n, 0), n);
          set(n, 0, addStep(n, "Mean", { axes: [1, 2], keepDims: true }, {}, [x], "nhwc"));
          break;
        }
        case "ReduceMean": {
          const x = act(n, 0);
          const rank = x.shape.length + 1;
          const axes = axesOf(n, rank, 1) ?? Array.from({ length: rank }, (_, i) => i);
          const keep = intAttr(n, "keepdims", 1) === 1;
          if (axes.includes(0)) refuse(n, "averages over the batch axis");
          if (x.layout === "nhwc" && axes.length === 2 && axes.includes(2) && axes.includes(3)) {
            const out = addStep(n, "Mean", { axes: [1, 2], keepDims: true }, {}, [x], "nhwc");
            set(n, 0, keep ? out : reshapeTo(n, out, [x.shape[2]!]));
          } else {
            const plain = toPlain(x);
            set(n, 0, addStep(n, "Mean", { axes, keepDims: keep }, {}, [plain], "plain"));
          }
          break;
        }
        case "Flatten": {
          const x = act(n, 0);
          const rank = x.shape.length + 1;
          let axis = intAttr(n, "axis", 1);
          if (axis < 0) axis += rank;
          if (axis !== 1) refuse(n, `flattens from axis ${axis}; the engine keeps the batch axis alone (axis 1)`);
          set(n, 0, reshapeTo(n, x, [-1]));
          break;
        }
        case "Reshape": {
          const data = get(n, 0);
          if (data?.kind === "const") {
            const target = numbersOf(n, get(n, 1), "target shape").map((d, i) => (d === 0 ? data.dims[i]! : d));
            const known = prod(target.filter((d) => d !== -1));
            set(n, 0, { kind: "const", dims: target.map((d) => (d === -1 ? data.values.length / known : d)), values: data.values });
            break;
          }
          const x = act(n, 0);
          const target = intsOf(n, get(n, 1), "target shape");
          const logical = logicalShape(x);
          if (intAttr(n, "allowzero", 0) === 1 && target.includes(0)) refuse(n, "has allowzero=1 with a zero in its shape");
          const first = target[0];
          if (!(first === "N" || first === -1 || first === 0 || (declaredBatch !== null && first === declaredBatch))) {
            refuse(n, `reshapes to [${target.join(", ")}], which does not keep the batch axis first`);
          }
          if (target.slice(1).includes("N")) refuse(n, "moves the batch axis");
          const rest = (target.slice(1) as number[]).map((d, i) => (d === 0 ? logical[i]! : d));
          if (first === -1 && rest.includes(-1)) refuse(n, "leaves both the batch and another axis to be inferred");
          set(n, 0, reshapeTo(n, x, rest));
          break;
        }
        case "Transpose": {
          const data = get(n, 0);
          if (data?.kind === "const") {
            const perm = intsAttr(n, "perm") ?? data.dims.map((_, i) => data.dims.length - 1 - i);
            set(n, 0, { kind: "const", dims: perm.map((p) => data.dims[p]!), values: Float64Array.from(permute(data.values, data.dims, perm)) });
            break;
          }
          const x = act(n, 0);
          const rank = x.shape.length + 1;
          const perm = intsAttr(n, "perm") ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
          if (perm[0] !== 0) refuse(n, "moves the batch axis");
          const plain = toPlain(x);
          set(n, 0, perm.every((p, i) => p === i) ? plain : addStep(n, "Permute", { perm }, {}, [plain], "plain"));
          break;
        }
        case "Pad": {
          const x = act(n, 0);
          const mode = stringAttr(n, "mode") ?? "constant";
          if (mode !== "constant") refuse(n, `pads in mode "${mode}"; the engine supports constant padding`);
          if (n.input?.[3]) refuse(n, "pads selected axes only, which the engine does not support");
          const pads = intsAttr(n, "pads") ?? numbersOf(n, get(n, 1), "pads");
          const value = n.input?.[2] ? constant(n, 2, "its padding value").values[0]! : floatAttr(n, "value", 0);
          const rank = x.shape.length + 1;
          if (pads.length !== 2 * rank) refuse(n, `has ${pads.length} pads for a rank-${rank} tensor`);
          if (pads[0] !== 0 || pads[rank] !== 0) refuse(n, "pads the batch axis");
          if (pads.some((p) => p < 0)) refuse(n, "has negative padding");
          const logical = Array.from({ length: rank }, (_, i) => [pads[i]!, pads[i + rank]!] as [number, number]);
          const paddings = x.layout === "nhwc" ? TO_NHWC.map((p) => logical[p]!) : logical;
          set(n, 0, addStep(n, "Pad", { paddings, value }, {}, [x], x.layout));
          break;
        }
        default:
          refuse(n, "is not supported");
      }
    }

    const outName = graph.output![0]!.name;
    const out = values.get(outName);
    if (out?.kind !== "act") throw new EngineInputError(`${label}: the graph's output "${outName}" is not computed from its input`);
    const final = toPlain(out);
    const last = steps.find((s) => s.output === final.id)!;
    const outputActivation = last.className === "Softmax" ? "softmax"
      : last.className === "Activation" && last.config.activation === "sigmoid" ? "sigmoid" : null;
    const classes = prod(final.shape);
    // PyTorch classifiers end in logits (nn.CrossEntropyLoss) or log-probabilities (nn.NLLLoss on
    // LogSoftmax, the same loss since log-softmax of log-probabilities is themselves).
    const trainingLoss: LossSpec | null = final.shape.length === 1 && classes > 1
      ? { name: "sparse_categorical_crossentropy", fromLogits: outputActivation === null }
      : outputActivation === "sigmoid" && classes === 1 ? { name: "binary_crossentropy", fromLogits: false } : null;
    if (hasConv && !hasBatchNorm) {
      notes.push("this ONNX model has convolutions and no BatchNormalization: if the network had BatchNorm layers, the export folded them into the convolutions (torch.onnx.export in eval mode does), so directions act on the folded weights and the surface is not the one of the authors' code; export with training=torch.onnx.TrainingMode.PRESERVE (see the README) to keep them");
    }
    return {
      params, theta, layouts, steps, inputValue, outputValue: final.id, inputShape: [...inputShape], onnxInputShape: sample,
      outputShape: [...final.shape], outputActivation, trainingLoss, flopsPerSample: flops, notes, hasConv, hasBatchNorm,
    };
  } finally {
    for (const t of dummy.values()) t.dispose();
    for (const t of weightTensors.values()) t.dispose();
  }
}

/** Slice of a constant (ONNX semantics: clamped starts/ends, negative steps run backwards). */
function sliceConst(data: Const, starts: readonly number[], ends: readonly number[], axes: readonly number[], steps: readonly number[]): Const {
  const picks = data.dims.map((d) => Array.from({ length: d }, (_, i) => i));
  axes.forEach((axis, k) => {
    const d = data.dims[axis]!;
    const step = steps[k] ?? 1;
    const norm = (v: number) => (v < 0 ? v + d : v);
    const list: number[] = [];
    if (step > 0) {
      const start = Math.min(Math.max(norm(starts[k]!), 0), d);
      const end = Math.min(Math.max(norm(ends[k]!), 0), d);
      for (let i = start; i < end; i += step) list.push(i);
    } else {
      const start = Math.min(Math.max(norm(starts[k]!), -1), d - 1);
      const end = Math.min(Math.max(norm(ends[k]!), -1), d - 1);
      for (let i = start; i > end; i += step) list.push(i);
    }
    picks[axis] = list;
  });
  const dims = picks.map((p) => p.length);
  const strides = data.dims.map((_, i) => prod(data.dims.slice(i + 1)));
  const out = new Float64Array(prod(dims));
  const idx = new Array<number>(dims.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let k = 0; k < dims.length; k++) src += picks[k]![idx[k]!]! * strides[k]!;
    out[o] = data.values[src]!;
    for (let k = dims.length - 1; k >= 0; k--) {
      if (++idx[k]! < dims[k]!) break;
      idx[k] = 0;
    }
  }
  return { kind: "const", dims, values: out };
}

/** Concatenation of constants along `axis`. */
function concatConst(parts: readonly Const[], axisIn: number): Const {
  const rank = parts[0]!.dims.length;
  const axis = axisIn < 0 ? axisIn + rank : axisIn;
  const outer = prod(parts[0]!.dims.slice(0, axis));
  const dims = [...parts[0]!.dims];
  dims[axis] = parts.reduce((a, p) => a + p.dims[axis]!, 0);
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const p of parts) {
      const chunk = p.values.length / outer;
      for (let i = 0; i < chunk; i++) out.push(p.values[o * chunk + i]!);
    }
  }
  return { kind: "const", dims, values: Float64Array.from(out) };
}
