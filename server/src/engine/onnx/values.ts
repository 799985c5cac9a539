/**
 * What the translator knows of each ONNX value at load: a computed tensor (a step's output, with its
 * stored layout), a constant it can fold, or a shape holding the batch size symbolically; and the
 * array arithmetic on constants and layouts (permutations, slices, concatenations).
 */
import type { OnnxParamLayout } from "../model-types.js";

/** How a computed value is stored: images channels-last ("nhwc", for ONNX's NCHW) or in ONNX's own order. */
export type Layout = "nhwc" | "plain";
/** A computed tensor: the output of step value `id`; `shape` is one sample's stored shape. */
export interface Act { readonly kind: "act"; readonly id: number; readonly shape: readonly number[]; readonly layout: Layout }
/** A constant known at load; `init` names the initializer it came from, if any. */
export interface Const { readonly kind: "const"; readonly dims: readonly number[]; readonly values: Float64Array; readonly init?: string }
/** An integer vector holding the batch size symbolically ("N"), as Shape(x) gives it. */
export interface Sym { readonly kind: "sym"; readonly values: readonly (number | "N")[]; readonly scalar: boolean }
export type Value = Act | Const | Sym;

export const TO_NHWC = [0, 2, 3, 1];
export const TO_NCHW = [0, 3, 1, 2];
export const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);


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


/** Slice of a constant (ONNX semantics: clamped starts/ends, negative steps run backwards). */
export function sliceConst(data: Const, starts: readonly number[], ends: readonly number[], axes: readonly number[], steps: readonly number[]): Const {
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
export function concatConst(parts: readonly Const[], axisIn: number): Const {
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
