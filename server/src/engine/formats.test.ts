/**
 * The model.json layouts people have (testing/formats.ts): each loads, and the engine's forward
 * pass matches TF.js Layers' predict on the same weights: TF.js's own loadLayersModel of the same
 * files where TF.js reads them, else the TF.js model the files were written from. Converter
 * layouts give the same surface as their TF.js-saved twins.
 */
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import { beforeAll, describe, expect, it } from "vitest";
import { EngineInputError } from "./errors.js";
import type { ModelFiles } from "./model-types.js";
import { loadModel, predict } from "./network.js";
import { SeededRandom } from "./rng.js";
import { computeSurface } from "./surface.js";
import { buildCnnBn, buildMlp, buildNestedOutput, buildNestedShared, buildResidualCnn, randomDataset } from "./testing/builders.js";
import { type ConverterOptions, converterFiles, float16Bits, loadWithTfjs, tfjsSavedFiles } from "./testing/formats.js";
import { useBackend } from "./testing/setup.js";

beforeAll(async () => {
  await useBackend("wasm");
});

interface Case {
  readonly name: string;
  readonly build: () => tfl.LayersModel;
  /** Files of the layout; absent: TF.js's model.save. */
  readonly converter?: ConverterOptions;
  /** TF.js's loadLayersModel reads these files itself (else the source model is the reference). */
  readonly tfjsReads: boolean;
  readonly notes?: RegExp;
  /** Largest difference allowed against the reference's outputs (quantized weights round twice). */
  readonly tolerance?: number;
}

const mlp = () => buildMlp([5, 8, 3], 2);
const CASES: Case[] = [
  { name: "TF.js model.save: Sequential MLP", build: mlp, tfjsReads: true },
  { name: "TF.js model.save: functional residual CNN with BatchNorm", build: () => buildResidualCnn(), tfjsReads: true },
  { name: "TF.js model.save: nested Sequential and a shared layer", build: () => buildNestedShared(), tfjsReads: true },
  { name: "converter, Keras 2: MLP, a group per layer, many shards", build: mlp, converter: { keras: 2, shardBytes: 40 }, tfjsReads: true },
  { name: "converter, Keras 2: CNN with BatchNorm and DepthwiseConv2D", build: () => buildCnnBn(), converter: { keras: 2 }, tfjsReads: true },
  { name: "converter, Keras 2: residual functional model", build: () => buildResidualCnn(), converter: { keras: 2, shardBytes: 256 }, tfjsReads: true },
  { name: "converter, Keras 2: nested Sequential and a shared layer", build: () => buildNestedShared(), converter: { keras: 2 }, tfjsReads: true },
  { name: "converter, Keras 2: trainingConfig beside modelTopology", build: mlp, converter: { keras: 2, trainingConfigBeside: true }, tfjsReads: true },
  { name: "converter, Keras 3: MLP with scope-prefixed weight names", build: mlp, converter: { keras: 3, shardBytes: 64 }, tfjsReads: false },
  { name: "converter, Keras 3: CNN with BatchNorm and DepthwiseConv2D", build: () => buildCnnBn(), converter: { keras: 3 }, tfjsReads: false },
  { name: "converter, Keras 3: residual functional model", build: () => buildResidualCnn(), converter: { keras: 3 }, tfjsReads: false },
  { name: "converter, Keras 3: nested Sequential and a shared layer", build: () => buildNestedShared(), converter: { keras: 3 }, tfjsReads: false },
  { name: "TF.js model.save: a nested functional model, and a nested Sequential as the output", build: () => buildNestedOutput(), tfjsReads: true },
  { name: "converter, Keras 2: a nested functional model, and a nested Sequential as the output", build: () => buildNestedOutput(), converter: { keras: 2 }, tfjsReads: true },
  { name: "converter, Keras 3: a nested functional model, and a nested Sequential as the output", build: () => buildNestedOutput(), converter: { keras: 3 }, tfjsReads: false },
  { name: "converter --quantize_float16", build: () => buildCnnBn(), converter: { keras: 2, quantize: "float16" }, tfjsReads: true, notes: /10 weight tensors are stored as float16 and widened/ },
  { name: "converter --quantize_uint8", build: () => buildResidualCnn(), converter: { keras: 2, quantize: "uint8" }, tfjsReads: true, notes: /quantized to uint8 and dequantized/ },
  { name: "converter --quantize_uint16", build: mlp, converter: { keras: 2, quantize: "uint16", shardBytes: 24 }, tfjsReads: true, notes: /4 weight tensors are quantized to uint16/ },
];

async function filesOf(c: Case, model: tfl.LayersModel): Promise<ModelFiles> {
  return c.converter ? converterFiles(model, c.converter) : tfjsSavedFiles(model);
}

function randomInputs(shape: readonly number[], count: number): tf.Tensor {
  const rng = new SeededRandom(8, 3);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: count * size }, () => rng.nextGaussian()), [count, ...shape]);
}

describe("model.json layouts", () => {
  for (const c of CASES) {
    it(`${c.name}: loads, and predicts as TF.js Layers does`, async () => {
      const source = c.build();
      const files = await filesOf(c, source);
      const model = await loadModel(files);
      expect(model.trainingLoss?.name).toBe("sparse_categorical_crossentropy");
      if (c.notes) expect(model.notes.join("\n")).toMatch(c.notes);
      else expect(model.notes).toEqual([]);
      const reference = c.tfjsReads ? await loadWithTfjs(files) : source;
      const x = randomInputs(model.inputShape, 16);
      const ours = predict(model, x);
      const theirs = reference.predict(x) as tf.Tensor;
      expect(ours.shape).toEqual(theirs.shape);
      const a = await ours.data();
      const b = await theirs.data();
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
      expect(worst).toBeLessThan(c.tolerance ?? 2e-6);
      // The outputs are not trivially equal: the model is not constant across samples.
      expect(Math.abs(a[0]! - a[3]!)).toBeGreaterThan(1e-4);
      tf.dispose([x, ours, theirs]);
      if (reference !== source) reference.dispose();
      source.dispose();
    });
  }

  it("reads float16 weights as TF.js does, to the last bit", async () => {
    const files = await converterFiles(mlp(), { quantize: "float16" });
    const model = await loadModel(files);
    const layers = await loadWithTfjs(files);
    const theirs = layers.weights.map((w) => w.read().dataSync());
    expect(model.theta.map((t) => [...t])).toEqual(theirs.map((t) => [...t]));
    // And our encoder rounds to nearest even, as numpy's float16 does.
    expect([float16Bits(1), float16Bits(-2.5), float16Bits(65504), float16Bits(1 + 2 ** -11), float16Bits(1e-8)]).toEqual([0x3c00, 0xc100, 0x7bff, 0x3c00, 0]);
    layers.dispose();
  });

  it("reads weights named by position, as Keras 3's own format names them, and drops seed-generator state", async () => {
    const source = buildCnnBn();
    const files = await converterFiles(source, { keras: 3 });
    const json = JSON.parse(files.modelJson as string) as { weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[] };
    // "<model>/<layer>/<weight>" becomes "layers/<layer>/vars/<i>" in the first group and "<layer>/<i>" in the others.
    json.weightsManifest.forEach((group, g) => group.weights.forEach((w, i) => {
      const layer = w.name.split("/").at(-2)!;
      w.name = g === 0 ? `layers/${layer}/vars/${i}` : `${layer}/${i}`;
    }));
    // A dropout layer's random-seed state, as Keras 3 keeps it, in a group of its own.
    json.weightsManifest.push({ paths: ["seed.bin"], weights: [{ name: "dropout/seed_generator/state", shape: [2], dtype: "int32" }] });
    const shards = new Map(files.shards as Map<string, Uint8Array>);
    shards.set("seed.bin", new Uint8Array(8));
    const model = await loadModel({ modelJson: JSON.stringify(json), shards });
    const x = randomInputs(model.inputShape, 4);
    const ours = await predict(model, x).data();
    const theirs = await (source.predict(x) as tf.Tensor).data();
    expect(Math.max(...ours.map((v, i) => Math.abs(v - theirs[i]!)))).toBeLessThan(2e-6);
    source.dispose();
  });

  it("refuses what it cannot evaluate with the reason", async () => {
    const files = await converterFiles(mlp(), { keras: 3 });
    const json = JSON.parse(files.modelJson as string) as { weightsManifest: { weights: { name: string }[] }[] };
    json.weightsManifest[0]!.weights[0]!.name = "sequential_9/elsewhere/kernel";
    const error = await loadModel({ modelJson: JSON.stringify(json), shards: files.shards }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineInputError);
    expect((error as Error).message).toMatch(/weight "sequential_9\/elsewhere\/kernel" in model.json matches no weight of the model's layers/);
    const graph = await loadModel({ modelJson: JSON.stringify({ format: "graph-model", modelTopology: { node: [] }, weightsManifest: [] }), shards: {} }).catch((e: unknown) => e);
    expect((graph as Error).message).toMatch(/graph model; only Layers models/);
  });
});

describe("converter layouts and their TF.js-saved twins", () => {
  const twins: { name: string; build: () => tfl.LayersModel; shape: number[] }[] = [
    { name: "MLP", build: () => buildMlp([5, 8, 3], 3), shape: [5] },
    { name: "CNN with BatchNorm", build: () => buildCnnBn(2), shape: [8, 8, 2] },
    { name: "residual functional model", build: () => buildResidualCnn(2), shape: [8, 8, 2] },
  ];
  for (const twin of twins) {
    it(`a ${twin.name} gives the same surface from TF.js's files and the converter's (Keras 2 and 3)`, async () => {
      const data = randomDataset(50, twin.shape, 3, 6);
      const options = { x: { min: -0.5, max: 0.5, count: 3 }, y: { min: -0.5, max: 0.5, count: 3 }, directions: { seed: 5, ignore: "none" as const }, batchSize: 20 };
      const source = twin.build();
      const saved = await computeSurface(await loadModel(await tfjsSavedFiles(source)), data, options);
      for (const keras of [2, 3] as const) {
        const converted = await computeSurface(await loadModel(await converterFiles(source, { keras })), data, options);
        expect([...converted.loss]).toEqual([...saved.loss]);
        expect([...converted.accuracy]).toEqual([...saved.accuracy]);
      }
      expect(new Set(saved.loss).size).toBeGreaterThan(4);
      source.dispose();
    });
  }
});
