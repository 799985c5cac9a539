/**
 * What a user stores counts against their quota, and deleting a surface, training run, model,
 * dataset or project leaves nothing of it in the object store (including what went with it
 * through the database's cascades).
 */
import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type TestApi, startTestApi, startTestWorker } from "../../testing/api.js";
import { mlpFiles, npyPair, text, upload } from "../../testing/uploads.js";
import { untilStatus } from "../../testing/wait.js";

describe("stored objects, quota and deletes", () => {
  let api: TestApi;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let client: TestClient;
  let projectId: string;

  const usage = async () => (await client.data(`{ storageUsage { usedBytes quotaBytes } }`)).storageUsage as { usedBytes: number; quotaBytes: number };
  const keys = (prefix = `projects/${projectId}/`) => api.platform.store.list(prefix, 10_000);
  const surfaceOf = async (modelId: string, datasetId: string) => {
    const created = (
      await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { code message } surface { id } } }`, {
        input: { projectId, kind: "PLANE", modelId, datasetId, params: { x: { min: -1, max: 1, count: 5 }, y: { min: -1, max: 1, count: 5 }, seed: 1 } },
      })
    ).createSurface;
    expect(created.ok, JSON.stringify(created.error)).toBe(true);
    await untilStatus("a surface", async () => (await client.data(`query ($id: ID!) { surface(id: $id) { status } }`, { id: created.surface.id })).surface);
    return created.surface.id as string;
  };

  beforeAll(async () => {
    api = await startTestApi({ UPLOAD_QUOTA_BYTES: String(4 * 1024 * 1024) });
    worker = await startTestWorker(api);
    client = new TestClient(api.url);
    await client.signUp("keeper@example.org");
    projectId = (await client.data(`mutation { createProject(input: { name: "kept" }) { project { id } } }`)).createProject.project.id;
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
  });

  it("counts surfaces' files against the quota and deletes every object with what owns it", async () => {
    const files = await mlpFiles([4, 8, 3]);
    const model = await upload(client, { projectId, kind: "MODEL", name: "m" }, [
      { name: "model.json", bytes: text(files.modelJson) },
      { name: "group1-shard1of1.bin", bytes: files.shards.get("group1-shard1of1.bin")! },
    ]);
    const pair = npyPair(30, 4, 3);
    const dataset = await upload(client, { projectId, kind: "DATASET", name: "d" }, [
      { name: "x.npy", bytes: pair.x },
      { name: "y.npy", bytes: pair.y },
    ]);
    const modelId = model.completed!.model!.id as string;
    const datasetId = dataset.completed!.dataset!.id as string;
    const uploaded = (await usage()).usedBytes;
    expect(uploaded).toBeGreaterThan(0);

    // A surface's values, thumbnail and directions count against its creator's quota.
    const first = await surfaceOf(modelId, datasetId);
    const withSurface = (await usage()).usedBytes;
    const surfaceBytes = withSurface - uploaded;
    const surfaceKeys = await keys(`projects/${projectId}/surfaces/${first}/`);
    expect(surfaceKeys.length).toBeGreaterThanOrEqual(3);
    expect(surfaceBytes).toBe(await api.platform.store.bytesUnder(`projects/${projectId}/surfaces/${first}/`));

    // Deleting the surface deletes its objects and gives the bytes back.
    await client.data(`mutation ($id: ID!) { deleteSurface(id: $id) { ok } }`, { id: first });
    expect(await keys(`projects/${projectId}/surfaces/${first}/`)).toEqual([]);
    expect((await usage()).usedBytes).toBe(uploaded);

    // A training run's checkpoints go with the run.
    const iris = (await client.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { dataset { id } } }`, { p: projectId })).addBuiltinDataset.dataset.id;
    const run = (
      await client.data(`mutation ($input: StartTrainingInput!) { startTraining(input: $input) { ok error { message } run { id } } }`, {
        input: { projectId, datasetId: iris, architecture: { kind: "MLP", depth: 1, width: 8 }, options: { optimizer: "ADAM", learningRate: 0.05, batchSize: 50, epochs: 2, seed: 1 } },
      })
    ).startTraining;
    expect(run.ok, JSON.stringify(run.error)).toBe(true);
    const trained = await untilStatus(
      "a training run",
      async () => (await client.data(`query ($id: ID!) { trainingRun(id: $id) { status modelId } }`, { id: run.run.id })).trainingRun as { status: string; modelId: string },
    );
    expect(trained.status).toBe("READY");
    expect((await keys(`projects/${projectId}/training/${run.run.id}/`)).length).toBeGreaterThan(0);
    const deleted = (await client.data(`mutation ($id: ID!) { deleteTrainingRun(id: $id) { ok error { message } } }`, { id: run.run.id })).deleteTrainingRun;
    expect(deleted.ok, JSON.stringify(deleted.error)).toBe(true);
    expect(await keys(`projects/${projectId}/training/`)).toEqual([]);
    expect((await client.data(`query ($id: ID!) { model(id: $id) { checkpoints(first: 10) { nodes { step } } } }`, { id: trained.modelId })).model.checkpoints.nodes).toEqual([]);

    // Deleting a dataset deletes the surfaces computed on it, files included; same for a model.
    const onDataset = await surfaceOf(modelId, datasetId);
    await client.data(`mutation ($id: ID!) { deleteDataset(id: $id) { ok } }`, { id: datasetId });
    expect(await keys(`projects/${projectId}/datasets/`)).toEqual([]);
    expect(await keys(`projects/${projectId}/surfaces/${onDataset}/`)).toEqual([]);
    const onModel = await surfaceOf(modelId, iris);
    await client.data(`mutation ($id: ID!) { deleteModel(id: $id) { ok } }`, { id: modelId });
    expect(await keys(`projects/${projectId}/models/${modelId}/`)).toEqual([]);
    expect(await keys(`projects/${projectId}/surfaces/${onModel}/`)).toEqual([]);

    // Deleting the project deletes whatever is left.
    expect((await keys()).length).toBeGreaterThan(0);
    await client.data(`mutation ($id: ID!) { deleteProject(id: $id) { ok } }`, { id: projectId });
    expect(await keys()).toEqual([]);
    expect((await usage()).usedBytes).toBe(0);
    expect(await api.platform.store.list("uploads/")).toEqual([]);

  });

  it("refuses new surfaces once the store is full", async () => {
    const other = new TestClient(api.url);
    await other.signUp("full@example.org");
    const p = (await other.data(`mutation { createProject(input: { name: "full" }) { project { id } } }`)).createProject.project.id;
    const files = await mlpFiles([4, 8, 3]);
    const model = await upload(other, { projectId: p, kind: "MODEL", name: "m" }, [
      { name: "model.json", bytes: text(files.modelJson) },
      { name: "group1-shard1of1.bin", bytes: files.shards.get("group1-shard1of1.bin")! },
    ]);
    const big = npyPair(60_000, 4, 3); // about 1.2 MB
    const datasets = [];
    for (let i = 0; i < 4; i++) {
      const result = await upload(other, { projectId: p, kind: "DATASET", name: `d${i}` }, [
        { name: "x.npy", bytes: big.x },
        { name: "y.npy", bytes: big.y },
      ]);
      datasets.push(result);
    }
    // The fourth dataset no longer fits; with the store full, a surface is refused too.
    expect(datasets.map((d) => d.outcome)).toEqual(["ok", "ok", "ok", "QUOTA_EXCEEDED"]);
    const used = (await other.data(`{ storageUsage { usedBytes quotaBytes } }`)).storageUsage;
    expect(used.usedBytes).toBeLessThanOrEqual(used.quotaBytes);
    // Fill what is left with an upload that is still pending: it counts until it expires.
    const rest = used.quotaBytes - used.usedBytes;
    const pending = (
      await other.data(`mutation ($input: RequestUploadInput!) { requestUpload(input: $input) { ok error { code } } }`, {
        input: { projectId: p, kind: "DATASET", name: "rest", files: [{ name: "data.csv", size: rest }] },
      })
    ).requestUpload;
    expect(pending.ok).toBe(true);
    const refused = (
      await other.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { code message } } }`, {
        input: { projectId: p, kind: "PLANE", modelId: model.completed!.model!.id, datasetId: datasets[0]!.completed!.dataset!.id, params: { x: { min: -1, max: 1, count: 3 }, y: { min: -1, max: 1, count: 3 } } },
      })
    ).createSurface;
    expect(refused.error.code).toBe("QUOTA_EXCEEDED");
  });
});
