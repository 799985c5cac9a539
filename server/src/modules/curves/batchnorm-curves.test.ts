/**
 * A curve between two uploaded TF.js models with BatchNorm, through the service: BatchNorm's
 * statistics are recomputed at every point of both paths, and the plane through A, B and the bend
 * is drawn with each of its points' statistics recomputed too.
 */
import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type TestApi, startTestApi, startTestWorker } from "../../testing/api.js";
import { bnMlpFiles, modelUploadFiles, upload } from "../../testing/uploads.js";
import { SETTLED, untilStatus } from "../../testing/wait.js";

describe("a curve between two models with BatchNorm", () => {
  let api: TestApi;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let client: TestClient;

  beforeAll(async () => {
    api = await startTestApi();
    worker = await startTestWorker(api);
    client = new TestClient(api.url);
    await client.signUp("batchnorm-curves@example.org");
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
  });

  it("recomputes the statistics along both paths and over the plane through A, B and the bend", { timeout: 240_000 }, async () => {
    const projectId = (await client.data(`mutation { createProject(input: { name: "batchnorm" }) { project { id } } }`)).createProject.project.id;
    const irisId = (await client.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { dataset { id } } }`, { p: projectId })).addBuiltinDataset.dataset.id;
    const model = async (seed: number) => (await upload(client, { projectId, kind: "MODEL", name: `BN MLP ${seed}` }, modelUploadFiles(await bnMlpFiles(seed)))).completed!.model!.id as string;
    const [a, b] = [await model(1), await model(2)];
    const started = (
      await client.data(`mutation ($input: ConnectModelsInput!) { connectModels(input: $input) { ok error { message } curve { id } } }`, {
        input: { projectId, datasetId: irisId, modelAId: a, modelBId: b, options: { epochs: 3, points: 5, ensemble: 3 } },
      })
    ).connectModels;
    expect(started.ok, started.error?.message).toBe(true);
    const curve = await untilStatus(
      "the curve",
      async () =>
        (await client.data(`query ($id: ID!) { curve(id: $id) { status errorMessage values { batchNormRecomputed curve { trainLoss } plane { xs ys loss offPlane models { name x y } } ensemble { members trainAccuracyA } } } }`, { id: started.curve.id })).curve,
      SETTLED,
      { timeoutMs: 200_000 },
    );
    expect(curve.status, curve.errorMessage).toBe("READY");
    const v = curve.values;
    expect(v.batchNormRecomputed).toBe(true);
    expect(v.ensemble.members).toBe(3);
    // The plane: 21 x 21 points, every one measured, A at (0, 0), B at (1, 0), the curve in it.
    const plane = v.plane;
    expect(plane.xs).toHaveLength(21);
    expect(plane.loss.flat().every((l: number) => Number.isFinite(l) && l > 0)).toBe(true);
    expect(plane.models.map((m: { name: string; x: number; y: number }) => `${m.name} ${m.x.toFixed(6)} ${m.y.toFixed(6)}`).slice(0, 2)).toEqual(["model A 0.000000 0.000000", "model B 1.000000 0.000000"]);
    expect(plane.offPlane).toBeLessThan(1e-3);
  });
});
