/**
 * The state of one translation and the helpers every op translator shares: reading a node's
 * inputs as computed tensors, constants or symbolic shapes; adding steps (each run once on a dummy
 * sample at load, so shapes and errors are known before any evaluation); parameters from
 * initializers in the engine's layout; and layout conversions (Permute steps between ONNX's NCHW
 * and the engine's NHWC, inserted once per value).
 */
import * as tf from "@tensorflow/tfjs-core";
import { EngineInputError } from "../errors.js";
import { forwardLayer } from "../layers.js";
import type { OnnxParamLayout, Param, ParamRole, Step } from "../model-types.js";
import { type OnnxNode, type OnnxTensor, intsAttr, stringAttr, tensorValues } from "./proto.js";
import { type Act, type Const, type Layout, type Value, TO_NCHW, TO_NHWC, prod, toEngineLayout } from "./values.js";

/** What one translation accumulates; the counters are mutated as steps are added. */
export interface TranslationState {
  /** Names the model in errors. */
  readonly label: string;
  readonly opset: number;
  /** The input's batch size when the graph fixes one (a Reshape may name it), else null. */
  readonly declaredBatch: number | null;
  readonly inits: ReadonlyMap<string, OnnxTensor>;
  readonly params: Param[];
  readonly theta: Float32Array[];
  readonly layouts: OnnxParamLayout[];
  readonly steps: Step[];
  /** Every ONNX value name read or produced so far. */
  readonly values: Map<string, Value>;
  /** Each step's output on a one-sample zero input, for shapes; disposed after translation. */
  readonly dummy: Map<number, tf.Tensor>;
  readonly weightTensors: Map<number, tf.Tensor>;
  readonly paramByInit: Map<string, number>;
  /** Layout conversions already made ("plain:ID", "nhwc:ID"), so each value is permuted once. */
  readonly converted: Map<string, Act>;
  readonly notes: string[];
  nextId: number;
  /** Forward-pass FLOPs of one sample so far. */
  flops: number;
  hasConv: boolean;
  hasBatchNorm: boolean;
}

/** A node's inputs and outputs as values; refusals that name the node. */
function valueReaders(s: TranslationState) {
  const { label, inits, values } = s;
  const nodeLabel = (n: OnnxNode) => `node "${n.name ?? ""}" (${n.op_type})`;
  const refuse = (n: OnnxNode, why: string): never => {
    throw new EngineInputError(`${label}: ${nodeLabel(n)} ${why}`);
  };
  const logicalShape = (a: Act): number[] => (a.layout === "nhwc" ? [a.shape[2]!, a.shape[0]!, a.shape[1]!] : [...a.shape]);
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

  const set = (n: OnnxNode, i: number, v: Value): void => {
    const name = n.output?.[i];
    if (name !== undefined && name !== "") values.set(name, v);
  };
  /** Axes (with the batch axis 0) from the attribute (older opsets) or the second input. */
  const axesOf = (n: OnnxNode, rank: number, inputIndex: number): number[] | undefined => {
    const list = intsAttr(n, "axes") ?? (n.input?.[inputIndex] ? numbersOf(n, get(n, inputIndex), "axes") : undefined);
    return list?.map((a) => (a < 0 ? a + rank : a));
  };

  return { nodeLabel, refuse, logicalShape, get, act, constant, intsOf, numbersOf, set, axesOf };
}

type Readers = ReturnType<typeof valueReaders>;

/** Steps, parameters and the layout conversions between them. */
function stepBuilders(s: TranslationState, r: Readers) {
  const { label, inits, params, theta, layouts, steps, dummy, weightTensors, paramByInit, converted } = s;
  const { nodeLabel, refuse, logicalShape, act, set } = r;
  const addStep = (n: OnnxNode | string, className: string, config: Record<string, unknown>, stepParams: Record<string, number>, ins: readonly Act[], layout: Layout): Act => {
    const id = s.nextId++;
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
      if (className === "Dense") s.flops += 2 * k[0]! * outSize;
      else if (className === "Conv2D" || className === "GroupedConv2D") s.flops += 2 * k[0]! * k[1]! * k[2]! * outSize;
      else if (className === "DepthwiseConv2D") s.flops += 2 * k[0]! * k[1]! * outSize;
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
  return { addStep, toPlain, toNhwc, toFlatOrder, param, unary };
}

type Builders = ReturnType<typeof stepBuilders>;

/** Padding and reshaping shared by several op families. */
function layoutHelpers(r: Readers, b: Builders) {
  const { refuse, logicalShape } = r;
  const { addStep, toFlatOrder } = b;
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
  return { padSpatial, spatialPads, reshapeTo };
}

/** The state plus every helper; op translators receive it (see ops/index.ts). */
export type TranslationContext = TranslationState & Readers & Builders & ReturnType<typeof layoutHelpers>;

/** A fresh translation of a graph with these initializers. */
export function createTranslationContext(
  label: string, opset: number, declaredBatch: number | null, inits: ReadonlyMap<string, OnnxTensor>,
): TranslationContext {
  const state: TranslationState = {
    label, opset, declaredBatch, inits, params: [], theta: [], layouts: [], steps: [], values: new Map(), dummy: new Map(),
    weightTensors: new Map(), paramByInit: new Map(), converted: new Map(), notes: [], nextId: 0, flops: 0, hasConv: false, hasBatchNorm: false,
  };
  const r = valueReaders(state);
  const b = stepBuilders(state, r);
  return Object.assign(state, r, b, layoutHelpers(r, b));
}

/** Frees the tensors a translation made for shapes. */
export function disposeTranslation(ctx: TranslationState): void {
  for (const t of ctx.dummy.values()) t.dispose();
  for (const t of ctx.weightTensors.values()) t.dispose();
}
