/**
 * ONNX Add, Sub, Mul, Div and Pow: between computed tensors, with a broadcast constant, or folded at load.
 */
import type { TranslationContext } from "../context.js";
import { EngineInputError } from "../../errors.js";
import type { OnnxNode } from "../proto.js";
import { type Act, type Const, TO_NHWC, permute } from "../values.js";

/** Add, Sub, Mul, Div, Pow: of two computed tensors, of one and a constant, or folded. */
export function translateArithmetic(n: OnnxNode, ctx: TranslationContext): void {
  const { label, steps, refuse, get, set, addStep, toPlain, toNhwc, param } = ctx;
  const op = n.op_type;
  const a = get(n, 0);
  const b = get(n, 1);
  if (a === undefined || b === undefined) return refuse(n, "needs two inputs");
  if (a.kind === "sym" || b.kind === "sym") refuse(n, "does arithmetic on the batch size");
  if (a.kind === "const" && b.kind === "const") {
    set(n, 0, foldBinary(label, op, a, b));
    return;
  }
  if (a.kind === "act" && b.kind === "act") {
    if (op === "Pow") refuse(n, "raises a computed tensor to a computed power");
    const bb = a.layout === "nhwc" ? toNhwc(b, n) : toPlain(b);
    const className = ({ Add: "Add", Sub: "Subtract", Mul: "Multiply", Div: "Divide" } as Record<string, string>)[op]!;
    set(n, 0, addStep(n, className, {}, {}, [a, bb], a.layout));
    return;
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
    return;
  }
  const broadcast = broadcastConst(n, c, x, refuse);
  const opName = { Add: "add", Sub: "sub", Mul: "mul", Div: "div", Pow: "pow" }[op]!;
  set(n, 0, addStep(n, "ConstantOp", { op: opName, values: broadcast.values, shape: broadcast.shape, constantFirst: a.kind === "const" }, {}, [x], x.layout));
}

/** Maps a constant's ONNX dims to a broadcastable shape and values in the act's stored layout. */
function broadcastConst(n: OnnxNode, c: Const, x: Act, refuse: TranslationContext["refuse"]): { shape: number[]; values: number[] } {
  const rank = x.shape.length + 1;
  if (c.dims.length > rank) refuse(n, `broadcasts a constant of rank ${c.dims.length} against a tensor of rank ${rank}`);
  const full = [...new Array<number>(rank - c.dims.length).fill(1), ...c.dims];
  if (full[0] !== 1 && c.values.length > 1) refuse(n, "has a constant along the batch axis");
  if (x.layout === "nhwc" && c.values.length > 1) {
    return { shape: TO_NHWC.map((p) => full[p]!), values: Array.from(permute(c.values, full, TO_NHWC)) };
  }
  return { shape: full, values: Array.from(c.values) };
}

/** a op b elementwise on constants at load (one of them may be a single value). */
function foldBinary(label: string, op: string, a: Const, b: Const): Const {
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
}
