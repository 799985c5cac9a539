import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { loadDataset, type Dataset } from "./data.js";
import { predict } from "./network.js";
import { parseNpy } from "./npy.js";
import { decodeOnnx } from "./onnx/proto.js";
import { loadOnnxModel } from "./onnx/load.js";
import { permute } from "./onnx/values.js";
import { resnetName } from "./options.js";
import { useBackend } from "./testing/setup.js";
import { trainZooResnet, zooImageShape } from "./train-network.js";
import { resnetInit, resnetLayout, resnetOnnx, type ResnetWeights } from "./zoo-resnet.js";

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "zoo-resnet");

interface Case {
  name: string;
  channels: number;
  size: number;
  blocks: number;
  width: number;
  residual: boolean;
  downsample: number;
  classes: number;
  params: { name: string; shape: number[] }[];
}

/** PyTorch's state dict of a fixture, as the builder's weights. */
function fixtureWeights(c: Case): ResnetWeights {
  const flat = Float32Array.from(parseNpy(readFileSync(path.join(DIR, `${c.name}.params.npy`)), "params").data);
  const tensors = new Map<string, Float32Array>();
  let at = 0;
  for (const p of c.params) {
    const n = p.shape.reduce((a, b) => a * b, 1);
    tensors.set(p.name, flat.slice(at, at + n));
    at += n;
  }
  expect(at).toBe(flat.length);
  const get = (name: string) => {
    const t = tensors.get(name);
    if (!t) throw new Error(`the fixture has no ${name}`);
    return t;
  };
  return {
    conv: (conv) => get(`${conv.name}.weight`),
    batchNorm: (bn) => [get(`${bn}.weight`), get(`${bn}.bias`), get(`${bn}.running_mean`), get(`${bn}.running_var`)],
    fc: () => ({ weight: get("fc.weight"), bias: get("fc.bias") }),
  };
}

beforeAll(async () => {
  await useBackend("wasm");
});

describe("zoo ResNets against PyTorch (scripts/make-resnet-fixtures.py)", () => {
  for (const name of ["plain_mnist", "residual_mnist", "residual_rgb"]) {
    it(`${name}: the built graph computes PyTorch's logits from PyTorch's weights`, () => {
      const c = JSON.parse(readFileSync(path.join(DIR, `${name}.json`), "utf8")) as Case;
      // Every tensor of PyTorch's state dict is used by the graph, and no other.
      const model = loadOnnxModel(resnetOnnx(c, [c.channels, c.size, c.size], c.classes, fixtureWeights(c)), name);
      const graph = decodeOnnx(resnetOnnx(c, [c.channels, c.size, c.size], c.classes, fixtureWeights(c)), name).graph!;
      expect(graph.initializer!.map((t) => t.name).sort()).toEqual(c.params.map((p) => p.name).sort());
      expect(graph.node!.filter((n) => n.op_type === "Add")).toHaveLength(c.residual ? 3 * c.blocks : 0);
      const x = parseNpy(readFileSync(path.join(DIR, `${name}.x.npy`)), "x");
      const reference = parseNpy(readFileSync(path.join(DIR, `${name}.logits.npy`)), "logits").data;
      const [n, ch, h, w] = x.shape as [number, number, number, number];
      // The engine computes channels-last.
      const nhwc = permute(x.data, [n, ch, h, w], [0, 2, 3, 1]);
      const out = tf.tidy(() => predict(model, tf.tensor4d(nhwc, [n, h, w, ch])).dataSync());
      let scale = 0;
      for (const v of reference) scale = Math.max(scale, Math.abs(v));
      for (let i = 0; i < reference.length; i++) expect(Math.abs(out[i]! - reference[i]!)).toBeLessThan(2e-5 * Math.max(1, scale));
    });
  }
});

describe("zoo ResNet builder", () => {
  it("names depths as the paper does and counts its layers", () => {
    expect(resnetName({ blocks: 9, width: 16, residual: true })).toBe("ResNet-56");
    expect(resnetName({ blocks: 9, width: 16, residual: false })).toBe("ResNet-56-noshort");
    expect(resnetName({ blocks: 3, width: 8, residual: false })).toBe("ResNet-20-noshort (width 8)");
    const { convs, blocks } = resnetLayout({ blocks: 3, width: 16, residual: true }, 3);
    // 1 stem + 2 per block + 2 projections (where stages 2 and 3 start): ResNet-20's 19 + 2.
    expect(convs).toHaveLength(1 + 2 * 9 + 2);
    expect(blocks.filter((b) => b.shortcut !== null)).toHaveLength(2);
    expect(resnetLayout({ blocks: 3, width: 16, residual: false }, 3).convs).toHaveLength(19);
  });

  it("refuses sizes it cannot build, with the reason", () => {
    const w = resnetInit(0);
    expect(() => resnetOnnx({ blocks: 0, width: 4, residual: true, downsample: 1 }, [1, 28, 28], 10, w)).toThrow(/blocks per stage/);
    expect(() => resnetOnnx({ blocks: 1, width: 4, residual: true, downsample: 3 }, [1, 28, 28], 10, w)).toThrow(/divides the image sides/);
    expect(() => resnetOnnx({ blocks: 1, width: 4, residual: true, downsample: 2 }, [1, 6, 6], 10, w)).toThrow(/too small/);
  });

  it("initialises as the ResNet authors do: kernel variance 2 / (k k out), BatchNorm identity", () => {
    const w = resnetInit(3);
    const kernel = w.conv({ name: "c", cin: 32, cout: 64, k: 3, stride: 1 });
    let sq = 0;
    for (const v of kernel) sq += v * v;
    expect(sq / kernel.length).toBeCloseTo(2 / (9 * 64), 3);
    const [gamma, beta, mean, variance] = w.batchNorm("bn", 4);
    expect([...gamma, ...variance].every((v) => v === 1) && [...beta, ...mean].every((v) => v === 0)).toBe(true);
  });

  it("reads one-channel and channels-last images as [height, width, channels], others as NCHW", () => {
    const data = (sampleShape: number[], channelsLast?: boolean): Dataset => ({ name: "d", count: 1, x: new Float32Array(sampleShape.reduce((a, b) => a * b, 1)), sampleShape, y: new Float32Array(1), targetShape: [], ...(channelsLast ? { channelsLast } : {}) });
    expect(zooImageShape(data([28, 28, 1]))).toEqual([1, 28, 28]);
    expect(zooImageShape(data([32, 32, 3], true))).toEqual([3, 32, 32]);
    expect(zooImageShape(data([3, 32, 32]))).toEqual([3, 32, 32]);
    expect(() => zooImageShape(data([784]))).toThrow(/image samples/);
  });
});

describe("training a zoo ResNet on the WebAssembly backend", () => {
  it("trains both twins on MNIST digits and writes ONNX checkpoints that load back", async () => {
    const train = await loadDataset("builtin:mnist", { samples: 256, sampleSeed: 1 });
    for (const residual of [true, false]) {
      const checkpoints: number[] = [];
      const result = await trainZooResnet({ blocks: 1, width: 4, residual, downsample: 2 }, train, null, 10,
        { optimizer: "adam", learningRate: 0.01, batchSize: 32, epochs: 5, seed: 2 },
        { onCheckpoint: (step) => void checkpoints.push(step) });
      const first = result.curve[0]!;
      const last = result.curve.at(-1)!;
      // From chance (ln 10 = 2.30) to clearly learning in 40 steps (PyTorch, same settings: 1.05
      // with shortcuts and 1.32 without, from other initial weights).
      expect(first.trainLoss).toBeGreaterThan(2);
      expect(last.trainLoss).toBeLessThan(1.7);
      expect(last.trainAccuracy).toBeGreaterThan(0.4);
      expect(checkpoints).toEqual([0, 8, 16, 24, 32, 40]);
      const back = loadOnnxModel(result.final.onnx, "trained");
      expect(back.onnx?.inputShape).toEqual([1, 28, 28]);
    }
  }, 120_000);
});
