/**
 * One surface, one arithmetic: the same plane computed twice through the queue by two worker
 * processes (tiles split between them as they come), and once by the command line, is the same
 * to the last bit on the wasm backend. Needs the build output (`npx tsc -p server/tsconfig.json`).
 */
import "reflect-metadata";
import { type ChildProcess, execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type TestApi, forkTestWorker, startTestApi } from "../testing/api.js";
import { mlpFiles, modelUploadFiles, npyPair, upload } from "../testing/uploads.js";
import { SETTLED, until, untilStatus } from "../testing/wait.js";

const MAIN = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
// 775 points in 49 tiles of 16, a few seconds in all: long enough that the second worker, which
// looks at an empty queue every half second, takes tiles while the first one is still at work.
const GRID = { x: { min: -1, max: 1, count: 31 }, y: { min: -1, max: 1, count: 25 }, seed: 3 };

describe("surface determinism", () => {
  let api: TestApi;
  let client: TestClient;
  const workers: ChildProcess[] = [];
  let tmp: string;
  let projectId: string;
  let modelId: string;
  let datasetId: string;
  // 70 inputs: the first Dense layer uses the first-layer trick, the next ones do not.
  const files = mlpFiles([70, 64, 64, 3], 4);
  const pair = npyPair(3000, 70, 3);

  beforeAll(async () => {
    api = await startTestApi();
    for (let w = 0; w < 2; w++) {
      workers.push(forkTestWorker(api));
    }
    client = new TestClient(api.url);
    await client.signUp("exact@example.org");
    projectId = (await client.data(`mutation { createProject(input: { name: "exact" }) { project { id } } }`)).createProject.project.id;
    const model = await upload(client, { projectId, kind: "MODEL", name: "mlp" }, modelUploadFiles(await files));
    modelId = model.completed!.model!.id;
    const dataset = await upload(client, { projectId, kind: "DATASET", name: "points" }, [
      { name: "x.npy", bytes: pair.x },
      { name: "y.npy", bytes: pair.y },
    ]);
    datasetId = dataset.completed!.dataset!.id;
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), "la-exact-"));
    // Both workers are up and looking at the queue before the first plane is queued.
    await until(
      "two workers registered",
      async () => (await api.platform.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM workers WHERE stopped_at IS NULL`)).rows[0]!.n,
      (n) => n === 2,
      { timeoutMs: 90_000 },
    );
  });

  afterAll(async () => {
    for (const worker of workers) worker.kill();
    await api?.stop();
  });

  /** Queues the plane and waits for it; returns its loss and accuracy grids and the workers that computed it. */
  const computeByQueue = async (name: string) => {
    const created = (
      await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { message } surface { id } } }`, {
        input: { projectId, modelId, datasetId, kind: "PLANE", name, params: GRID },
      })
    ).createSurface;
    expect(created.ok).toBe(true);
    const id = created.surface.id as string;
    const surface = await untilStatus(
      `surface ${name}`,
      async () => (await client.data(`query ($id: ID!) { surface(id: $id) { status errorMessage values(metric: LOSS) accuracy: values(metric: ACCURACY) movedTensors notes params { frozen } } }`, { id })).surface,
      SETTLED,
      { timeoutMs: 240_000 },
    );
    if (surface.status !== "READY") throw new Error(`surface ${name} ended ${surface.status}: ${surface.errorMessage}`);
    const tiles = await api.platform.pool.query<{ workers: number }>(`SELECT count(DISTINCT worker_id)::int AS workers FROM surface_tiles WHERE surface_id = $1`, [id]);
    const trick = await api.platform.pool.query<{ trick: string[] }>(`SELECT geometry->'firstLayerTrick' AS trick FROM surfaces WHERE id = $1`, [id]);
    return { loss: (surface.values as number[][]).flat(), accuracy: (surface.accuracy as number[][]).flat(), workers: tiles.rows[0]!.workers, trick: trick.rows[0]!.trick, moved: surface.movedTensors as string[], notes: surface.notes as string[], frozen: surface.params.frozen as string };
  };

  it("gives the same bits through the queue with two workers, twice, and by the command line", async () => {
    const first = await computeByQueue("first");
    const second = await computeByQueue("second");
    expect(first.trick).toEqual(["dense_Dense1"]);
    // Biases are ignored (biasbn): the plane moves the three kernels, and says so.
    expect(first.moved).toEqual(["dense_Dense1/kernel", "dense_Dense2/kernel", "dense_Dense3/kernel"]);
    expect(first.notes).toEqual([]);
    expect(first.frozen).toBe("MOVE");
    // Both worker processes took tiles of at least one of the two runs.
    expect(Math.max(first.workers, second.workers)).toBe(2);

    const { modelJson, shards } = await files;
    const modelDir = path.join(tmp, "model");
    await fs.mkdir(modelDir, { recursive: true });
    await fs.writeFile(path.join(modelDir, "model.json"), modelJson);
    for (const [file, bytes] of shards) await fs.writeFile(path.join(modelDir, file), bytes);
    const dataDir = path.join(tmp, "data");
    await fs.mkdir(dataDir, { recursive: true });
    await fs.writeFile(path.join(dataDir, "x.npy"), pair.x);
    await fs.writeFile(path.join(dataDir, "y.npy"), pair.y);
    const out = path.join(tmp, "surface.json");
    await promisify(execFile)(process.execPath, [MAIN, "surface", "--model", modelDir, "--data", dataDir, "--x", "-1:1:31", "--y", "-1:1:25", "--seed", "3", "--backend", "wasm", "--out", out], {
      env: { ...process.env, LOG_LEVEL: "silent" },
    });
    const cli = JSON.parse(await fs.readFile(out, "utf8")) as { loss: number[][]; accuracy: number[][]; firstLayerTrick: string[] };
    expect(cli.firstLayerTrick).toEqual(first.trick);
    // The service stores float32 values; the command line writes float64 ones: round and compare bits.
    const cliLoss = cli.loss.flat().map(Math.fround);
    const cliAccuracy = cli.accuracy.flat().map(Math.fround);
    expect(first.loss.length).toBe(31 * 25);
    expect(second.loss).toEqual(first.loss);
    expect(second.accuracy).toEqual(first.accuracy);
    expect(cliLoss).toEqual(first.loss);
    expect(cliAccuracy).toEqual(first.accuracy);
  });
});
