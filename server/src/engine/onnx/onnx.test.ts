/**
 * ONNX models against PyTorch itself: the fixtures were exported by torch.onnx.export and hold
 * PyTorch's logits and its losses at points along directions made by the paper's code
 * (scripts/make-onnx-fixtures.py). Logits agree to 1e-5, losses to 1e-5 relative.
 */
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { loadDataset, prepareData } from "../data.js";
import { encodeDirection, loadDirection, randomDirection, saveDirection } from "../directions.js";
import { EngineInputError } from "../errors.js";
import { SurfaceEvaluator } from "../evaluator.js";
import { loadModel, modelFromArtifacts, predict } from "../network.js";
import { artifactsOf } from "../testing/builders.js";
import { computeSurface } from "../surface.js";
import { maxRelativeError, useBackend } from "../testing/setup.js";
import { chainedOnnx } from "../testing/onnx-graphs.js";
import { MAX_ONNX_DEPTH, MAX_ONNX_INITIALIZERS, MAX_ONNX_NODES } from "./bounds.js";
import { decodeOnnx, encodeOnnx, floatTensor } from "./proto.js";

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");
const fixture = (name: string) => path.join(FIXTURES, name);
interface Expected {
  points: [number, number][];
  exports: Record<string, boolean>;
  models: Record<string, { input: number[]; classes: number; samples: number; logits: number[][]; losses: number[]; accuracies: number[]; output: string; grid?: { xs: number[]; ys: number[]; loss: number[][] } }>;
}
const expected = JSON.parse(readFileSync(fixture("expected.json"), "utf8")) as Expected;
const NAMES = Object.keys(expected.models);

beforeAll(async () => {
  await useBackend("wasm");
});

async function logitsOf(file: string, name: string): Promise<number[][]> {
  const model = await loadModel(fixture(file));
  const data = await loadDataset(`${fixture(`${name}.x.npy`)},${fixture(`${name}.y.npy`)}`);
  const prepared = prepareData(model, data, model.trainingLoss!);
  const x = tf.tensor(prepared.x.subarray(0, 4 * prepared.x.length / prepared.count), [4, ...model.inputShape]);
  const out = predict(model, x);
  const values = (await out.array()) as number[][];
  x.dispose();
  out.dispose();
  return values;
}

function maxAbs(a: number[][], b: number[][]): number {
  let m = 0;
  a.forEach((row, i) => row.forEach((v, j) => { m = Math.max(m, Math.abs(v - b[i]![j]!)); }));
  return m;
}

describe("ONNX models exported by PyTorch", () => {
  it("records which export calls keep BatchNorm on the torch that made the fixtures", () => {
    expect(expected.exports["default (eval)"]).toBe(false);
    expect(expected.exports["training=PRESERVE, do_constant_folding=False"]).toBe(true);
  });

  for (const name of NAMES) {
    it(`${name}: logits of both exports match PyTorch's to 1e-5`, async () => {
      const want = expected.models[name]!.logits;
      expect(maxAbs(await logitsOf(`${name}.onnx`, name), want)).toBeLessThan(1e-5);
      expect(maxAbs(await logitsOf(`${name}.folded.onnx`, name), want)).toBeLessThan(1e-5);
    });

    it(`${name}: losses along the paper's directions (ONNX direction files) match PyTorch's to 1e-5 relative`, async () => {
      const e = expected.models[name]!;
      const model = await loadModel(fixture(`${name}.onnx`));
      const data = await loadDataset(`${fixture(`${name}.x.npy`)},${fixture(`${name}.y.npy`)}`);
      const dx = await loadDirection(fixture(`${name}.dir-x.onnx`), model);
      const dy = await loadDirection(fixture(`${name}.dir-y.onnx`), model);
      const loss = model.trainingLoss!;
      // With and without the first-layer trick (the engine's own speed lever works on ONNX steps too).
      for (const firstLayerTrick of ["never", "always"] as const) {
        const evaluator = SurfaceEvaluator.create(model, prepareData(model, data, loss), loss, { origin: model.theta, dx, dy }, { firstLayerTrick });
        try {
          const points = Float64Array.from(expected.points.flat());
          const values = (await evaluator.evaluate(points))!;
          expect(maxRelativeError(values.loss, e.losses)).toBeLessThan(1e-5);
          expect(maxRelativeError(values.accuracy, e.accuracies)).toBeLessThan(1e-6);
        } finally {
          evaluator.dispose();
        }
      }
    });
  }

  it("keeps PyTorch's parameters: names, filters along dim 0, BatchNorm statistics as state", async () => {
    const model = await loadModel(fixture("cnn_bn.onnx"));
    expect(model.params.map((p) => p.name)).toEqual([
      "conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
      "conv2.weight", "conv2.bias", "bn2.weight", "bn2.bias", "bn2.running_mean", "bn2.running_var", "fc.weight", "fc.bias",
    ]);
    expect(model.params.filter((p) => p.state).map((p) => p.name)).toEqual(["bn1.running_mean", "bn1.running_var", "bn2.running_mean", "bn2.running_var"]);
    expect(model.inputShape).toEqual([8, 8, 3]);
    expect(model.notes).toEqual([]);
    const folded = await loadModel(fixture("cnn_bn.folded.onnx"));
    expect(folded.notes.join(" ")).toMatch(/folded/);
    // The direction of a PyTorch filter (dim 0 of OIHW) is scaled to that filter's norm.
    const d = randomDirection(model, { seed: 3 });
    const conv = model.params.findIndex((p) => p.name === "conv2.weight");
    const [kh, kw, cin, cout] = model.params[conv]!.shape as [number, number, number, number];
    for (let o = 0; o < cout; o++) {
      let dn = 0;
      let wn = 0;
      for (let i = 0; i < kh * kw * cin; i++) {
        dn += d[conv]![i * cout + o]! ** 2;
        wn += model.theta[conv]![i * cout + o]! ** 2;
      }
      expect(Math.sqrt(dn)).toBeCloseTo(Math.sqrt(wn), 4);
    }
    expect(d.filter((_, i) => model.params[i]!.shape.length === 1).every((v) => v.every((x) => x === 0))).toBe(true);
  });

  it("a 21x21 surface of the BN CNN matches PyTorch's grid within 1e-4 relative at every point", async () => {
    const grid = expected.models.cnn_bn!.grid!;
    const model = await loadModel(fixture("cnn_bn.onnx"));
    const data = await loadDataset(`${fixture("cnn_bn.x.npy")},${fixture("cnn_bn.y.npy")}`);
    const dx = await loadDirection(fixture("cnn_bn.dir-x.onnx"), model);
    const dy = await loadDirection(fixture("cnn_bn.dir-y.onnx"), model);
    const surface = await computeSurface(model, data, { x: { min: -1, max: 1, count: 21 }, y: { min: -1, max: 1, count: 21 }, dx, dy });
    expect(maxRelativeError(surface.loss, grid.loss.flat())).toBeLessThan(1e-4);
  });

  it("saves directions as ONNX files of the model's graph that PyTorch's names read back", async () => {
    const model = await loadModel(fixture("resblock.onnx"));
    const d = randomDirection(model, { seed: 5 });
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "onnx-dir-"));
    try {
      await saveDirection(path.join(dir, "x"), model, d, { axis: "x", kind: "random", seed: 5 });
      const back = await loadDirection(path.join(dir, "x.onnx"), model);
      back.forEach((v, i) => expect(Array.from(v)).toEqual(Array.from(d[i]!)));
      const decoded = decodeOnnx(new Uint8Array(await fs.readFile(path.join(dir, "x.onnx"))), "x");
      expect(decoded.metadata_props?.find((m) => m.key === "lossAtlas")?.value).toMatch(/"direction"/);
      // The stored pair the service keeps reads back the same.
      const files = encodeDirection(model, d, { axis: "x", kind: "random" });
      const stored = await loadDirection({ modelJson: files.modelJson, shards: new Map([["weights.bin", files.weightsBin]]) }, model);
      expect(stored[0]).toEqual(d[0]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it("reads images NCHW by default and channels-last when told, with the same result", async () => {
    const model = await loadModel(fixture("resblock.onnx"));
    const nchw = await loadDataset(`${fixture("resblock.x.npy")},${fixture("resblock.y.npy")}`);
    const [c, h, w] = nchw.sampleShape as [number, number, number];
    const nhwc = new Float32Array(nchw.x.length);
    for (let n = 0; n < nchw.count; n++) for (let ch = 0; ch < c; ch++) for (let i = 0; i < h * w; i++) nhwc[n * c * h * w + i * c + ch] = nchw.x[n * c * h * w + ch * h * w + i]!;
    const last = { ...nchw, x: nhwc, sampleShape: [h, w, c], channelsLast: true };
    expect(prepareData(model, last, model.trainingLoss!).x).toEqual(prepareData(model, nchw, model.trainingLoss!).x);
    expect(() => prepareData(model, { ...last, channelsLast: false }, model.trainingLoss!)).toThrow(/channels-last/);
  });

  it("refuses what it cannot evaluate, naming the operator and the node", async () => {
    const bytes = new Uint8Array(await fs.readFile(fixture("mlp.onnx")));
    const decoded = decodeOnnx(bytes, "m");
    const node = decoded.graph!.node!.find((n) => n.op_type === "Relu")!;
    node.op_type = "Selu";
    const changed = encodeOnnx(decoded);
    await expect(loadModel(changed)).rejects.toThrow(new RegExp(`node "${node.name}" uses ONNX operator Selu`));
    await expect(loadModel(changed)).rejects.toBeInstanceOf(EngineInputError);
    const old = decodeOnnx(bytes, "m");
    old.opset_import = [{ domain: "", version: 9 }];
    await expect(loadModel(encodeOnnx(old))).rejects.toThrow(/opset 9; the engine reads opsets 11-18/);
    await expect(loadModel(Uint8Array.of(8, 255, 255, 255))).rejects.toBeInstanceOf(EngineInputError);
  });
});

describe("the benchmark's ResNet-20, as ONNX and as its TF.js twin", () => {
  it("predicts as TF.js Layers predicts the twin, and has its parameters in PyTorch's order and shapes", async () => {
    const { resnet20Layers, resnet20Onnx } = await import("../testing/resnet.js");
    const onnx = await loadModel(resnet20Onnx(2));
    const twin = resnet20Layers(2);
    try {
      expect(onnx.params.length).toBe(twin.weights.length);
      expect(onnx.params.filter((p) => p.role === "kernel").map((p) => p.size)).toEqual(twin.weights.filter((w) => w.name.endsWith("kernel")).map((w) => w.shape.reduce((a, b) => a! * b!, 1)));
      // Stride-1 convolutions run as "same" (no Pad step); stride-2 ones keep PyTorch's padding.
      expect(onnx.steps.filter((s) => s.className === "Pad").length).toBe(2);
      // The same work as the twin, step for step: the ONNX path adds no transposes or other passes.
      const twinModel = await modelFromArtifacts(await artifactsOf(twin));
      const count = (m: typeof onnx, names: string[]) => m.steps.filter((s) => names.includes(s.className)).length;
      for (const kinds of [["Conv2D"], ["BatchNormalization"], ["Add"], ["Activation"], ["Pad", "ZeroPadding2D"], ["Dense"]]) expect(count(onnx, kinds)).toBe(count(twinModel, kinds));
      expect(onnx.steps.length).toBe(twinModel.steps.length + 1); // GlobalAveragePool + Flatten for GlobalAveragePooling2D
      expect(onnx.flopsPerSample).toBe(twinModel.flopsPerSample);
      const x = tf.randomNormal([3, 32, 32, 3], 0, 1, "float32", 4);
      const mine = predict(onnx, x);
      const theirs = twin.predict(x) as tf.Tensor;
      expect(maxRelativeError(await mine.data(), await theirs.data(), 1e-3)).toBeLessThan(1e-4);
      tf.dispose([x, mine, theirs]);
    } finally {
      twin.dispose();
    }
  });
});

describe("ONNX beyond the PyTorch fixtures", () => {
  it("evaluates BatchNorm with its running statistics in a file exported in training mode", async () => {
    const e = expected.models.cnn_bn as unknown as { training_export_logits: number[][] };
    expect(maxAbs(await logitsOf("cnn_bn.training.onnx", "cnn_bn"), e.training_export_logits)).toBeLessThan(1e-5);
  });

  it("reads opset 18 (ReduceMean's axes as an input), MatMul with an Add of its bias, and Gemm without transB", async () => {
    // x [N, 2, 3, 3] -> Conv 1x1 (3 filters) -> ReduceMean over H, W -> MatMul [3, 4] + Add bias -> Relu -> Gemm [4, 2] -> LogSoftmax
    const rng = (k: number) => Array.from({ length: k }, (_, i) => Math.sin(7 * i + k) * 0.7);
    const conv = Float32Array.from(rng(6)), convBias = Float32Array.from(rng(3)), w1 = Float32Array.from(rng(12)), b1 = Float32Array.from(rng(4)), w2 = Float32Array.from(rng(8)), b2 = Float32Array.from(rng(2));
    const tensorType = (dims: (number | string)[]) => ({ tensor_type: { elem_type: 1, shape: { dim: dims.map((d) => (typeof d === "string" ? { dim_param: d } : { dim_value: d })) } } });
    const bytes = encodeOnnx({
      ir_version: 8,
      opset_import: [{ domain: "", version: 18 }],
      graph: {
        node: [
          { name: "conv", op_type: "Conv", input: ["x", "c.w", "c.b"], output: ["c"], attribute: [{ name: "kernel_shape", type: 7, ints: [1, 1] }] },
          { name: "axes", op_type: "Constant", output: ["axes"], attribute: [{ name: "value", type: 4, t: { dims: [2], data_type: 7, int64_data: [2, 3] } }] },
          { name: "mean", op_type: "ReduceMean", input: ["c", "axes"], output: ["m"], attribute: [{ name: "keepdims", type: 2, i: 0 }] },
          { name: "mm", op_type: "MatMul", input: ["m", "fc1.weight"], output: ["h0"] },
          { name: "bias", op_type: "Add", input: ["h0", "fc1.bias"], output: ["h1"] },
          { name: "relu", op_type: "Relu", input: ["h1"], output: ["h"] },
          { name: "gemm", op_type: "Gemm", input: ["h", "fc2.weight", "fc2.bias"], output: ["z"] },
          { name: "out", op_type: "LogSoftmax", input: ["z"], output: ["y"], attribute: [{ name: "axis", type: 2, i: 1 }] },
        ],
        initializer: [floatTensor("c.w", [3, 2, 1, 1], conv), floatTensor("c.b", [3], convBias), floatTensor("fc1.weight", [3, 4], w1), floatTensor("fc1.bias", [4], b1), floatTensor("fc2.weight", [4, 2], w2), floatTensor("fc2.bias", [2], b2)],
        input: [{ name: "x", type: tensorType(["n", 2, 3, 3]) }],
        output: [{ name: "y", type: tensorType(["n", 2]) }],
      },
    });
    const model = await loadModel(bytes);
    expect(model.params.map((p) => `${p.name}:${p.role}`)).toEqual(["c.w:kernel", "c.b:bias", "fc1.weight:kernel", "fc1.bias:bias", "fc2.weight:kernel", "fc2.bias:bias"]);
    const x = Float32Array.from(rng(2 * 18));
    // The reference, in float64 on the host, in ONNX's own NCHW order.
    const ref: number[] = [];
    for (let n = 0; n < 2; n++) {
      const m = [0, 1, 2].map((o) => {
        let s = 0;
        for (let p = 0; p < 9; p++) s += conv[o * 2]! * x[n * 18 + p]! + conv[o * 2 + 1]! * x[n * 18 + 9 + p]! + convBias[o]!;
        return s / 9;
      });
      const h = [0, 1, 2, 3].map((j) => Math.max(0, m.reduce((a, v, i) => a + v * w1[i * 4 + j]!, b1[j]!)));
      const z = [0, 1].map((k) => h.reduce((a, v, j) => a + v * w2[j * 2 + k]!, b2[k]!));
      const lse = Math.log(Math.exp(z[0]!) + Math.exp(z[1]!));
      ref.push(z[0]! - lse, z[1]! - lse);
    }
    const data = { name: "x", count: 2, x, sampleShape: [2, 3, 3], y: Float32Array.of(0, 1), targetShape: [] };
    const prepared = prepareData(model, data, model.trainingLoss!);
    const input = tf.tensor(prepared.x, [2, ...model.inputShape]);
    const out = predict(model, input);
    expect(maxRelativeError(await out.data(), ref, 1e-3)).toBeLessThan(1e-5);
    tf.dispose([input, out]);
  });
});

describe("bounds on ONNX graphs", () => {
  useBackend("cpu");

  it("reads a chain within the bounds", async () => {
    const model = await loadModel(chainedOnnx(200));
    expect(model.params.map((p) => p.name)).toEqual(["fc.weight", "fc.bias"]);
  });

  it("refuses 20,000 chained nodes, a graph deeper than MAX_ONNX_DEPTH and more than MAX_ONNX_INITIALIZERS initializers, saying which bound", async () => {
    const refusal = (bytes: Uint8Array) => loadModel(bytes).then(() => "accepted", (error: unknown) => (error instanceof EngineInputError ? error.message : `unexpected ${String(error)}`));
    expect(await refusal(chainedOnnx(20_000))).toMatch(new RegExp(`20001 nodes; the engine reads at most ${MAX_ONNX_NODES}`));
    expect(await refusal(chainedOnnx(MAX_ONNX_DEPTH + 10))).toMatch(new RegExp(`${MAX_ONNX_DEPTH + 11} nodes deep.*at most ${MAX_ONNX_DEPTH}`));
    expect(await refusal(chainedOnnx(2, MAX_ONNX_INITIALIZERS))).toMatch(new RegExp(`${MAX_ONNX_INITIALIZERS + 2} initializers; the engine reads at most ${MAX_ONNX_INITIALIZERS}`));
  });
});
