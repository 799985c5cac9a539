/** Conv against a direct NCHW convolution on the host: plain, strided, automatic padding, depthwise, grouped. */
import { beforeAll, describe, expect, it } from "vitest";
import { EngineInputError } from "../../errors.js";
import { floatTensor } from "../proto.js";
import { attr, runOnnx, tinyOnnx } from "../../testing/onnx-graphs.js";
import { maxRelativeError, useBackend } from "../../testing/setup.js";
import { loadOnnxModel } from "../load.js";

beforeAll(async () => {
  await useBackend("cpu");
});

const values = (k: number, seed: number) => Float32Array.from({ length: k }, (_, i) => Math.sin(seed * 7.3 + i * 1.7) * 0.8);

interface ConvSpec { readonly pads: number[]; readonly strides: number[]; readonly group: number }

/** y[n][o][i][j] = b[o] + sum over the group's channels c and the kernel (ki, kj) of x[n][c][i*s + ki - top][j*s + kj - left] w[o][c][ki][kj]. */
function conv2d(x: Float32Array, [N, C, H, W]: number[], w: Float32Array, [O, I, KH, KW]: number[], b: Float32Array, s: ConvSpec): Float64Array {
  const [top, left, bottom, right] = s.pads as [number, number, number, number];
  const OH = Math.floor((H! + top + bottom - KH!) / s.strides[0]!) + 1;
  const OW = Math.floor((W! + left + right - KW!) / s.strides[1]!) + 1;
  const out = new Float64Array(N! * O! * OH * OW);
  const perGroup = O! / s.group;
  for (let n = 0; n < N!; n++) for (let o = 0; o < O!; o++) for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++) {
    let sum = b[o]!;
    const g = Math.floor(o / perGroup);
    for (let c = 0; c < I!; c++) for (let ki = 0; ki < KH!; ki++) for (let kj = 0; kj < KW!; kj++) {
      const y = i * s.strides[0]! + ki - top;
      const xx = j * s.strides[1]! + kj - left;
      if (y < 0 || y >= H! || xx < 0 || xx >= W!) continue;
      sum += x[((n * C! + g * I! + c) * H! + y) * W! + xx]! * w[((o * I! + c) * KH! + ki) * KW! + kj]!;
    }
    out[((n * O! + o) * OH + i) * OW + j] = sum;
  }
  return out;
}

async function check(weightDims: number[], spec: ConvSpec, extra: ReturnType<typeof attr.int>[] = [], refPads = spec.pads) {
  const input = [2, 4, 5, 5];
  const x = values(2 * 4 * 25, 1);
  const w = values(weightDims.reduce((a, d) => a * d, 1), 2);
  const b = values(weightDims[0]!, 3);
  const bytes = tinyOnnx({
    input: ["n", 4, 5, 5],
    output: ["n", weightDims[0]!, "h", "w"],
    nodes: [{
      name: "conv", op_type: "Conv", input: ["x", "w", "b"], output: ["y"],
      attribute: [attr.ints("kernel_shape", weightDims.slice(2)), attr.ints("strides", spec.strides), attr.int("group", spec.group), ...extra, ...(extra.length ? [] : [attr.ints("pads", spec.pads)])],
    }],
    initializers: [floatTensor("w", weightDims, w), floatTensor("b", [weightDims[0]!], b)],
  });
  const { model, y } = await runOnnx(bytes, x, 2);
  expect(maxRelativeError(y, conv2d(x, input, w, weightDims, b, { ...spec, pads: refPads }), 1)).toBeLessThan(1e-5);
  return model;
}

describe("ONNX Conv", () => {
  it("runs a 3x3 convolution with PyTorch's padding as TF's 'same', without a Pad step", async () => {
    const model = await check([3, 4, 3, 3], { pads: [1, 1, 1, 1], strides: [1, 1], group: 1 });
    expect(model.steps.map((s) => s.className)).toEqual(["InputLayer", "Conv2D", "Permute"]); // the input is stored channels-last already
    expect(model.params.map((p) => `${p.name}:${p.role}:${p.shape.join("x")}`)).toEqual(["w:kernel:3x3x4x3", "b:bias:3"]);
    expect(model.flopsPerSample).toBe(2 * 3 * 3 * 4 * 5 * 5 * 3);
  });

  it("pads explicitly for a strided convolution, and resolves auto_pad SAME_UPPER", async () => {
    const strided = await check([2, 4, 3, 3], { pads: [0, 0, 1, 1], strides: [2, 2], group: 1 });
    expect(strided.steps.some((s) => s.className === "Pad")).toBe(true);
    // Kernel 2 at stride 1: one value of padding per axis, SAME_UPPER puts it at the end.
    await check([2, 4, 2, 2], { pads: [0, 0, 0, 0], strides: [1, 1], group: 1 }, [attr.string("auto_pad", "SAME_UPPER")], [0, 0, 1, 1]);
  });

  it("reads depthwise (group = channels) and grouped convolutions", async () => {
    const depthwise = await check([8, 1, 3, 3], { pads: [0, 0, 0, 0], strides: [1, 1], group: 4 });
    expect(depthwise.steps.map((s) => s.className)).toContain("DepthwiseConv2D");
    const grouped = await check([4, 2, 2, 2], { pads: [0, 1, 0, 1], strides: [1, 1], group: 2 });
    expect(grouped.steps.map((s) => s.className)).toContain("GroupedConv2D");
  });

  it("refuses a 1-D convolution, naming the node", () => {
    const bytes = tinyOnnx({
      input: ["n", 4, 5], output: ["n", 2, 3],
      nodes: [{ name: "conv", op_type: "Conv", input: ["x", "w"], output: ["y"] }],
      initializers: [floatTensor("w", [2, 4, 3], values(24, 1))],
    });
    expect(() => loadOnnxModel(bytes, "m")).toThrow(EngineInputError);
    expect(() => loadOnnxModel(bytes, "m")).toThrow('m: node "conv" (Conv) needs a 4-D input [N, C, H, W]; it gets [N, 4, 5]');
  });
});
