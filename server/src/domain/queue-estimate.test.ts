/**
 * The queue's estimate of when a surface is done weighs the work ahead by what each surface's
 * points cost, not by their number: workers that just computed a cheap MLP plane must not promise
 * a costly plane in seconds. Pure arithmetic against closed forms, then the API's answer over
 * tiles laid out in a real PostgreSQL.
 */
import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordSurface } from "./record-surface.js";
import { surfaceParamsSchema } from "./surface-params.js";
import { TestClient, type TestApi, startTestApi } from "../testing/api.js";
import { mlpFiles, modelUploadFiles, npyPair, upload } from "../testing/uploads.js";
import { wallSecondsFor } from "./fair-queue.js";

describe("wallSecondsFor", () => {
  it("divides the expected compute time ahead by the pace the workers kept", () => {
    // Two workers got through 10 s of expected work in 5 s: 120 s of work ahead takes 60 s.
    expect(wallSecondsFor({ points: 100, work: 120, untimed: 0 }, { points: 1000, work: 10, seconds: 5 })).toBeCloseTo(60, 9);
    // Points whose surfaces measured no cost go at the recent points per second (200 here).
    expect(wallSecondsFor({ points: 500, work: 120, untimed: 400 }, { points: 1000, work: 10, seconds: 5 })).toBeCloseTo(62, 9);
    // Recent tiles without measured costs: points per second for everything.
    expect(wallSecondsFor({ points: 500, work: 120, untimed: 0 }, { points: 1000, work: 0, seconds: 5 })).toBeCloseTo(2.5, 9);
    expect(wallSecondsFor({ points: 500, work: 120, untimed: 0 }, null)).toBeNull();
  });
});

describe("the queue's estimate over mixed costs", () => {
  let api: TestApi;
  let client: TestClient;
  let projectId: string;
  let modelId: string;
  let datasetId: string;
  let userId: string;

  beforeAll(async () => {
    api = await startTestApi();
    client = new TestClient(api.url);
    await client.signUp("estimate@example.org");
    userId = (await api.platform.pool.query<{ id: string }>(`SELECT id FROM users WHERE email = 'estimate@example.org'`)).rows[0]!.id;
    projectId = (await client.data(`mutation { createProject(input: { name: "estimate" }) { project { id } } }`)).createProject.project.id;
    modelId = (await upload(client, { projectId, kind: "MODEL", name: "mlp" }, modelUploadFiles(await mlpFiles([4, 8, 3], 1)))).completed!.model!.id;
    const pair = npyPair(100, 4, 3);
    datasetId = (
      await upload(client, { projectId, kind: "DATASET", name: "points" }, [
        { name: "x.npy", bytes: pair.x },
        { name: "y.npy", bytes: pair.y },
      ])
    ).completed!.dataset!.id;
  });

  afterAll(async () => {
    await api?.stop();
  });

  /** A running surface of `tiles` tiles of `points` points each, at `pointSeconds` per point (no worker takes them: none runs). */
  async function runningSurface(name: string, pointSeconds: number, tiles: number, points: number, firstTag: number): Promise<string> {
    const side = tiles * points;
    const params = surfaceParamsSchema.parse({ x: { min: -1, max: 1, count: side }, seed: 1 });
    const id = await recordSurface(api.platform.pool, api.api.services.queue, { projectId, createdBy: userId, name, kind: "line", modelId, modelBId: null, datasetId, params, tags: [] });
    await api.platform.pool.query(`UPDATE surfaces SET status = 'running', geometry = $2 WHERE id = $1`, [id, JSON.stringify({ pointSeconds })]);
    for (let tile = 0; tile < tiles; tile++) {
      const indices = Array.from({ length: points }, (_, k) => tile * points + k);
      await api.platform.pool.query(`INSERT INTO surface_tiles (surface_id, tile, level, indices, queue_tag) VALUES ($1, $2, 0, $3, $4)`, [id, tile, indices, firstTag + tile]);
    }
    return id;
  }

  it("estimates a costly surface queued after cheap work by the costs measured at preparation", async () => {
    // The workers just finished a cheap surface: 400 points at 0.025 s each (10 s of one worker's
    // time) in 5 s of wall time, as two workers do.
    const cheap = await runningSurface("cheap", 0.025, 8, 50, 1);
    await api.platform.pool.query(
      `UPDATE surface_tiles SET started_at = now() - interval '6 seconds', finished_at = now() - interval '1 second' WHERE surface_id = $1 AND tile = 0`,
      [cheap],
    );
    await api.platform.pool.query(
      `UPDATE surface_tiles SET started_at = now() - interval '5 seconds', finished_at = now() - interval '1 second' WHERE surface_id = $1 AND tile > 0`,
      [cheap],
    );
    // Queued behind it: 100 points at 1 s each, 100 s of one worker's time.
    const costly = await runningSurface("costly", 1, 4, 25, 100);
    const place = (await client.data(`query ($id: ID!) { surface(id: $id) { queue { position surfacesAhead estimatedSeconds } } }`, { id: costly })).surface.queue;
    expect(place.position).toBe(1);
    // At the pace of two workers, 50 s; counted as points at the cheap surface's 80 points per
    // second, it would have been a second.
    expect(place.estimatedSeconds).toBeGreaterThanOrEqual(49);
    expect(place.estimatedSeconds).toBeLessThanOrEqual(51);
  });
});
