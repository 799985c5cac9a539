/**
 * Generated ONNX graphs for the engine's bounds on graph size: a Gemm, then `length` Relu nodes
 * in one chain (a graph as deep as it is long), optionally with unused initializers besides.
 */
import { encodeOnnx, floatTensor, type OnnxNode } from "../onnx/proto.js";

const tensorType = (dims: (number | string)[]) => ({
  tensor_type: { elem_type: 1, shape: { dim: dims.map((d) => (typeof d === "string" ? { dim_param: d } : { dim_value: d })) } },
});

/** x [N, 4] -> Gemm [4, 3] -> Relu x `length` -> y [N, 3]; `extraInitializers` more tensors nobody reads. */
export function chainedOnnx(length: number, extraInitializers = 0): Uint8Array {
  const nodes: OnnxNode[] = [{ name: "fc", op_type: "Gemm", input: ["x", "fc.weight", "fc.bias"], output: ["h0"], attribute: [{ name: "transB", type: 2, i: 1 }] }];
  for (let i = 1; i <= length; i++) nodes.push({ name: `relu${i}`, op_type: "Relu", input: [`h${i - 1}`], output: [i === length ? "y" : `h${i}`] });
  const weight = Float32Array.from({ length: 12 }, (_, i) => Math.sin(i + 1) * 0.5);
  return encodeOnnx({
    ir_version: 8,
    opset_import: [{ domain: "", version: 17 }],
    graph: {
      node: nodes,
      initializer: [
        floatTensor("fc.weight", [3, 4], weight),
        floatTensor("fc.bias", [3], new Float32Array(3)),
        ...Array.from({ length: extraInitializers }, (_, i) => floatTensor(`unused.${i}`, [1], new Float32Array(1))),
      ],
      input: [{ name: "x", type: tensorType(["n", 4]) }],
      output: [{ name: "y", type: tensorType(["n", 3]) }],
    },
  });
}
