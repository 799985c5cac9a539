/**
 * Workers that die: a tile that kills its worker process on every attempt fails its surface with
 * a message that says so, within the attempt limit; a worker killed in the middle of a surface
 * costs nothing but time (the same values, to the last bit, as a run nobody killed). Real worker
 * processes (the build output: `npx tsc -p server/tsconfig.json`), real PostgreSQL and queue.
 */
import "reflect-metadata";
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type TestApi, forkTestWorker, startTestApi } from "../testing/api.js";
import { mlpFiles, modelUploadFiles, npyPair, upload } from "../testing/uploads.js";

const GRID = { x: { min: -1, max: 1, count: 17 }, y: { min: -1, max: 1, count: 15 }, seed: 5 };
/** The test hook's name: a worker exits when it takes a tile of a surface named so. */
const CRASHING = "crash-the-worker";
const ATTEMPTS = 2;

describe("workers that die", () => {
  let api: TestApi;
  let client: TestClient;
  let projectId: string;
  let modelId: string;
  let datasetId: string;
  const workers = new Set<ChildProcess>();
  let stopping = false;
  let forks = 0;

  /** Starts a worker process; one that dies is replaced, as a process supervisor would. */
  const startWorker = (): ChildProcess => {
    forks++;
    const child = forkTestWorker(api, { COMPUTE_ATTEMPTS: String(ATTEMPTS), WORKER_TEST_CRASH_SURFACE: CRASHING });
    workers.add(child);
    child.on("exit", () => {
      workers.delete(child);
      if (!stopping) startWorker();
    });
    return child;
  };

  beforeAll(async () => {
    api = await startTestApi({ COMPUTE_ATTEMPTS: String(ATTEMPTS), COMPUTE_SWEEP_SECONDS: "2" });
    client = new TestClient(api.url);
    await client.signUp("faults@example.org");
    projectId = (await client.data(`mutation { createProject(input: { name: "faults" }) { project { id } } }`)).createProject.project.id;
    const model = await upload(client, { projectId, kind: "MODEL", name: "mlp" }, modelUploadFiles(await mlpFiles([70, 16, 8, 3], 4)));
    modelId = model.completed!.model!.id;
    const pair = npyPair(3000, 70, 3);
    const dataset = await upload(client, { projectId, kind: "DATASET", name: "points" }, [
      { name: "x.npy", bytes: pair.x },
      { name: "y.npy", bytes: pair.y },
    ]);
    datasetId = dataset.completed!.dataset!.id;
    startWorker();
    startWorker();
  });

  afterAll(async () => {
    stopping = true;
    for (const worker of workers) worker.kill("SIGKILL");
    await api?.stop();
  });

  const create = async (name: string, params: object = GRID): Promise<string> => {
    const created = (
      await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { message } surface { id } } }`, {
        input: { projectId, modelId, datasetId, kind: "PLANE", name, params },
      })
    ).createSurface;
    expect(created.ok).toBe(true);
    return created.surface.id as string;
  };

  const waitEnd = async (id: string) => {
    const deadline = Date.now() + 240_000;
    for (;;) {
      const surface = (await client.data(`query ($id: ID!) { surface(id: $id) { status errorMessage values(metric: LOSS) accuracy: values(metric: ACCURACY) } }`, { id })).surface;
      if (surface.status === "READY" || surface.status === "FAILED") return surface;
      if (Date.now() > deadline) throw new Error(`surface ${id} still ${surface.status}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  it("fails a surface whose tile kills its worker every time, saying so, within the attempt limit", async () => {
    const forksBefore = forks;
    const id = await create(CRASHING, { x: { min: -1, max: 1, count: 4 }, y: { min: -1, max: 1, count: 4 }, seed: 5 });
    const surface = await waitEnd(id);
    expect(surface.status).toBe("FAILED");
    expect(surface.errorMessage).toMatch(/^A worker died computing tile \d+ twice; the model may need more memory than a worker has$/);
    const tiles = (
      await api.platform.pool.query<{ attempts: number; tiles: number }>(`SELECT max(attempts)::int AS attempts, count(*)::int AS tiles FROM surface_tiles WHERE surface_id = $1`, [id])
    ).rows[0]!;
    // No tile was started more than the allowed times, plus the start that saw the limit reached.
    expect(tiles.attempts).toBeLessThanOrEqual(ATTEMPTS + 1);
    // Workers died (and were replaced) at least the allowed times, and at most that per tile.
    expect(forks - forksBefore).toBeGreaterThanOrEqual(ATTEMPTS);
    expect(forks - forksBefore).toBeLessThanOrEqual(tiles.tiles * ATTEMPTS);
  });

  it("completes a surface whose worker was killed midway, with the values of a run nobody killed", async () => {
    const reference = await waitEnd(await create("reference"));
    expect(reference.status).toBe("READY");

    const id = await create("killed");
    // Wait until a worker is computing one of its tiles with others done, then kill that worker.
    const deadline = Date.now() + 120_000;
    let victim: number | undefined;
    while (victim === undefined) {
      const row = (
        await api.platform.pool.query<{ pid: number }>(
          `SELECT w.pid FROM surface_tiles t JOIN workers w ON w.id = t.worker_id
            WHERE t.surface_id = $1 AND t.finished_at IS NULL AND t.started_at IS NOT NULL
              AND (SELECT points_done FROM surfaces WHERE id = $1) > 0 LIMIT 1`,
          [id],
        )
      ).rows[0];
      if (row) victim = row.pid;
      else if (Date.now() > deadline) throw new Error("no tile of the surface was seen in progress");
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    process.kill(victim, "SIGKILL");

    const killed = await waitEnd(id);
    expect(killed.status).toBe("READY");
    expect(killed.values).toEqual(reference.values);
    expect(killed.accuracy).toEqual(reference.accuracy);
    const counts = (await api.platform.pool.query<{ done: number; total: number }>(`SELECT points_done AS done, points_total AS total FROM surfaces WHERE id = $1`, [id])).rows[0]!;
    // Every point counted once, however many times its tile was started.
    expect(counts.done).toBe(counts.total);
  });
});
