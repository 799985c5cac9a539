import "reflect-metadata";
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type TestApi, startTestApi } from "../../testing/api.js";
import { mlpFiles, text, upload } from "../../testing/uploads.js";

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../engine/onnx/fixtures");
const MODEL = `query ($id: ID!) { model(id: $id) { parameterCount trainableCount bufferCount loss lossName } }`;

describe("a model's size and loss, as its framework reports them", () => {
  let api: TestApi;
  let owner: TestClient;
  let projectId: string;

  beforeAll(async () => {
    api = await startTestApi();
    owner = new TestClient(api.url);
    await owner.signUp("counter@example.org");
    projectId = (await owner.data(`mutation { createProject(input: { name: "counts" }) { project { id } } }`)).createProject.project.id;
  });
  afterAll(async () => api?.stop());

  it("a PyTorch CNN: trainable parameters and BatchNorm's running statistics apart, its loss as cross-entropy", async () => {
    // CnnBn of scripts/make-onnx-fixtures.py: conv1 3*4*9+4, bn1 4+4 (and 4+4 running), conv2
    // 4*6*9+6, bn2 6+6 (and 6+6 running), fc 24*3+3: sum(p.numel() for p in model.parameters())
    // is 429, and its buffers hold 20 numbers.
    const bytes = new Uint8Array(await fs.readFile(path.join(FIXTURES, "cnn_bn.onnx")));
    const done = await upload(owner, { projectId, kind: "MODEL" }, [{ name: "model.onnx", bytes }]);
    const { model } = await owner.data(MODEL, { id: done.completed!.model!.id });
    expect(model).toEqual({ parameterCount: 449, trainableCount: 429, bufferCount: 20, loss: "sparse_categorical_crossentropy", lossName: "cross-entropy" });
  });

  it("a TF.js Layers model keeps Keras's name for its loss", async () => {
    const files = await mlpFiles();
    const done = await upload(owner, { projectId, kind: "MODEL" }, [
      { name: "model.json", bytes: text(files.modelJson) },
      { name: "group1-shard1of1.bin", bytes: files.shards.get("group1-shard1of1.bin")! },
    ]);
    const { model } = await owner.data(MODEL, { id: done.completed!.model!.id });
    expect(model.trainableCount).toBe(model.parameterCount);
    expect(model.bufferCount).toBe(0);
    expect(model.lossName).toBe(model.loss);
  });
});
