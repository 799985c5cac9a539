/**
 * Shape operators: computed tensors reshaped, transposed, padded, concatenated, squeezed; shapes and
 * constants folded at load (the Shape/Gather/Unsqueeze/Concat chain of `x.view(x.size(0), -1)`).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { floatTensor, type OnnxNode } from "../proto.js";
import { attr, intTensor, runOnnx, tinyOnnx } from "../../testing/onnx-graphs.js";
import { useBackend } from "../../testing/setup.js";
import { loadOnnxModel } from "../load.js";

beforeAll(async () => {
  await useBackend("cpu");
});

const x = Float32Array.from({ length: 2 * 12 }, (_, i) => i + 1);

async function run(input: (number | string)[], output: (number | string)[], nodes: OnnxNode[], initializers = [intTensor("zero", [], [0]), intTensor("minus1", [1], [-1])]) {
  return runOnnx(tinyOnnx({ input, output, nodes, initializers }), x, 2);
}

describe("ONNX shape operators", () => {
  it("flattens NCHW images in ONNX's element order (x.view(x.size(0), -1) and Flatten alike)", async () => {
    const view: OnnxNode[] = [
      { name: "shape", op_type: "Shape", input: ["x"], output: ["s"] },
      { name: "batch", op_type: "Gather", input: ["s", "zero"], output: ["b"], attribute: [attr.int("axis", 0)] },
      { name: "unsq", op_type: "Unsqueeze", input: ["b", "axes0"], output: ["b1"] },
      { name: "cat", op_type: "Concat", input: ["b1", "minus1"], output: ["target"], attribute: [attr.int("axis", 0)] },
      { name: "view", op_type: "Reshape", input: ["x", "target"], output: ["y"] },
    ];
    const folded = await run(["n", 3, 2, 2], ["n", 12], view, [intTensor("zero", [], [0]), intTensor("minus1", [1], [-1]), intTensor("axes0", [1], [0])]);
    expect(Array.from(folded.y)).toEqual(Array.from(x));
    expect(folded.model.steps.map((s) => s.className)).toEqual(["InputLayer", "Permute", "Flatten"]);
    const flat = await run(["n", 3, 2, 2], ["n", 12], [{ name: "flat", op_type: "Flatten", input: ["x"], output: ["y"] }]);
    expect(Array.from(flat.y)).toEqual(Array.from(x));
  });

  it("transposes the axes after the batch axis", async () => {
    const { y } = await run(["n", 3, 4], ["n", 4, 3], [{ name: "t", op_type: "Transpose", input: ["x"], output: ["y"], attribute: [attr.ints("perm", [0, 2, 1])] }]);
    const expected = [0, 1].flatMap((n) => [0, 1, 2, 3].flatMap((j) => [0, 1, 2].map((i) => x[n * 12 + i * 4 + j]!)));
    expect(Array.from(y)).toEqual(expected);
  });

  it("pads with a constant and concatenates along a feature axis", async () => {
    const padded = await run(["n", 3, 4], ["n", 4, 6], [{ name: "pad", op_type: "Pad", input: ["x", "pads", "value"], output: ["y"] }], [
      intTensor("pads", [6], [0, 1, 0, 0, 0, 2]), floatTensor("value", [], Float32Array.of(-1)),
    ]);
    const expected = [0, 1].flatMap((n) => [-1, 0, 1, 2].flatMap((i) => [0, 1, 2, 3, 4, 5].map((j) => (i < 0 || j > 3 ? -1 : x[n * 12 + i * 4 + j]!))));
    expect(Array.from(padded.y)).toEqual(expected);
    const doubled = await run(["n", 12], ["n", 24], [{ name: "cat", op_type: "Concat", input: ["x", "x"], output: ["y"], attribute: [attr.int("axis", 1)] }]);
    expect(Array.from(doubled.y)).toEqual([0, 1].flatMap((n) => [...x.subarray(n * 12, n * 12 + 12), ...x.subarray(n * 12, n * 12 + 12)]));
  });

  it("unsqueezes and squeezes, and passes values through Identity, Dropout and Cast", async () => {
    const { y, model } = await run(["n", 12], ["n", 12], [
      { name: "u", op_type: "Unsqueeze", input: ["x", "axes1"], output: ["u"] },
      { name: "id", op_type: "Identity", input: ["u"], output: ["i"] },
      { name: "drop", op_type: "Dropout", input: ["i"], output: ["d"] },
      { name: "cast", op_type: "Cast", input: ["d"], output: ["c"], attribute: [attr.int("to", 1)] },
      { name: "s", op_type: "Squeeze", input: ["c", "axes1"], output: ["y"] },
    ], [intTensor("axes1", [1], [1])]);
    expect(Array.from(y)).toEqual(Array.from(x));
    expect(model.steps.map((s) => s.className)).toEqual(["InputLayer", "Reshape", "Flatten"]);
  });

  it("folds Constant, Slice and ConstantOfShape into a Reshape's target and a scale", async () => {
    const { y } = await run(["n", 12], ["n", 12], [
      { name: "dims", op_type: "Constant", output: ["dims"], attribute: [attr.ints("value_ints", [0, 3, 4, 9])] },
      { name: "slice", op_type: "Slice", input: ["dims", "start", "end"], output: ["target"] },
      { name: "r", op_type: "Reshape", input: ["x", "target"], output: ["r"] },
      { name: "fill", op_type: "ConstantOfShape", input: ["shape"], output: ["twos"], attribute: [{ name: "value", type: 4, t: floatTensor("", [1], Float32Array.of(2)) }] },
      { name: "scale", op_type: "Mul", input: ["r", "twos"], output: ["m"] },
      { name: "flat", op_type: "Flatten", input: ["m"], output: ["y"] },
    ], [intTensor("start", [1], [0]), intTensor("end", [1], [3]), intTensor("shape", [1], [4])]);
    expect(Array.from(y)).toEqual(Array.from(x, (v) => 2 * v));
  });

  it("refuses a transpose that moves the batch axis", () => {
    const bytes = tinyOnnx({ input: ["n", 3, 4], output: [3, "n", 4], nodes: [{ name: "t", op_type: "Transpose", input: ["x"], output: ["y"], attribute: [attr.ints("perm", [1, 0, 2])] }] });
    expect(() => loadOnnxModel(bytes, "m")).toThrow('m: node "t" (Transpose) moves the batch axis');
  });
});
