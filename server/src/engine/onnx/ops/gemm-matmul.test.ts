/** Gemm and MatMul against y = x W (+ b) computed on the host. */
import { beforeAll, describe, expect, it } from "vitest";
import { floatTensor } from "../proto.js";
import { attr, runOnnx, tinyOnnx } from "../../testing/onnx-graphs.js";
import { maxRelativeError, useBackend } from "../../testing/setup.js";
import { loadOnnxModel } from "../load.js";

beforeAll(async () => {
  await useBackend("cpu");
});

const values = (k: number, seed: number) => Float32Array.from({ length: k }, (_, i) => Math.cos(seed * 3.1 + i * 0.9) * 0.9);
const x = values(2 * 3, 1);

/** y[n][j] = b[j] + sum_i x[n][i] W[i][j], with W given [in, out] or, transposed, [out, in]. */
function dense(w: Float32Array, b: Float32Array | null, transposed: boolean): number[] {
  const out: number[] = [];
  for (let n = 0; n < 2; n++) for (let j = 0; j < 2; j++) {
    let s = b ? b[j]! : 0;
    for (let i = 0; i < 3; i++) s += x[n * 3 + i]! * w[transposed ? j * 3 + i : i * 2 + j]!;
    out.push(s);
  }
  return out;
}

describe("ONNX Gemm and MatMul", () => {
  it("reads Gemm with PyTorch's [out, in] weight (transB=1) and with [in, out]", async () => {
    const w = values(6, 2);
    const b = values(2, 3);
    for (const transB of [1, 0]) {
      const bytes = tinyOnnx({
        input: ["n", 3], output: ["n", 2],
        nodes: [{ name: "fc", op_type: "Gemm", input: ["x", "w", "b"], output: ["y"], attribute: [attr.int("transB", transB)] }],
        initializers: [floatTensor("w", transB ? [2, 3] : [3, 2], w), floatTensor("b", [2], b)],
      });
      const { model, y } = await runOnnx(bytes, x, 2);
      expect(maxRelativeError(y, dense(w, b, transB === 1), 1)).toBeLessThan(1e-6);
      // The kernel is stored [in, out] either way: a filter (an output unit) is the last axis.
      expect(model.params.map((p) => `${p.name}:${p.role}:${p.shape.join("x")}`)).toEqual(["w:kernel:3x2", "b:bias:2"]);
      expect(model.flopsPerSample).toBe(2 * 3 * 2);
    }
  });

  it("reads MatMul by a stored matrix, and the Add after it as the layer's bias", async () => {
    const w = values(6, 4);
    const b = values(2, 5);
    const bytes = tinyOnnx({
      input: ["n", 3], output: ["n", 2],
      nodes: [
        { name: "mm", op_type: "MatMul", input: ["x", "w"], output: ["h"] },
        { name: "bias", op_type: "Add", input: ["h", "b"], output: ["y"] },
      ],
      initializers: [floatTensor("w", [3, 2], w), floatTensor("b", [2], b)],
    });
    const { model, y } = await runOnnx(bytes, x, 2);
    expect(maxRelativeError(y, dense(w, b, false), 1)).toBeLessThan(1e-6);
    expect(model.steps.map((s) => s.className)).toEqual(["InputLayer", "Dense", "BiasAdd"]);
    expect(model.params.map((p) => p.role)).toEqual(["kernel", "bias"]);
  });

  it("refuses a scaled Gemm and a MatMul of two computed tensors", () => {
    const scaled = tinyOnnx({
      input: ["n", 3], output: ["n", 2],
      nodes: [{ name: "fc", op_type: "Gemm", input: ["x", "w"], output: ["y"], attribute: [attr.float("alpha", 2)] }],
      initializers: [floatTensor("w", [3, 2], values(6, 1))],
    });
    expect(() => loadOnnxModel(scaled, "m")).toThrow('m: node "fc" (Gemm) has alpha or beta other than 1');
    const square = tinyOnnx({ input: ["n", 3], output: ["n", 3], nodes: [{ name: "sq", op_type: "MatMul", input: ["x", "x"], output: ["y"] }] });
    expect(() => loadOnnxModel(square, "m")).toThrow('m: node "sq" (MatMul) multiplies anything but a computed tensor by a stored weight matrix');
  });
});
