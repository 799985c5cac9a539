/** Add, Sub, Mul, Div and Pow: with constants on either side, between computed tensors, and folded at load. */
import { beforeAll, describe, expect, it } from "vitest";
import { floatTensor, type OnnxNode } from "../proto.js";
import { runOnnx, tinyOnnx } from "../../testing/onnx-graphs.js";
import { maxRelativeError, useBackend } from "../../testing/setup.js";
import { loadOnnxModel } from "../load.js";

beforeAll(async () => {
  await useBackend("cpu");
});

const x = Float32Array.of(0.5, -1.5, 2, 1.25, 0.75, -0.25);
const c = Float32Array.of(2, -0.5, 4);
const node = (op: string, a: string, b: string, out = "y", name = op): OnnxNode => ({ name, op_type: op, input: [a, b], output: [out] });

async function run(nodes: OnnxNode[], input: (number | string)[] = ["n", 3]): Promise<Float32Array> {
  const bytes = tinyOnnx({ input, output: input, nodes, initializers: [floatTensor("c", [3], c), floatTensor("two", [], Float32Array.of(2))] });
  return (await runOnnx(bytes, x, 2)).y;
}
const expectMap = async (nodes: OnnxNode[], f: (v: number, k: number) => number) =>
  expect(maxRelativeError(await run(nodes), Array.from(x, (v, i) => f(v, c[i % 3]!)), 1)).toBeLessThan(1e-6);

describe("ONNX elementwise arithmetic", () => {
  it("broadcasts a constant vector on either side", async () => {
    await expectMap([node("Add", "x", "c")], (v, k) => v + k);
    await expectMap([node("Sub", "c", "x")], (v, k) => k - v);
    await expectMap([node("Mul", "x", "c")], (v, k) => v * k);
    await expectMap([node("Div", "c", "x")], (v, k) => k / v);
    await expectMap([node("Pow", "x", "two")], (v) => v * v);
  });

  it("combines two computed tensors", async () => {
    await expectMap([{ name: "r", op_type: "Relu", input: ["x"], output: ["r"] }, node("Sub", "x", "r")], (v) => Math.min(v, 0));
    await expectMap([node("Mul", "x", "x", "sq"), node("Div", "sq", "x")], (v) => v);
  });

  it("folds arithmetic on constants at load: (c + 2) * c, then times x", async () => {
    await expectMap([node("Add", "c", "two", "c2", "fold1"), node("Mul", "c2", "c", "cc", "fold2"), node("Mul", "x", "cc")], (v, k) => v * (k + 2) * k);
  });

  it("broadcasts a per-channel constant over NCHW images", async () => {
    const bytes = tinyOnnx({
      input: ["n", 2, 1, 1], output: ["n", 2, 1, 1],
      nodes: [node("Add", "x", "bias")],
      initializers: [floatTensor("bias", [2, 1, 1], Float32Array.of(10, 20))],
    });
    expect(Array.from((await runOnnx(bytes, Float32Array.of(1, 2, 3, 4), 2)).y)).toEqual([11, 22, 13, 24]);
  });

  it("refuses a computed power of a computed tensor", () => {
    const bytes = tinyOnnx({ input: ["n", 3], output: ["n", 3], nodes: [node("Pow", "x", "x")] });
    expect(() => loadOnnxModel(bytes, "m")).toThrow('m: node "Pow" (Pow) raises a computed tensor to a computed power');
  });
});
