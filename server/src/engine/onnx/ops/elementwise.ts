/**
 * ONNX Add, Sub, Mul, Div and Pow: between computed tensors, with a broadcast constant, or folded at load.
 */
import type { TranslationContext } from "../context.js";
import { type OnnxNode } from "../proto.js";
import { type Act, type Const } from "../values.js";

/** Add, Sub, Mul, Div, Pow: of two computed tensors, of one and a constant, or folded. */
export function translateArithmetic(n: OnnxNode, ctx: TranslationContext): void {
  const { steps, refuse, get, set, addStep, toPlain, toNhwc, param, broadcastConst, foldBinary } = ctx;
  const op = n.op_type;
  const a = get(n, 0);
  const b = get(n, 1);
  if (a === undefined || b === undefined) return refuse(n, "needs two inputs");
  if (a.kind === "sym" || b.kind === "sym") refuse(n, "does arithmetic on the batch size");
  if (a.kind === "const" && b.kind === "const") {
    set(n, 0, foldBinary(op, a, b));
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
  const broadcast = broadcastConst(n, c, x);
  const opName = { Add: "add", Sub: "sub", Mul: "mul", Div: "div", Pow: "pow" }[op]!;
  set(n, 0, addStep(n, "ConstantOp", { op: opName, values: broadcast.values, shape: broadcast.shape, constantFirst: a.kind === "const" }, {}, [x], x.layout));
}
