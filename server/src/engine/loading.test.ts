import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as tfl from "@tensorflow/tfjs-layers";
import { beforeAll, describe, expect, it } from "vitest";
import { loadDataset, prepareData } from "./data.js";
import { EngineInputError } from "./errors.js";
import { parseLoss } from "./loss.js";
import { loadModel, modelFromArtifacts } from "./network.js";
import { encodeNpy, parseNpy } from "./npy.js";
import { artifactsOf, buildMlp, buildResidualCnn, modelFiles, writeModelFolder } from "./testing/builders.js";
import { modelZip } from "./testing/zip.js";
import { useBackend } from "./testing/setup.js";

let tmp: string;
beforeAll(async () => {
  await useBackend("wasm");
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), "la-load-"));
});

async function rejection(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(EngineInputError);
  const message = (error as Error).message;
  expect(message).not.toContain("\n");
  return message;
}

describe("model loading", () => {
  it("reads a folder, a model.json path, a zip and in-memory files alike", async () => {
    const artifacts = await artifactsOf(buildResidualCnn(), "categorical_crossentropy");
    const folder = await writeModelFolder(path.join(tmp, "res"), artifacts);
    const zip = await modelZip(artifacts);
    await fs.writeFile(path.join(tmp, "res.zip"), zip);
    const models = [
      await loadModel(folder),
      await loadModel(path.join(folder, "model.json")),
      await loadModel(path.join(tmp, "res.zip")),
      await loadModel(zip),
      await loadModel(modelFiles(artifacts)),
    ];
    for (const m of models) {
      expect(m.theta).toEqual(models[0]!.theta);
      expect(m.trainingLoss).toEqual({ name: "categorical_crossentropy", fromLogits: false });
      expect(m.inputShape).toEqual([8, 8, 2]);
    }
    expect(models[0]!.params.filter((p) => !p.trainable).map((p) => p.key)).toEqual(["moving_mean", "moving_variance"]);
  });

  it("honours Keras loss objects with from_logits, and Keras spellings", async () => {
    const artifacts = await artifactsOf(buildMlp([4, 3], 1, "linear"), { class_name: "SparseCategoricalCrossentropy", config: { from_logits: true } });
    expect((await modelFromArtifacts(artifacts)).trainingLoss).toEqual({ name: "sparse_categorical_crossentropy", fromLogits: true });
    expect(parseLoss("meanSquaredError").name).toBe("mse");
    expect(parseLoss("binary_crossentropy").name).toBe("binary_crossentropy");
    expect(() => parseLoss("hinge")).toThrow(/unknown loss "hinge"/);
  });

  it("refuses malformed model.json, missing or mis-sized shards, and unsupported layers", async () => {
    const artifacts = await artifactsOf(buildMlp([4, 3]), "mse");
    const { modelJson, shards } = modelFiles(artifacts);
    expect(await rejection(loadModel({ modelJson: "{ not json", shards }))).toMatch(/model.json is not valid JSON/);
    expect(await rejection(loadModel({ modelJson: JSON.stringify({ weightsManifest: [] }), shards }))).toMatch(/no modelTopology/);
    expect(await rejection(loadModel({ modelJson, shards: {} }))).toMatch(/weight shard "group1-shard1of1.bin" named in model.json was not found/);
    const short = new Map([["group1-shard1of1.bin", new Uint8Array(8)]]);
    expect(await rejection(loadModel({ modelJson, shards: short }))).toMatch(/hold 8 bytes but model.json's manifest describes 60 bytes/);
    expect(await rejection(loadModel(path.join(tmp, "nothing-here")))).toMatch(/does not exist/);
    const lstm = tfl.sequential({ layers: [tfl.layers.lstm({ units: 2, inputShape: [3, 2] })] });
    expect(await rejection(modelFromArtifacts(await artifactsOf(lstm)))).toMatch(/class LSTM is not supported/);
  });
});

describe("data loading", () => {
  it("reads NPY pairs of float32, float64 and uint8, from a folder, a comma pair or bytes", async () => {
    const x = Float32Array.from({ length: 12 }, (_, i) => i / 2);
    const folder = path.join(tmp, "npy");
    await fs.mkdir(folder, { recursive: true });
    await fs.writeFile(path.join(folder, "x.npy"), encodeNpy(x, [3, 4]));
    await fs.writeFile(path.join(folder, "y.npy"), encodeNpy(Int32Array.from([0, 2, 1]), [3]));
    const a = await loadDataset(folder);
    expect([...a.x]).toEqual([...x]);
    expect([...a.y]).toEqual([0, 2, 1]);
    expect(a.sampleShape).toEqual([4]);
    const b = await loadDataset(`${path.join(folder, "x.npy")},${path.join(folder, "y.npy")}`);
    expect(b.x).toEqual(a.x);
    const c = await loadDataset({ xNpy: encodeNpy(Float64Array.from(x), [3, 2, 2]), yNpy: encodeNpy(Uint8Array.from([1, 1, 0]), [3]) });
    expect(c.sampleShape).toEqual([2, 2]);
    expect([...c.y]).toEqual([1, 1, 0]);
    expect(parseNpy(encodeNpy(Uint8Array.from([255, 7]), [2]), "u8").data).toEqual(Float64Array.from([255, 7]));
  });

  it("reads CSV with a header, string labels and a chosen label column", async () => {
    const csv = "a,b,species\n1,2,cat\n3,4,dog\n5,6,cat\n";
    const data = await loadDataset({ csv });
    expect([...data.x]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...data.y]).toEqual([0, 1, 0]);
    expect(data.classNames).toEqual(["cat", "dog"]);
    const byName = await loadDataset({ csv: "t,a\n0.5,1\n1.5,2\n" }, { label: "t" });
    expect([...byName.y]).toEqual([0.5, 1.5]);
    expect(await rejection(loadDataset({ csv }, { label: "nope" }))).toMatch(/no column "nope"/);
    expect(await rejection(loadDataset({ csv: "a,b\nx,1\n" }))).toMatch(/"x" is not a number/);
  });

  it("reads CSV quoted fields holding a line break, a comma and a doubled quote", async () => {
    const csv = 'a,b,species\r\n1,2,"tabby\ncat, ""striped"""\n\n  \n3,4,dog\n5,6,"tabby\ncat, ""striped"""\n';
    const data = await loadDataset({ csv });
    expect(data.count).toBe(3);
    expect([...data.x]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(data.classNames).toEqual(["dog", 'tabby\ncat, "striped"']);
    expect([...data.y]).toEqual([1, 0, 1]);
    expect(await rejection(loadDataset({ csv: 'a,"b\nc",label\n1,"x\ny",0\n' }))).toMatch(/row 2, column "b\\nc": "x\\ny" is not a number/);
    expect(await rejection(loadDataset({ csv: 'a,label\n1,"open\n' }))).toMatch(/data\.csv is not valid CSV: .*[Qq]uote/);
    expect(await rejection(loadDataset({ csv: 'a,b,label\n1,2,"x\ny"\n4\n' }))).toMatch(/row 3 has 1 fields; the header has 3/);
  });

  it("ships iris and mnist, and cuts a seeded subset", async () => {
    const iris = await loadDataset("builtin:iris");
    expect([iris.count, iris.sampleShape[0], new Set(iris.y).size]).toEqual([150, 4, 3]);
    const a = await loadDataset("builtin:iris", { samples: 20, sampleSeed: 3 });
    const b = await loadDataset("builtin:iris", { samples: 20, sampleSeed: 3 });
    const c = await loadDataset("builtin:iris", { samples: 20, sampleSeed: 4 });
    expect(a.x).toEqual(b.x);
    expect(a.x).not.toEqual(c.x);
    expect(a.count).toBe(20);
    expect(await rejection(loadDataset("builtin:iris", { samples: 151 }))).toMatch(/more than the 150 samples/);
    expect(await rejection(loadDataset("builtin:cifar"))).toMatch(/unknown built-in dataset/);
    const mnist = await loadDataset("builtin:mnist", { samples: 100 });
    expect(mnist.sampleShape).toEqual([28, 28, 1]);
    expect(Math.max(...mnist.x)).toBeLessThanOrEqual(1);
  });

  it("refuses NaN/Inf, samples that do not fit the model, and labels out of range", async () => {
    const model = await modelFromArtifacts(await artifactsOf(buildMlp([4, 3]), "sparse_categorical_crossentropy"));
    const loss = model.trainingLoss!;
    const nan = { xNpy: encodeNpy(Float32Array.from([1, Number.NaN, 0, 0]), [1, 4]), yNpy: encodeNpy(Int32Array.from([0]), [1]) };
    expect(await rejection(loadDataset(nan))).toMatch(/NaN or Inf \(first at sample 0\)/);
    const wide = await loadDataset({ csv: "a,b,c,label\n1,2,3,0\n" });
    expect(() => prepareData(model, wide, loss)).toThrow(/\[3\] \(3 values\) but the model's input is \[4\]/);
    const far = await loadDataset({ csv: "a,b,c,d,label\n1,2,3,4,7\n" });
    expect(() => prepareData(model, far, loss)).toThrow(/label 7 \(sample 0\) is out of range for a model with 3 classes/);
    const iris = await loadDataset("builtin:iris");
    expect(prepareData(model, iris, loss).classes!.length).toBe(150);
    expect(await rejection(loadDataset({ xNpy: encodeNpy(Float32Array.from([1, 2]), [2, 1]), yNpy: encodeNpy(Int32Array.from([0]), [1]) }))).toMatch(/x.npy has 2 samples but y.npy has 1/);
  });
});
