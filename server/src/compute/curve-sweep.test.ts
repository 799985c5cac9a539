/**
 * The sweeper, curves and model curvatures: one whose job was lost is queued again, and one whose
 * workers died as many times as allowed fails with a message saying so. Real API, PostgreSQL and queue, no
 * worker; jobs are "lost" by deleting them from the queue's table.
 */
import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type TestApi, startTestApi } from "../testing/api.js";
import { testLogger } from "../testing/platform.js";
import { mlpFiles, modelUploadFiles, upload } from "../testing/uploads.js";
import { sweepLostWork } from "./sweeper.js";

describe("sweeping curves and model curvatures", () => {
  let api: TestApi;
  let client: TestClient;
  let start: () => Promise<string>;
  let startCurvature: () => Promise<string>;

  beforeAll(async () => {
    api = await startTestApi({ COMPUTE_SWEEP_SECONDS: "3600", COMPUTE_ATTEMPTS: "3" });
    client = new TestClient(api.url);
    await client.signUp("curve-sweeper@example.org");
    const projectId = (await client.data(`mutation { createProject(input: { name: "sweeper" }) { project { id } } }`)).createProject.project.id;
    const model = async (seed: number) => (await upload(client, { projectId, kind: "MODEL", name: `mlp ${seed}` }, modelUploadFiles(await mlpFiles([4, 8, 3], seed)))).completed!.model!.id as string;
    const a = await model(1);
    const b = await model(2);
    const irisId = (await client.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { dataset { id } } }`, { p: projectId })).addBuiltinDataset.dataset.id;
    start = async () =>
      (
        await client.data(`mutation ($input: ConnectModelsInput!) { connectModels(input: $input) { ok error { message } curve { id } } }`, {
          input: { projectId, modelAId: a, modelBId: b, datasetId: irisId, options: { epochs: 1 } },
        })
      ).connectModels.curve.id as string;
    startCurvature = async () =>
      (
        await client.data(`mutation ($input: ComputeCurvatureInput!) { computeModelCurvature(input: $input) { ok error { message } curvature { id } } }`, {
          input: { modelId: a, datasetId: irisId, samples: 50 },
        })
      ).computeModelCurvature.curvature.id as string;
  });
  afterAll(async () => {
    await api?.stop();
  });

  const sweep = () => sweepLostWork({ pool: api.platform.pool, queue: api.api.services.queue, log: testLogger, attempts: 3, graceSeconds: 0 });
  const lose = (curveId: string) => api.platform.pool.query(`DELETE FROM queue_jobs WHERE data->>'curveId' = $1`, [curveId]);
  const live = async (curveId: string) =>
    (await api.platform.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM queue_jobs WHERE data->>'curveId' = $1 AND state IN ('created', 'retry', 'active')`, [curveId])).rows[0]!.n;

  it("queues again a curve without a live job, and fails one whose workers died as many times as allowed", async () => {
    const lost = await start();
    expect(await live(lost)).toBe(1);
    await lose(lost);
    expect(await sweep()).toMatchObject({ curvesQueued: 1, failed: 0 });
    expect(await live(lost)).toBe(1);

    const dying = await start();
    await api.platform.pool.query(`UPDATE curves SET status = 'running', attempts = 3 WHERE id = $1`, [dying]);
    await lose(dying);
    expect(await sweep()).toMatchObject({ curvesQueued: 0, failed: 1 });
    const curve = (await client.data(`query ($id: ID!) { curve(id: $id) { status errorCode errorMessage } }`, { id: dying })).curve;
    expect(curve).toEqual({ status: "FAILED", errorCode: "INTERNAL_SERVER_ERROR", errorMessage: "A worker died training this curve three times; the models may need more memory than a worker has" });
  });

  it("queues again a model curvature without a live job, and fails one whose workers died as many times as allowed", async () => {
    const lose = (id: string) => api.platform.pool.query(`DELETE FROM queue_jobs WHERE data->>'curvatureId' = $1`, [id]);
    const live = async (id: string) =>
      (await api.platform.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM queue_jobs WHERE data->>'curvatureId' = $1 AND state IN ('created', 'retry', 'active')`, [id])).rows[0]!.n;
    const lost = await startCurvature();
    expect(await live(lost)).toBe(1);
    // Nothing to do while its job lives.
    expect(await sweep()).toMatchObject({ curvaturesQueued: 0, failed: 0 });
    await lose(lost);
    expect(await sweep()).toMatchObject({ curvaturesQueued: 1, failed: 0 });
    expect(await live(lost)).toBe(1);

    const dying = await startCurvature();
    await api.platform.pool.query(`UPDATE model_curvatures SET status = 'running', attempts = 3 WHERE id = $1`, [dying]);
    await lose(dying);
    expect(await sweep()).toMatchObject({ curvaturesQueued: 0, failed: 1 });
    const row = (await api.platform.pool.query(`SELECT status, error_code, error_message FROM model_curvatures WHERE id = $1`, [dying])).rows[0];
    expect(row).toEqual({ status: "failed", error_code: "INTERNAL_SERVER_ERROR", error_message: "A worker died computing this curvature three times; the model may need more memory than a worker has" });
  });
});
