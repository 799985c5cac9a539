/** Pooling and ReduceMean against windows taken by hand over NCHW images. */
import { beforeAll, describe, expect, it } from "vitest";
import type { OnnxAttribute } from "../proto.js";
import { attr, intTensor, runOnnx, tinyOnnx } from "../../testing/onnx-graphs.js";
import { maxRelativeError, useBackend } from "../../testing/setup.js";
import { loadOnnxModel } from "../load.js";

beforeAll(async () => {
  await useBackend("cpu");
});

// Two samples of 2 channels, 4 x 4.
const x = Float32Array.from({ length: 2 * 2 * 16 }, (_, i) => Math.sin(1.3 * i) * 3);
const at = (n: number, c: number, i: number, j: number) => (i < 0 || j < 0 || i > 3 || j > 3 ? null : x[((n * 2 + c) * 4 + i) * 4 + j]!);

/** Every output of a k x k window at stride s over the image padded by `pad` on each side. */
function pool(k: number, s: number, pad: number, reduce: (window: (number | null)[]) => number): number[] {
  const size = Math.floor((4 + 2 * pad - k) / s) + 1;
  const out: number[] = [];
  for (let n = 0; n < 2; n++) for (let c = 0; c < 2; c++) for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) {
    const window: (number | null)[] = [];
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) window.push(at(n, c, i * s + a - pad, j * s + b - pad));
    out.push(reduce(window));
  }
  return out;
}

const graph = (op: string, attribute: OnnxAttribute[], output: (number | string)[], inputs = ["x"], opset = 17) =>
  tinyOnnx({ input: ["n", 2, 4, 4], output, nodes: [{ name: "pool", op_type: op, input: inputs, output: ["y"], attribute }], opset });

describe("ONNX pooling", () => {
  it("takes MaxPool 2x2 at stride 2", async () => {
    const { y } = await runOnnx(graph("MaxPool", [attr.ints("kernel_shape", [2, 2]), attr.ints("strides", [2, 2])], ["n", 2, 2, 2]), x, 2);
    expect(Array.from(y)).toEqual(pool(2, 2, 0, (w) => Math.max(...(w as number[]))).map(Math.fround));
  });

  it("takes AveragePool 3x3 with padding counted (count_include_pad=1)", async () => {
    const { y } = await runOnnx(graph("AveragePool", [attr.ints("kernel_shape", [3, 3]), attr.ints("pads", [1, 1, 1, 1]), attr.int("count_include_pad", 1)], ["n", 2, 4, 4]), x, 2);
    expect(maxRelativeError(y, pool(3, 1, 1, (w) => w.reduce<number>((a, v) => a + (v ?? 0), 0) / 9), 1)).toBeLessThan(1e-6);
  });

  it("averages each channel with GlobalAveragePool and with ReduceMean over H, W (axes as input, opset 18)", async () => {
    const means = pool(4, 4, 0, (w) => (w as number[]).reduce((a, v) => a + v, 0) / 16);
    expect(maxRelativeError((await runOnnx(graph("GlobalAveragePool", [], ["n", 2, 1, 1]), x, 2)).y, means, 1)).toBeLessThan(1e-6);
    const reduce = tinyOnnx({
      input: ["n", 2, 4, 4], output: ["n", 2], opset: 18,
      nodes: [{ name: "mean", op_type: "ReduceMean", input: ["x", "axes"], output: ["y"], attribute: [attr.int("keepdims", 0)] }],
      initializers: [intTensor("axes", [2], [2, 3])],
    });
    expect(maxRelativeError((await runOnnx(reduce, x, 2)).y, means, 1)).toBeLessThan(1e-6);
  });

  it("refuses padding left out of an average", () => {
    const bytes = graph("AveragePool", [attr.ints("kernel_shape", [3, 3]), attr.ints("pads", [1, 1, 1, 1])], ["n", 2, 4, 4]);
    expect(() => loadOnnxModel(bytes, "m")).toThrow('m: node "pool" (AveragePool) pads without counting the padding (count_include_pad=0), which the engine does not support; use count_include_pad=True or no padding');
  });
});
