/**
 * Fair queues: with the demo's surfaces computing (a backlog of tiles far longer than a user's
 * surface), a user's new surface is computed before that backlog drains, and says where it stands
 * in the queue. Real API, PostgreSQL, queue and an in-process worker.
 */
import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordSurface } from "./record-surface.js";
import { surfaceParamsSchema } from "./surface-params.js";
import { TestClient, type TestApi, startTestApi, startTestWorker } from "../testing/api.js";
import { mlpFiles, modelUploadFiles, npyPair, upload } from "../testing/uploads.js";
import { until } from "../testing/wait.js";
import { DEMO_EMAIL } from "./demo.js";
import { DEMO_WEIGHT, ownerFor, ownerOf } from "./fair-queue.js";

describe("fair queues", () => {
  let api: TestApi;
  let client: TestClient;
  let worker: Awaited<ReturnType<typeof startTestWorker>> | undefined;
  let projectId: string;
  let modelId: string;
  let datasetId: string;

  beforeAll(async () => {
    api = await startTestApi();
    client = new TestClient(api.url);
    await client.signUp("fair@example.org");
    projectId = (await client.data(`mutation { createProject(input: { name: "fair" }) { project { id } } }`)).createProject.project.id;
    const model = await upload(client, { projectId, kind: "MODEL", name: "mlp" }, modelUploadFiles(await mlpFiles([20, 32, 3], 2)));
    modelId = model.completed!.model!.id;
    const pair = npyPair(2000, 20, 3);
    const dataset = await upload(client, { projectId, kind: "DATASET", name: "points" }, [
      { name: "x.npy", bytes: pair.x },
      { name: "y.npy", bytes: pair.y },
    ]);
    datasetId = dataset.completed!.dataset!.id;
  });

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
  });

  const status = async (id: string) =>
    (await api.platform.pool.query<{ status: string; points_done: number; points_total: number }>(`SELECT status, points_done, points_total FROM surfaces WHERE id = $1`, [id])).rows[0]!;


  it("weighs the demo's points four times a user's", () => {
    expect(ownerOf(null)).toEqual({ key: "demo", weight: DEMO_WEIGHT });
    expect(ownerOf("0b7c2c8e-8d1f-4d59-9a57-6a3e1f0e7d11")).toEqual({ key: "user:0b7c2c8e-8d1f-4d59-9a57-6a3e1f0e7d11", weight: 1 });
    expect(DEMO_WEIGHT).toBeGreaterThan(1);
  });

  it("counts the demo's system account, which creates the demo's surfaces, as the demo", async () => {
    const pool = api.platform.pool;
    const demo = (await pool.query<{ id: string }>(`INSERT INTO users (email, name, password_hash) VALUES ($1, 'Loss Atlas demo', '!') RETURNING id`, [DEMO_EMAIL])).rows[0]!.id;
    expect(await ownerFor(pool, demo)).toEqual({ key: "demo", weight: DEMO_WEIGHT });
    const user = (await pool.query<{ id: string }>(`SELECT id FROM users WHERE email = 'fair@example.org'`)).rows[0]!.id;
    expect(await ownerFor(pool, user)).toEqual({ key: `user:${user}`, weight: 1 });
    expect(await ownerFor(pool, null)).toEqual({ key: "demo", weight: DEMO_WEIGHT });
  });

  it("computes a user's new surface before the demo's backlog drains, and tells its place in the queue", async () => {
    // The demo's work: two large planes without a creator, as the demo project queues them.
    const demo: string[] = [];
    for (const seed of [1, 2]) {
      const params = surfaceParamsSchema.parse({ x: { min: -1, max: 1, count: 61 }, y: { min: -1, max: 1, count: 61 }, seed });
      demo.push(
        await recordSurface(api.platform.pool, api.api.services.queue, {
          projectId,
          createdBy: null,
          name: `demo ${seed}`,
          kind: "plane",
          modelId,
          modelBId: null,
          datasetId,
          params,
          tags: [],
        }),
      );
    }
    worker = await startTestWorker(api);
    // Both demo surfaces prepared, and the workers well into them.
    await until(
      "the demo's surfaces to run",
      () => Promise.all(demo.map(status)),
      (rows) => rows.every((r) => r.status === "running") && rows[0]!.points_done > 0,
      { timeoutMs: 180_000, intervalMs: 100 },
    );

    // Hold the workers while the user's surface is placed, so its place does not race the demo's
    // tile in flight: unprepared, it goes right behind the demo tile at the front of the queue.
    await worker.stop();
    worker = undefined;
    const created = (
      await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok surface { id } } }`, {
        input: { projectId, modelId, datasetId, kind: "PLANE", name: "mine", params: { x: { min: -1, max: 1, count: 9 }, y: { min: -1, max: 1, count: 9 } } },
      })
    ).createSurface;
    const mine = created.surface.id as string;
    const place = (await client.data(`query ($id: ID!) { surface(id: $id) { status queue { position surfacesAhead estimatedSeconds } } }`, { id: mine })).surface;
    expect(place.status).toBe("QUEUED");
    // The first demo surface's next tile is ahead of it; the second demo surface's tiles, tagged
    // after all of the first's, are not.
    expect(place.queue.surfacesAhead).toBe(1);
    expect(place.queue.position).toBe(2);
    // Tiles of the demo were computed already, so the estimate comes from a measured speed.
    expect(place.queue.estimatedSeconds).toBeGreaterThan(0);
    worker = await startTestWorker(api);

    await until("the user's surface to be ready", () => status(mine), (row) => row.status === "ready", { timeoutMs: 180_000, intervalMs: 100 });
    // The demo's backlog is far from drained: the second demo surface has most of its points to do.
    const [first, second] = await Promise.all(demo.map(status));
    expect(first!.status).toBe("running");
    expect(second!.status).toBe("running");
    expect(first!.points_done + second!.points_done).toBeLessThan((first!.points_total + second!.points_total) / 2);
    // A ready surface has no place in the queue.
    expect((await client.data(`query ($id: ID!) { surface(id: $id) { queue { position } } }`, { id: mine })).surface.queue).toBeNull();

    for (const id of demo) await api.platform.pool.query(`UPDATE surfaces SET status = 'cancelled' WHERE id = $1`, [id]);
  });
});
