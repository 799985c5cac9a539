/**
 * The API end to end against the real `lossatlas start` stack: real PostgreSQL, object store and
 * worker processes. A script signs up, uploads through presigned URLs with plain fetch, creates a
 * surface, follows it over graphql-ws to completion, and reads values that match the engine run
 * directly. Then a worker is killed with SIGKILL in the middle of a surface, which still
 * completes with one result.
 */
import { rm } from "node:fs/promises";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeSurface, loadDataset, loadModel } from "../server/src/engine/index.js";
import { TestClient } from "../server/src/testing/api.js";
import { mlpFiles, npyPair, text, upload } from "../server/src/testing/uploads.js";
import { SETTLED, until, untilStatus } from "../server/src/testing/wait.js";
import { type RunningStack, alive, startStack, tempDataDir } from "./support/stack.js";

describe("API flows on the running stack", () => {
  let stack: RunningStack;
  let dataDir: string;
  let client: TestClient;
  let projectId: string;

  beforeAll(async () => {
    dataDir = await tempDataDir();
    stack = await startStack(dataDir, { WORKERS: "1" });
    client = new TestClient(stack.runtime.url);
    await client.signUp("script@example.org");
    projectId = (await client.data(`mutation { createProject(input: { name: "e2e" }) { project { id } } }`)).createProject.project.id;
  });

  afterAll(async () => {
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("uploads, computes a surface on a worker process, streams it, and matches the engine", async () => {
    const files = await mlpFiles([4, 16, 3]);
    const model = await upload(client, { projectId, kind: "MODEL", name: "mlp" }, [
      { name: "model.json", bytes: text(files.modelJson) },
      { name: "group1-shard1of1.bin", bytes: files.shards.get("group1-shard1of1.bin")! },
    ]);
    expect(model.outcome).toBe("ok");
    const pair = npyPair(90, 4, 3);
    const dataset = await upload(client, { projectId, kind: "DATASET", name: "points" }, [
      { name: "x.npy", bytes: pair.x },
      { name: "y.npy", bytes: pair.y },
    ]);
    expect(dataset.outcome).toBe("ok");

    // A script authenticates with a personal API token.
    const token = (await client.data(`mutation { createApiToken(name: "e2e") { token } }`)).createApiToken.token as string;
    const script = new TestClient(stack.runtime.url).withToken(token);
    const grid = { x: { min: -1, max: 1, count: 11 }, y: { min: -1, max: 1, count: 11 } };
    const created = (
      await script.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { message } surface { id } } }`, {
        input: { projectId, kind: "PLANE", modelId: model.completed!.model!.id, datasetId: dataset.completed!.dataset!.id, params: { ...grid, seed: 7 } },
      })
    ).createSurface;
    expect(created.ok).toBe(true);

    // Followed over graphql-ws, authenticated by the token in the connection parameters.
    const events = (
      await script.subscribe<{ surfaceProgress: { status: string; indices: number[] } }>(
        `subscription ($id: ID!) { surfaceProgress(id: $id) { status pointsDone pointsTotal indices } }`,
        { id: created.surface.id },
      )
    ).map((event) => event.surfaceProgress);
    const statuses = events.map((event) => event.status);
    const points = events.reduce((sum, event) => sum + event.indices.length, 0);
    expect(statuses.at(-1)).toBe("READY");
    expect(points).toBe(121);

    const surface = (await script.data(`query ($id: ID!) { surface(id: $id) { status backend values } }`, { id: created.surface.id })).surface;
    expect(surface.backend).toBe("wasm");
    const direct = await computeSurface(
      await loadModel({ modelJson: files.modelJson, shards: files.shards }),
      await loadDataset({ xNpy: pair.x, yNpy: pair.y }),
      { ...grid, directions: { seed: 7 }, backend: "cpu" },
    );
    for (let k = 0; k < 121; k++) {
      const value = surface.values[Math.floor(k / 11)][k % 11] as number;
      expect(Math.abs(value - direct.loss[k]!) / Math.abs(direct.loss[k]!)).toBeLessThan(1e-4);
    }
  });

  it("completes a surface, with one result, when its worker is killed with SIGKILL mid-way", async () => {
    const files = await mlpFiles([784, 32, 10]);
    const model = await upload(client, { projectId, kind: "MODEL", name: "mnist-mlp" }, [
      { name: "model.json", bytes: text(files.modelJson) },
      { name: "group1-shard1of1.bin", bytes: files.shards.get("group1-shard1of1.bin")! },
    ]);
    const mnist = (await client.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: MNIST) { dataset { id } } }`, { p: projectId })).addBuiltinDataset.dataset.id;
    const created = (
      await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { message } surface { id pointsTotal } } }`, {
        input: { projectId, kind: "PLANE", modelId: model.completed!.model!.id, datasetId: mnist, params: { x: { min: -1, max: 1, count: 25 }, y: { min: -1, max: 1, count: 25 } } },
      })
    ).createSurface;
    expect(created.ok).toBe(true);
    const id = created.surface.id as string;

    // Wait until the worker is in the middle of a tile, then kill it without warning.
    const workerPid = stack.runtime.workers[0]!.pid;
    const db = new pg.Client({ connectionString: stack.runtime.databaseUrl });
    await db.connect();
    await until(
      "the worker in the middle of a tile, with points done",
      async () =>
        (
          await db.query(
            `SELECT 1 FROM surface_tiles t JOIN surfaces s ON s.id = t.surface_id
              WHERE t.surface_id = $1 AND t.finished_at IS NULL AND t.started_at IS NOT NULL AND s.points_done > 0`,
            [id],
          )
        ).rowCount,
      (rows) => Boolean(rows),
      { timeoutMs: 30_000, intervalMs: 20 },
    );
    process.kill(workerPid, "SIGKILL");
    expect((await client.data(`query ($id: ID!) { surface(id: $id) { status } }`, { id })).surface.status).toBe("RUNNING");

    // The launcher starts a new worker; the dead one's tile runs again when its heartbeat stops.
    const surface: { status: string; pointsDone: number; pointsTotal: number; values: (number | null)[][] } = await untilStatus(
      "the killed worker's surface to finish",
      async () => (await client.data(`query ($id: ID!) { surface(id: $id) { status pointsDone pointsTotal values } }`, { id })).surface,
      SETTLED,
      { timeoutMs: 300_000, intervalMs: 250 },
    );
    expect(alive(workerPid)).toBe(false);
    expect(surface.status).toBe("READY");
    expect(surface.pointsDone).toBe(surface.pointsTotal);
    expect(surface!.values.flat().every((v) => typeof v === "number" && Number.isFinite(v))).toBe(true);

    try {
      const tiles = await db.query(`SELECT count(*)::int AS n, sum(cardinality(indices))::int AS points, max(attempts)::int AS attempts FROM surface_tiles WHERE surface_id = $1`, [id]);
      expect(tiles.rows[0].points).toBe(625);
      // Some tile was started twice (by the dead worker and again), yet recorded once.
      expect(tiles.rows[0].attempts).toBeGreaterThanOrEqual(2);
      const workers = await db.query(`SELECT count(*)::int AS n FROM workers WHERE stopped_at IS NULL AND last_heartbeat_at > now() - interval '30 seconds'`);
      expect(workers.rows[0].n).toBeGreaterThanOrEqual(1);
    } finally {
      await db.end();
    }
  });
});
