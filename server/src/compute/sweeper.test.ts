/**
 * The sweeper finds work whose job was lost (a preparation, tiles) and queues it again, and fails
 * a surface whose workers died on one tile as many times as allowed, saying so. Real API,
 * PostgreSQL and queue; jobs are "lost" by deleting them from the queue's table, as a queue that
 * lost them (retries spent, an expired job) leaves them; the sweeps are run by hand here.
 */
import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type TestApi, startTestApi, startTestWorker } from "../testing/api.js";
import { testLogger } from "../testing/platform.js";
import { mlpFiles, modelUploadFiles, npyPair, upload } from "../testing/uploads.js";
import { until } from "../testing/wait.js";
import type { ComputeDeps } from "./deps.js";
import { prepareSurface } from "./prepare.js";
import { sweepLostWork } from "./sweeper.js";

describe("sweeper", () => {
  let api: TestApi;
  let client: TestClient;
  let projectId: string;
  let modelId: string;
  let datasetId: string;
  let deps: ComputeDeps;

  beforeAll(async () => {
    // No sweep runs by itself during the test: each is run by hand.
    api = await startTestApi({ COMPUTE_SWEEP_SECONDS: "3600", COMPUTE_ATTEMPTS: "3" });
    client = new TestClient(api.url);
    await client.signUp("sweeper@example.org");
    projectId = (await client.data(`mutation { createProject(input: { name: "sweeper" }) { project { id } } }`)).createProject.project.id;
    modelId = (await upload(client, { projectId, kind: "MODEL", name: "mlp" }, modelUploadFiles(await mlpFiles([4, 8, 3], 1)))).completed!.model!.id;
    const pair = npyPair(50, 4, 3);
    datasetId = (
      await upload(client, { projectId, kind: "DATASET", name: "points" }, [
        { name: "x.npy", bytes: pair.x },
        { name: "y.npy", bytes: pair.y },
      ])
    ).completed!.dataset!.id;
    const { services } = api.api;
    deps = { pool: api.platform.pool, store: services.store, queue: services.queue, log: testLogger, workerId: randomUUID(), backend: "cpu", attempts: 3 };
  });

  afterAll(async () => {
    await api?.stop();
  });

  const sweep = () => sweepLostWork({ pool: api.platform.pool, queue: api.api.services.queue, log: testLogger, attempts: 3, graceSeconds: 0 });

  const create = async (name: string): Promise<string> =>
    (
      await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { surface { id } } }`, {
        input: { projectId, modelId, datasetId, kind: "PLANE", name, params: { x: { min: -1, max: 1, count: 9 }, y: { min: -1, max: 1, count: 9 } } },
      })
    ).createSurface.surface.id as string;

  const liveJobs = async (surfaceId: string) =>
    (
      await api.platform.pool.query<{ name: string; tile: number | null }>(
        `SELECT name, (data->>'tile')::int AS tile FROM queue_jobs WHERE data->>'surfaceId' = $1 AND state IN ('created', 'retry', 'active') ORDER BY name, tile`,
        [surfaceId],
      )
    ).rows;

  const loseJobs = (surfaceId: string, where = "true") => api.platform.pool.query(`DELETE FROM queue_jobs WHERE data->>'surfaceId' = $1 AND ${where}`, [surfaceId]);

  it("queues again a lost preparation and lost tiles, and the surface then completes", async () => {
    const id = await create("lost");
    await loseJobs(id);
    expect(await liveJobs(id)).toEqual([]);
    const first = await sweep();
    expect(first).toMatchObject({ preparesQueued: 1, tilesQueued: 0, failed: 0 });
    expect(await liveJobs(id)).toEqual([{ name: "surface-prepare", tile: null }]);

    // Prepared by hand (no worker runs yet): tiles recorded and queued in one go.
    await prepareSurface(deps, id);
    const tiles = (await api.platform.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM surface_tiles WHERE surface_id = $1`, [id])).rows[0]!.n;
    expect(tiles).toBeGreaterThan(1);
    expect((await liveJobs(id)).filter((j) => j.name === "surface-tile")).toHaveLength(tiles);
    // A second preparation changes nothing and queues nothing more.
    await prepareSurface(deps, id);
    expect((await liveJobs(id)).filter((j) => j.name === "surface-tile")).toHaveLength(tiles);

    // Two tiles lose their jobs: the sweep queues exactly those two again.
    await loseJobs(id, `name = 'surface-tile' AND (data->>'tile')::int IN (0, 1)`);
    const second = await sweep();
    expect(second).toMatchObject({ preparesQueued: 0, tilesQueued: 2, failed: 0 });
    expect((await liveJobs(id)).filter((j) => j.name === "surface-tile")).toHaveLength(tiles);
    // Nothing more to do on the next sweep.
    expect(await sweep()).toMatchObject({ preparesQueued: 0, tilesQueued: 0, finalizesQueued: 0, failed: 0 });

    const worker = await startTestWorker(api);
    try {
      const row = await until(
        "the swept surface to be computed",
        async () => (await api.platform.pool.query<{ status: string; points_done: number; points_total: number }>(`SELECT status, points_done, points_total FROM surfaces WHERE id = $1`, [id])).rows[0]!,
        (r) => r.status === "ready",
        { intervalMs: 100 },
      );
      expect(row.points_done).toBe(row.points_total);
    } finally {
      await worker.stop();
    }
  });

  it("fails a surface whose workers died on a tile as many times as allowed, with a message saying so", async () => {
    const id = await create("dies");
    await prepareSurface(deps, id);
    // Tile 1's job ran out of retries: three starts, none finished, none reported an error.
    await api.platform.pool.query(`UPDATE surface_tiles SET attempts = 3 WHERE surface_id = $1 AND tile = 1`, [id]);
    await loseJobs(id, `name = 'surface-tile' AND (data->>'tile')::int = 1`);
    expect(await sweep()).toMatchObject({ tilesQueued: 0, failed: 1 });
    const surface = (await client.data(`query ($id: ID!) { surface(id: $id) { status errorMessage queue { position } } }`, { id })).surface;
    expect(surface.status).toBe("FAILED");
    expect(surface.errorMessage).toBe("A worker died computing tile 1 three times; the model may need more memory than a worker has");
    expect(surface.queue).toBeNull();
  });

  it("queues again a training run without a live job, and fails one whose workers died as many times as allowed", async () => {
    const irisId = (await client.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { dataset { id } } }`, { p: projectId })).addBuiltinDataset.dataset.id;
    const start = async () =>
      (
        await client.data(`mutation ($input: StartTrainingInput!) { startTraining(input: $input) { ok run { id } } }`, {
          input: { projectId, datasetId: irisId, architecture: { kind: "MLP", depth: 1, width: 8 }, options: { optimizer: "SGD", learningRate: 0.1, batchSize: 16, epochs: 1, seed: 1 } },
        })
      ).startTraining.run.id as string;
    const lose = (runId: string) => api.platform.pool.query(`DELETE FROM queue_jobs WHERE data->>'runId' = $1`, [runId]);
    const live = async (runId: string) =>
      (await api.platform.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM queue_jobs WHERE data->>'runId' = $1 AND state IN ('created', 'retry', 'active')`, [runId])).rows[0]!.n;

    const lost = await start();
    await lose(lost);
    expect(await sweep()).toMatchObject({ runsQueued: 1, failed: 0 });
    expect(await live(lost)).toBe(1);

    const dying = await start();
    await api.platform.pool.query(`UPDATE training_runs SET status = 'running', attempts = 3 WHERE id = $1`, [dying]);
    await lose(dying);
    expect(await sweep()).toMatchObject({ runsQueued: 0, failed: 1 });
    const run = (await client.data(`query ($id: ID!) { trainingRun(id: $id) { status errorMessage } }`, { id: dying })).trainingRun;
    expect(run).toEqual({ status: "FAILED", errorMessage: "A worker died training this model three times; the model may need more memory than a worker has" });
    await api.platform.pool.query(`UPDATE training_runs SET status = 'cancelled' WHERE id = $1`, [lost]);
  });

  it("queues finalize for a surface whose tiles are all done, and fails one whose finalize kept killing its worker", async () => {
    const id = await create("assembled");
    await prepareSurface(deps, id);
    // Every tile recorded (as workers would), but the finalize job was lost.
    await api.platform.pool.query(
      `UPDATE surface_tiles SET finished_at = now(), loss = decode(repeat('00000000', cardinality(indices)), 'hex'), accuracy = decode(repeat('00000000', cardinality(indices)), 'hex') WHERE surface_id = $1`,
      [id],
    );
    await api.platform.pool.query(`UPDATE surfaces SET points_done = points_total WHERE id = $1`, [id]);
    await loseJobs(id);
    expect(await sweep()).toMatchObject({ finalizesQueued: 1, failed: 0 });
    expect(await liveJobs(id)).toEqual([{ name: "surface-finalize", tile: null }]);
    // That job spends its retries on dying workers.
    await api.platform.pool.query(`UPDATE queue_jobs SET state = 'failed', retry_count = 5 WHERE name = 'surface-finalize' AND data->>'surfaceId' = $1`, [id]);
    expect(await sweep()).toMatchObject({ finalizesQueued: 0, failed: 1 });
    const surface = (await client.data(`query ($id: ID!) { surface(id: $id) { status errorMessage } }`, { id })).surface;
    expect(surface).toEqual({ status: "FAILED", errorMessage: "A worker died assembling this surface's values 6 times; the surface may need more memory than a worker has" });
  });

  it("leaves alone a tile whose starts reported errors (the queue's retries handle those)", async () => {
    const id = await create("errors");
    await prepareSurface(deps, id);
    await api.platform.pool.query(`UPDATE surface_tiles SET attempts = 3, failures = 3 WHERE surface_id = $1 AND tile = 0`, [id]);
    await loseJobs(id, `name = 'surface-tile' AND (data->>'tile')::int = 0`);
    expect(await sweep()).toMatchObject({ tilesQueued: 1, failed: 0 });
    expect((await api.platform.pool.query<{ status: string }>(`SELECT status FROM surfaces WHERE id = $1`, [id])).rows[0]!.status).toBe("running");
    await api.platform.pool.query(`UPDATE surfaces SET status = 'cancelled' WHERE id = $1`, [id]);
  });

  it("takes the step of an experiment whose runs all ended while no worker took it, once", async () => {
    const experiment = async (statuses: string[]) => {
      const id = (
        await api.platform.pool.query<{ id: string }>(
          `INSERT INTO experiments (project_id, kind, name, caption, dataset_id, surface_params) VALUES ($1, 'skip', 'stalled', 'c', $2, $3) RETURNING id`,
          [projectId, datasetId, JSON.stringify({ grid: 5, span: 1, samples: 50, surface: "plane" })],
        )
      ).rows[0]!.id;
      for (const [i, status] of statuses.entries()) {
        await api.platform.pool.query(
          `INSERT INTO training_runs (project_id, name, dataset_id, architecture, options, status, storage_prefix, experiment_id, role, model_id, finished_at)
           VALUES ($1, $2, $3, '{}', '{}', $4, 'runs/x/', $5, $2, $6, now() - interval '1 minute')`,
          [projectId, `run ${i}`, datasetId, status, id, status === "ready" ? modelId : null],
        );
      }
      return id;
    };
    const trained = await experiment(["ready", "ready"]);
    const broken = await experiment(["ready", "failed"]);
    expect(await sweep()).toMatchObject({ experimentsAdvanced: 2 });
    const rows = (await api.platform.pool.query<{ id: string; n: number; failed: boolean }>(`SELECT id, cardinality(surface_ids) AS n, failed FROM experiments WHERE id = ANY($1)`, [[trained, broken]])).rows;
    expect(rows.find((r) => r.id === trained)).toMatchObject({ n: 2, failed: false });
    expect(rows.find((r) => r.id === broken)).toMatchObject({ n: 0, failed: true });
    // Done once: the next sweep finds nothing left of them.
    expect(await sweep()).toMatchObject({ experimentsAdvanced: 0 });
    await api.platform.pool.query(`UPDATE surfaces SET status = 'cancelled' WHERE id IN (SELECT unnest(surface_ids) FROM experiments WHERE id = $1)`, [trained]);
  });
});
