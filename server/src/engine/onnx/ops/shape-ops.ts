/**
 * ONNX shape operators: Reshape, Flatten, Transpose, Squeeze, Unsqueeze, Concat, Pad on computed tensors;
 * Shape, Gather, Slice, Constant, ConstantOfShape folded at load (the chains of `x.view(x.size(0), -1)`);
 * Identity, Dropout and Cast passed through.
 */
import type { TranslationContext } from "../context.js";
import { type OnnxNode, attribute, floatAttr, intAttr, intsAttr, stringAttr, tensorValues } from "../proto.js";
import { type Act, type Const, TO_NHWC, concatConst, permute, prod, sliceConst } from "../values.js";

/** Flatten from axis 1: one sample's values in ONNX's order. */
export function translateFlatten(n: OnnxNode, ctx: TranslationContext): void {
  const { refuse, act, set, reshapeTo } = ctx;
  const x = act(n, 0);
  const rank = x.shape.length + 1;
  let axis = intAttr(n, "axis", 1);
  if (axis < 0) axis += rank;
  if (axis !== 1) refuse(n, `flattens from axis ${axis}; the engine keeps the batch axis alone (axis 1)`);
  set(n, 0, reshapeTo(n, x, [-1]));
}

/** Reshape of a computed tensor (batch axis first) or of a constant. */
export function translateReshape(n: OnnxNode, ctx: TranslationContext): void {
  const { declaredBatch, refuse, get, act, intsOf, numbersOf, set, logicalShape, reshapeTo } = ctx;
  const data = get(n, 0);
  if (data?.kind === "const") {
    const target = numbersOf(n, get(n, 1), "target shape").map((d, i) => (d === 0 ? data.dims[i]! : d));
    const known = prod(target.filter((d) => d !== -1));
    set(n, 0, { kind: "const", dims: target.map((d) => (d === -1 ? data.values.length / known : d)), values: data.values });
    return;
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
}

/** Transpose of a computed tensor (batch axis kept first) or of a constant. */
export function translateTranspose(n: OnnxNode, ctx: TranslationContext): void {
  const { refuse, get, act, set, addStep, toPlain } = ctx;
  const data = get(n, 0);
  if (data?.kind === "const") {
    const perm = intsAttr(n, "perm") ?? data.dims.map((_, i) => data.dims.length - 1 - i);
    set(n, 0, { kind: "const", dims: perm.map((p) => data.dims[p]!), values: Float64Array.from(permute(data.values, data.dims, perm)) });
    return;
  }
  const x = act(n, 0);
  const rank = x.shape.length + 1;
  const perm = intsAttr(n, "perm") ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
  if (perm[0] !== 0) refuse(n, "moves the batch axis");
  const plain = toPlain(x);
  set(n, 0, perm.every((p, i) => p === i) ? plain : addStep(n, "Permute", { perm }, {}, [plain], "plain"));
}

/** Unsqueeze and Squeeze: a Reshape of a computed tensor, or folded on shapes and constants. */
export function translateSqueeze(n: OnnxNode, ctx: TranslationContext): void {
  const { refuse, get, intsOf, set, axesOf, logicalShape, reshapeTo } = ctx;
  const op = n.op_type;
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
      return;
    }
    const list = intsOf(n, v, "input");
    const scalar = v!.kind === "sym" ? v!.scalar : (v as Const).dims.length === 0;
    if (op === "Unsqueeze" && !scalar) refuse(n, "unsqueezes a constant of rank above 0, which the engine does not fold");
    if (op === "Squeeze" && list.length !== 1) refuse(n, "squeezes a constant of more than one value, which the engine does not fold");
    set(n, 0, list.includes("N")
      ? { kind: "sym", values: list, scalar: op === "Squeeze" }
      : { kind: "const", dims: op === "Squeeze" ? [] : [1], values: Float64Array.from(list as number[]) });
  }
}

/** Concat: of computed tensors (a Concatenate step) or folded on shapes and constants. */
export function translateConcat(n: OnnxNode, ctx: TranslationContext): void {
  const { refuse, get, intsOf, set, addStep, toPlain, toNhwc } = ctx;
  const parts = (n.input ?? []).map((_, i) => get(n, i)!);
  if (parts.every((p) => p.kind === "const") && (parts[0] as Const).dims.length > 1) {
    set(n, 0, concatConst(parts as Const[], intAttr(n, "axis", 0)));
    return;
  }
  if (parts.every((p) => p.kind !== "act")) {
    const list = parts.flatMap((p) => intsOf(n, p, "input"));
    set(n, 0, list.includes("N") ? { kind: "sym", values: list, scalar: false } : { kind: "const", dims: [list.length], values: Float64Array.from(list as number[]) });
    return;
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
}

/** Pad: constant padding of every axis but the batch axis. */
export function translatePad(n: OnnxNode, ctx: TranslationContext): void {
  const { refuse, get, act, constant, numbersOf, set, addStep } = ctx;
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
}

/** Shape: the batch size stays symbolic ("N"), the rest is known at load. */
export function translateShape(n: OnnxNode, ctx: TranslationContext): void {
  const { get, act, set, logicalShape } = ctx;
  const v = get(n, 0);
  if (v?.kind === "const") {
    set(n, 0, { kind: "const", dims: [v.dims.length], values: Float64Array.from(v.dims) });
    return;
  }
  const x = act(n, 0);
  const full: (number | "N")[] = ["N", ...logicalShape(x)];
  const start = intAttr(n, "start", 0);
  const end = attribute(n, "end") ? intAttr(n, "end", full.length) : full.length;
  const norm = (i: number) => Math.max(0, Math.min(full.length, i < 0 ? i + full.length : i));
  set(n, 0, { kind: "sym", values: full.slice(norm(start), norm(end)), scalar: false });
}

/** Gather: folded on shapes and constants (`x.size(0)` and friends). */
export function translateGather(n: OnnxNode, ctx: TranslationContext): void {
  const { refuse, get, constant, intsOf, set } = ctx;
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
}

/** Slice: folded on shapes and constants only. */
export function translateSlice(n: OnnxNode, ctx: TranslationContext): void {
  const { refuse, get, numbersOf, set } = ctx;
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
}

/** Constant: a tensor or a number held in an attribute, kept as a constant for folding. */
export function translateConstant(n: OnnxNode, ctx: TranslationContext): void {
  const { label, refuse, set } = ctx;
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
}

/** ConstantOfShape: a constant filled with one value, of a folded shape. */
export function translateConstantOfShape(n: OnnxNode, ctx: TranslationContext): void {
  const { label, get, numbersOf, set } = ctx;
  const shape = numbersOf(n, get(n, 0), "shape");
  const t = attribute(n, "value")?.t;
  const fill = t === undefined ? 0 : tensorValues(t, label).values[0] ?? 0;
  set(n, 0, { kind: "const", dims: shape, values: new Float64Array(prod(shape)).fill(fill) });
}

/** Identity, Dropout (inference: the identity) and Cast (every value is float32 here): the input itself. */
export function translatePassThrough(n: OnnxNode, ctx: TranslationContext): void {
  const { refuse, get, set } = ctx;
  const v = get(n, 0);
  if (v === undefined) refuse(n, "has no input");
  set(n, 0, v!);
}
