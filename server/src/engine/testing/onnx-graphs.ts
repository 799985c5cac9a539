/**
 * Generated ONNX graphs: a long chain for the engine's bounds on graph size (a Gemm, then `length`
 * Relu nodes, a graph as deep as it is long, optionally with unused initializers besides), and
 * tiny graphs of one family of operators, run end to end, for the translators' own tests.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { LoadedModel } from "../model-types.js";
import { predict } from "../network.js";
import { loadOnnxModel } from "../onnx/load.js";
import { encodeOnnx, floatTensor, type OnnxAttribute, type OnnxNode, type OnnxTensor } from "../onnx/proto.js";
import { permute } from "../onnx/values.js";

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

/** A float, int, ints or string attribute of a node (ONNX AttributeProto types 1, 2, 7, 3). */
export const attr = {
  float: (name: string, f: number): OnnxAttribute => ({ name, type: 1, f }),
  int: (name: string, i: number): OnnxAttribute => ({ name, type: 2, i }),
  ints: (name: string, ints: number[]): OnnxAttribute => ({ name, type: 7, ints }),
  string: (name: string, s: string): OnnxAttribute => ({ name, type: 3, s: new TextEncoder().encode(s) }),
};

/** An int64 tensor (shapes, axes, indices), as exporters store them. */
export function intTensor(name: string, dims: readonly number[], values: readonly number[]): OnnxTensor {
  return { name, dims: [...dims], data_type: 7, int64_data: [...values] };
}

/** A graph with input "x" and output "y" of these shapes (the batch axis a string), for one family of operators. */
export function tinyOnnx(spec: { input: (number | string)[]; output: (number | string)[]; nodes: OnnxNode[]; initializers?: OnnxTensor[]; opset?: number }): Uint8Array {
  return encodeOnnx({
    ir_version: 8,
    opset_import: [{ domain: "", version: spec.opset ?? 17 }],
    graph: {
      node: spec.nodes,
      initializer: spec.initializers ?? [],
      input: [{ name: "x", type: tensorType(spec.input) }],
      output: [{ name: "y", type: tensorType(spec.output) }],
    },
  });
}

/**
 * The model's output, in ONNX's own element order, for `count` samples given in ONNX's own layout
 * (NCHW images are transposed to the engine's channels-last storage first, as prepareData does).
 */
export async function runOnnx(bytes: Uint8Array, x: Float32Array, count: number): Promise<{ model: LoadedModel; y: Float32Array; shape: number[] }> {
  const model = loadOnnxModel(bytes);
  const [c, h, w] = model.onnx!.inputShape;
  const stored = model.onnx!.channelsFirstInput ? permute(x, [count, c!, h!, w!], [0, 2, 3, 1]) : x;
  const input = tf.tensor(stored, [count, ...model.inputShape]);
  const out = predict(model, input);
  const y = (await out.data()) as Float32Array;
  const shape = out.shape;
  tf.dispose([input, out]);
  return { model, y, shape };
}
