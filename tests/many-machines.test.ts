/**
 * The many-machine topology, on one machine, as separate processes: a PostgreSQL and an
 * S3-compatible store started on their own (as an operator runs them), `lossatlas serve` twice on
 * different ports and three `lossatlas worker` processes, configured only through DATABASE_URL and
 * S3_*. All three workers fill one surface; one worker and one API are killed and PostgreSQL is
 * restarted mid-surface; the values equal a single-process command-line run bit for bit. A
 * surface that asks for a GPU waits for a GPU worker, and the API says so.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from "../server/src/platform/embedded-postgres.js";
import { freePort } from "../server/src/platform/processes.js";
import { TestClient } from "../server/src/testing/api.js";
import { testLogger } from "../server/src/testing/platform.js";
import { TEST_S3_KEYS, type TestS3Handle, startTestS3 } from "../server/src/testing/s3-server.js";
import { modelUploadFiles, mlpFiles, npyPair, upload } from "../server/src/testing/uploads.js";
import { launchBrowser, screenshots, watchedPage } from "./support/browser.js";
import { MAIN, REPO_ROOT } from "./support/paths.js";
import { alive, cleanEnv, tempDataDir, waitFor } from "./support/stack.js";

const GRID = { x: { min: -1, max: 1, count: 41 }, y: { min: -1, max: 1, count: 33 }, seed: 9 };

/** Polls `probe` until it returns a value, or fails after `ms`. */
describe("many machines, proved on one", () => {
  let dir: string;
  let postgres: EmbeddedPostgresHandle;
  let s3: TestS3Handle;
  let db: pg.Pool;
  const processes: ChildProcess[] = [];
  const output: string[] = [];
  let env: Record<string, string>;

  /** `lossatlas <role>` as its own process, configured by environment alone. */
  const launch = (role: "serve" | "worker", extra: Record<string, string> = {}): ChildProcess => {
    const child = spawn(process.execPath, [MAIN, role], { cwd: REPO_ROOT, env: cleanEnv({ ...env, ...extra }), stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    processes.push(child);
    return child;
  };

  const serve = async (): Promise<{ child: ChildProcess; url: string }> => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = launch("serve", { PORT: String(port), HOST: "127.0.0.1", PUBLIC_URL: url });
    await waitFor(`the API on ${port}`, 90_000, async () => {
      if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}:\n${output.join("")}`);
      return (await fetch(`${url}/healthz`)).ok ? true : undefined;
    }).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${output.join("")}`);
    });
    return { child, url };
  };

  beforeAll(async () => {
    dir = await tempDataDir("lossatlas-many-");
    // The operator's services, each started on its own.
    postgres = await startEmbeddedPostgres(path.join(dir, "postgres-server"), 0, testLogger);
    s3 = await startTestS3(path.join(dir, "s3-server"), 0);
    db = new pg.Pool({ connectionString: postgres.url, max: 2 });
    db.on("error", () => undefined);
    env = {
      DATABASE_URL: postgres.url,
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY_ID: TEST_S3_KEYS.accessKeyId,
      S3_SECRET_ACCESS_KEY: TEST_S3_KEYS.secretAccessKey,
      // Nothing of one machine: no data folder, no file store.
      DATA_DIR: path.join(dir, "unused"),
      WORKER_BACKEND: "wasm",
      WORKER_HEARTBEAT_SECONDS: "1",
      COMPUTE_SWEEP_SECONDS: "2",
      LOG_LEVEL: "warn",
      RATE_LIMIT_SIGN_UPS_PER_HOUR: "1000",
      RATE_LIMIT_UPLOADS_PER_HOUR: "1000",
      RATE_LIMIT_SURFACES_PER_HOUR: "1000",
    };
  });

  afterAll(async () => {
    for (const child of processes) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await db?.end().catch(() => undefined);
    await s3?.stop().catch(() => undefined);
    await postgres?.stop().catch(() => undefined);
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it("fills one surface with three workers through two APIs, survives losing one of each and a database restart, and matches the command line bit for bit", async () => {
    const [a, b] = await Promise.all([serve(), serve()]);
    const workers = [launch("worker"), launch("worker"), launch("worker")];
    await waitFor("three workers registered", 90_000, async () => {
      const n = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM workers WHERE stopped_at IS NULL`)).rows[0]!.n;
      return n === 3 ? true : undefined;
    });

    const client = new TestClient(a.url);
    await client.signUp("operator@example.org");
    const projectId = (await client.data(`mutation { createProject(input: { name: "many" }) { project { id } } }`)).createProject.project.id as string;
    const files = await mlpFiles([70, 24, 8, 3], 11);
    const pair = npyPair(1500, 70, 3);
    const model = await upload(client, { projectId, kind: "MODEL", name: "mlp" }, modelUploadFiles(files));
    const dataset = await upload(client, { projectId, kind: "DATASET", name: "points" }, [
      { name: "x.npy", bytes: pair.x },
      { name: "y.npy", bytes: pair.y },
    ]);
    expect(model.outcome).toBe("ok");
    expect(dataset.outcome).toBe("ok");
    const modelId = model.completed!.model!.id;
    const datasetId = dataset.completed!.dataset!.id;
    // Every object went to the S3 store, none to a data folder (which holds only the emails kept
    // for lack of SMTP: the sign-ups' verification links).
    expect((await fs.readdir(path.join(dir, "unused")).catch(() => [] as string[])).filter((entry) => entry !== "mail")).toEqual([]);

    const created = (
      await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { message } surface { id } } }`, {
        input: { projectId, modelId, datasetId, kind: "PLANE", name: "shared", params: GRID },
      })
    ).createSurface;
    expect(created.ok).toBe(true);
    const id = created.surface.id as string;

    // All three workers are computing its tiles, with more to come.
    await waitFor("tiles started by all three workers", 120_000, async () => {
      const row = (
        await db.query<{ workers: number; done: number; total: number }>(
          `SELECT (SELECT count(DISTINCT worker_id)::int FROM surface_tiles WHERE surface_id = $1 AND started_at IS NOT NULL) AS workers, points_done AS done, points_total AS total
             FROM surfaces WHERE id = $1`,
          [id],
        )
      ).rows[0];
      if (row && row.done >= row.total) throw new Error("the surface finished before anything was killed; make it larger");
      return row && row.workers === 3 ? true : undefined;
    });
    // A worker dies in the middle of a tile, and so does the API the user was talking to.
    const busy = (
      await db.query<{ pid: number }>(
        `SELECT w.pid FROM surface_tiles t JOIN workers w ON w.id = t.worker_id
          WHERE t.surface_id = $1 AND t.finished_at IS NULL AND t.started_at IS NOT NULL ORDER BY t.started_at DESC LIMIT 1`,
        [id],
      )
    ).rows[0];
    const victim = workers.find((w) => w.pid === busy?.pid) ?? workers[0]!;
    victim.kill("SIGKILL");
    a.child.kill("SIGKILL");
    // And the operator restarts PostgreSQL under everyone: the API and workers ride it out.
    await postgres.stop();
    postgres = await startEmbeddedPostgres(path.join(dir, "postgres-server"), postgres.port, testLogger);

    const other = client.at(b.url);
    const finished = await waitFor("the surface to finish through the other API", 180_000, async () => {
      const answer = await other.request(`query ($id: ID!) { surface(id: $id) { status errorMessage pointsDone pointsTotal } }`, { id });
      const surface = answer.data?.surface as { status: string; pointsDone: number; pointsTotal: number } | undefined;
      return surface && (surface.status === "READY" || surface.status === "FAILED") ? surface : undefined;
    });
    expect(finished).toMatchObject({ status: "READY" });
    expect(finished.pointsDone).toBe(finished.pointsTotal);
    // The survivors are the same processes: they reconnected, nobody restarted them.
    expect(workers.filter((w) => w !== victim).every((w) => w.exitCode === null && alive(w.pid!))).toBe(true);
    expect(b.child.exitCode).toBeNull();
    expect(output.join("")).not.toMatch(/unhandled rejection|unexpected error/);
    const computedBy = (await db.query<{ n: number }>(`SELECT count(DISTINCT worker_id)::int AS n FROM surface_tiles WHERE surface_id = $1`, [id])).rows[0]!.n;
    expect(computedBy).toBeGreaterThanOrEqual(2);
    const stored = (await other.data(`query ($id: ID!) { surface(id: $id) { values(metric: LOSS) accuracy: values(metric: ACCURACY) } }`, { id })).surface;

    // The same surface by the command line, in one process, from the same files.
    const inputs = path.join(dir, "cli");
    await fs.mkdir(path.join(inputs, "model"), { recursive: true });
    await fs.mkdir(path.join(inputs, "data"), { recursive: true });
    await fs.writeFile(path.join(inputs, "model", "model.json"), files.modelJson);
    for (const [file, bytes] of files.shards) await fs.writeFile(path.join(inputs, "model", file), bytes);
    await fs.writeFile(path.join(inputs, "data", "x.npy"), pair.x);
    await fs.writeFile(path.join(inputs, "data", "y.npy"), pair.y);
    const out = path.join(inputs, "surface.json");
    await promisify(execFile)(
      process.execPath,
      [MAIN, "surface", "--model", path.join(inputs, "model"), "--data", path.join(inputs, "data"), "--x", "-1:1:41", "--y", "-1:1:33", "--seed", "9", "--backend", "wasm", "--out", out],
      { env: cleanEnv({ LOG_LEVEL: "silent" }) },
    );
    const cli = JSON.parse(await fs.readFile(out, "utf8")) as { loss: number[][]; accuracy: number[][] };
    // The service stores float32 values, the command line writes float64 ones: rounded, the same bits.
    expect((stored.values as number[][]).flat()).toEqual(cli.loss.flat().map(Math.fround));
    expect((stored.accuracy as number[][]).flat()).toEqual(cli.accuracy.flat().map(Math.fround));

    // A surface asking for a GPU is prepared by any worker, but its tiles wait for a GPU worker.
    const gpu = (
      await other.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok surface { id } } }`, {
        input: { projectId, modelId, datasetId, kind: "PLANE", name: "on a GPU", params: { ...GRID, gpu: true } },
      })
    ).createSurface.surface.id as string;
    const waiting = await waitFor("the GPU surface to be prepared and waiting", 60_000, async () => {
      const surface = (await other.data(`query ($id: ID!) { surface(id: $id) { status pointsDone queue { waitingFor estimatedSeconds } } }`, { id: gpu })).surface;
      return surface.status === "RUNNING" ? surface : undefined;
    });
    expect(waiting.queue.waitingFor).toBe("a GPU worker: it asked to be computed on a GPU, and no worker with a GPU is running");
    expect(waiting.queue.estimatedSeconds).toBeNull();
    // Idle CPU workers leave its tiles alone.
    const jobs = (await db.query<{ created: number; other: number }>(
      `SELECT count(*) FILTER (WHERE state = 'created')::int AS created, count(*) FILTER (WHERE state <> 'created')::int AS other
         FROM queue_jobs WHERE name = 'surface-tile-gpu' AND data->>'surfaceId' = $1`,
      [gpu],
    )).rows[0]!;
    expect(jobs.created).toBeGreaterThan(0);
    expect(jobs.other).toBe(0);
    expect(waiting.pointsDone).toBe(0);

    // And the surface page says so, in words.
    const browser = await launchBrowser();
    try {
      const { page, problems } = await watchedPage(browser);
      await page.goto(`${b.url}/signin`);
      await page.getByLabel("Email").fill("operator@example.org");
      await page.getByLabel("Password").fill("correct horse battery");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(/\/projects$/);
      await page.goto(`${b.url}/surfaces/${gpu}`);
      const place = page.getByTestId("queue-place");
      await place.waitFor({ timeout: 60_000 });
      expect(await place.textContent()).toBe("waiting for a GPU worker: it asked to be computed on a GPU, and no worker with a GPU is running");
      expect(await screenshots("many-machines")(page, "waiting-for-gpu")).toBeGreaterThan(10);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
