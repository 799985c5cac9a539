/**
 * Stopping is as dependable as starting. `lossatlas start` is stopped every way an operator stops
 * it: Ctrl-C as a terminal sends it (SIGINT to the whole process group, the embedded PostgreSQL
 * included), SIGTERM to the launcher alone (what `docker stop` and Kubernetes send to PID 1) and
 * SIGTERM to the group, with 0, 1 and 2 workers, idle and in the middle of a surface. Each time it
 * is gone within SHUTDOWN_GRACE_SECONDS + 2 s with status 0, 130 or 143, leaves no process of its
 * data folder behind, prints no warning or error, and leaves the embedded PostgreSQL shut down
 * cleanly (its control file says so: no crash recovery at the next start); the next start finds
 * every surface, and an interrupted one computing again within seconds. `lossatlas serve` and
 * `lossatlas worker` against an external PostgreSQL stop the same way, mid-surface.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from "../server/src/platform/embedded-postgres.js";
import { freePort } from "../server/src/platform/processes.js";
import { TestClient } from "../server/src/testing/api.js";
import { testLogger } from "../server/src/testing/platform.js";
import { TEST_S3_KEYS, type TestS3Handle, startTestS3 } from "../server/src/testing/s3-server.js";
import { modelUploadFiles, mlpFiles, npyPair, upload } from "../server/src/testing/uploads.js";
import { MAIN, REPO_ROOT } from "./support/paths.js";
import { type RunningStack, cleanEnv, processesOf, startStack, tempDataDir, waitFor } from "./support/stack.js";

/** The default grace period, which the checks hold the stop to. */
const GRACE_SECONDS = 8;
const HOW = ["Ctrl-C to the group", "SIGTERM to the launcher", "SIGTERM to the group"] as const;
type How = (typeof HOW)[number];

/**
 * The state in PostgreSQL's control file (global/pg_control: the DBState after the system
 * identifier and two version numbers): 1 is "shut down", 6 "in production" (running, or left
 * running by a crash: the next start then recovers).
 */
function clusterState(dataDir: string): number {
  return readFileSync(path.join(dataDir, "postgres", "global", "pg_control")).readUInt32LE(16);
}
const SHUT_DOWN = 1;
const IN_PRODUCTION = 6;

/** Lines a normal stop must not print: pino warnings and errors, and anything that says error. */
function complaints(output: string): string[] {
  return output.split("\n").filter((line) => /"level":(4|5|6)0/.test(line) || /\berror\b|warning|could not|retrying/i.test(line));
}

function send(stack: RunningStack, how: How): void {
  const pid = stack.child.pid!;
  if (how === "Ctrl-C to the group") process.kill(-pid, "SIGINT");
  else if (how === "SIGTERM to the launcher") process.kill(pid, "SIGTERM");
  else process.kill(-pid, "SIGTERM");
}

/** Stops the stack as `how` says and returns the exit status, the seconds it took and its output since the signal. */
async function stopAs(stack: RunningStack, how: How): Promise<{ status: number | null; signal: NodeJS.Signals | null; seconds: number; output: string }> {
  const before = stack.output().length;
  const exited = new Promise<{ status: number | null; signal: NodeJS.Signals | null }>((resolve) => stack.child.once("exit", (status, signal) => resolve({ status, signal })));
  const started = performance.now();
  send(stack, how);
  const killer = setTimeout(() => stack.child.kill("SIGKILL"), 30_000);
  const { status, signal } = await exited;
  clearTimeout(killer);
  return { status, signal, seconds: (performance.now() - started) / 1000, output: stack.output().slice(before) };
}

interface Fixture {
  client: TestClient;
  projectId: string;
  modelId: string;
  datasetId: string;
}

async function seed(url: string, email: string): Promise<Fixture> {
  const client = new TestClient(url);
  await client.signUp(email);
  const projectId = (await client.data(`mutation { createProject(input: { name: "stops" }) { project { id } } }`)).createProject.project.id as string;
  const model = await upload(client, { projectId, kind: "MODEL", name: "mlp" }, modelUploadFiles(await mlpFiles([40, 64, 32, 3], 3)));
  const pair = npyPair(3000, 40, 3);
  const dataset = await upload(client, { projectId, kind: "DATASET", name: "points" }, [
    { name: "x.npy", bytes: pair.x },
    { name: "y.npy", bytes: pair.y },
  ]);
  return { client, projectId, modelId: model.completed!.model!.id, datasetId: dataset.completed!.dataset!.id };
}

async function createSurface(fixture: Fixture, name: string): Promise<string> {
  const created = (
    await fixture.client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { message } surface { id } } }`, {
      input: { projectId: fixture.projectId, kind: "PLANE", name, modelId: fixture.modelId, datasetId: fixture.datasetId, params: { x: { min: -1, max: 1, count: 31 }, y: { min: -1, max: 1, count: 31 }, seed: 4 } },
    })
  ).createSurface;
  expect(created.ok, JSON.stringify(created.error)).toBe(true);
  return created.surface.id as string;
}

async function progressOf(client: TestClient, id: string): Promise<{ status: string; pointsDone: number; pointsTotal: number }> {
  return (await client.data(`query ($id: ID!) { surface(id: $id) { status pointsDone pointsTotal } }`, { id })).surface;
}

describe("stopping lossatlas start", () => {
  const dirs: string[] = [];
  const stacks: RunningStack[] = [];

  afterAll(async () => {
    for (const stack of stacks) if (stack.child.exitCode === null && stack.child.signalCode === null) stack.child.kill("SIGKILL");
    for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
  });

  for (const workers of [0, 1, 2]) {
    it(`WORKERS=${workers}: every way of stopping, idle and mid-surface, ends in seconds, quietly, with PostgreSQL shut down cleanly`, async () => {
      const dataDir = await tempDataDir("lossatlas-stop-");
      dirs.push(dataDir);
      const env = { WORKERS: String(workers), WORKER_BACKEND: "wasm", HEALTH_REFRESH_SECONDS: "1" };
      let fixture: Fixture | undefined;
      const surfaces: string[] = [];
      let interrupted: { id: string; pointsDone: number } | undefined;
      for (const how of HOW) {
        for (const load of ["idle", "a surface computing"] as const) {
          const stack = await startStack(dataDir, env);
          stacks.push(stack);
          expect(clusterState(dataDir)).toBe(IN_PRODUCTION);
          // The same account across restarts: its session is kept in PostgreSQL, the URL changes.
          fixture = fixture ? { ...fixture, client: fixture.client.at(stack.runtime.url) } : await seed(stack.runtime.url, `stops-${workers}@example.org`);
          // What the previous stop interrupted computes again within seconds of this start.
          if (interrupted && workers > 0) {
            const before = interrupted;
            await waitFor("the interrupted surface to compute again", 30_000, async () => {
              const p = await progressOf(fixture!.client, before.id);
              return p.status === "READY" || p.pointsDone > before.pointsDone ? p : undefined;
            });
          }
          interrupted = undefined;
          if (load === "a surface computing") {
            const id = await createSurface(fixture, `${how}, ${workers} workers`);
            surfaces.push(id);
            if (workers > 0) {
              const p = await waitFor("the surface to be part done", 60_000, async () => {
                const q = await progressOf(fixture!.client, id);
                return q.status === "RUNNING" && q.pointsDone > 0 ? q : undefined;
              });
              interrupted = { id, pointsDone: p.pointsDone };
            }
          }
          const stop = await stopAs(stack, how);
          const what = `${how}, WORKERS=${workers}, ${load}`;
          expect(stop.seconds, what).toBeLessThan(GRACE_SECONDS + 2);
          expect([0, 130, 143], `${what}: status ${stop.status} (signal ${stop.signal})`).toContain(stop.status);
          expect(complaints(stop.output), `${what}:\n${stop.output}`).toEqual([]);
          expect(stop.output, what).toMatch(/Loss Atlas stopped in \d+\.\d s\./);
          await waitFor(`${what}: no process of the data folder left`, 2000, async () => (processesOf(dataDir).length === 0 ? true : undefined));
          expect(clusterState(dataDir), what).toBe(SHUT_DOWN);
        }
      }
      // Every surface is still there; those that were computing finish.
      const stack = await startStack(dataDir, env);
      stacks.push(stack);
      const client = fixture!.client.at(stack.runtime.url);
      for (const id of surfaces) {
        const p = await progressOf(client, id);
        expect(["QUEUED", "RUNNING", "READY"]).toContain(p.status);
      }
      if (workers > 0) {
        await waitFor("every surface to finish", 240_000, async () => {
          const all = await Promise.all(surfaces.map((id) => progressOf(client, id)));
          return all.every((p) => p.status === "READY") ? all : undefined;
        });
      }
      expect(await stack.stop()).toBe(0);
      expect(clusterState(dataDir)).toBe(SHUT_DOWN);
    }, 600_000);
  }
});

describe("stopping lossatlas start under load", () => {
  let dataDir: string;
  let stack: RunningStack | undefined;

  afterAll(async () => {
    if (stack && stack.child.exitCode === null && stack.child.signalCode === null) stack.child.kill("SIGKILL");
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("while an upload streams in and the demo is being trained: gone in seconds, the upload taken again, the demo carrying on", async () => {
    dataDir = await tempDataDir("lossatlas-stop-load-");
    const env = { WORKERS: "1", WORKER_BACKEND: "wasm", DEMO_PROJECT: "true", DEMO_SIZE: "small" };
    stack = await startStack(dataDir, env);
    const anonymous = new TestClient(stack.runtime.url);
    const demo = await waitFor("the demo project", 60_000, async () => (await anonymous.data(`{ gallery(first: 1) { nodes { projectId } } }`)).gallery.nodes[0]?.projectId as string | undefined);
    const client = new TestClient(stack.runtime.url);
    await client.signUp("load@example.org");
    const projectId = (await client.data(`mutation { createProject(input: { name: "load" }) { project { id } } }`)).createProject.project.id as string;
    const pair = npyPair(20_000, 40, 3);
    const requested = (
      await client.data(`mutation ($input: RequestUploadInput!) { requestUpload(input: $input) { ok error { message } upload { id files { name url contentType } } } }`, {
        input: { projectId, kind: "DATASET", name: "streamed", files: [{ name: "x.npy", size: pair.x.length, contentType: "application/octet-stream" }, { name: "y.npy", size: pair.y.length, contentType: "application/octet-stream" }] },
      })
    ).requestUpload;
    expect(requested.ok, JSON.stringify(requested.error)).toBe(true);
    const target = (name: string) => (requested.upload.files as { name: string; url: string; contentType: string }[]).find((f) => f.name === name)!;
    // x.npy trickles in over about 3 s: the stop comes in the middle of it.
    const slowly = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const offset = (slowly as unknown as { sent?: number }).sent ?? 0;
        if (offset >= pair.x.length) return controller.close();
        await new Promise((resolve) => setTimeout(resolve, 100));
        const chunk = pair.x.subarray(offset, offset + Math.ceil(pair.x.length / 30));
        (slowly as unknown as { sent?: number }).sent = offset + chunk.length;
        controller.enqueue(chunk);
      },
    });
    const put = fetch(target("x.npy").url, { method: "PUT", body: slowly, headers: { "content-type": target("x.npy").contentType }, duplex: "half" } as RequestInit).then(
      (response) => response.status,
      () => "cut off",
    );
    await new Promise((resolve) => setTimeout(resolve, 600));
    const stop = await stopAs(stack, "SIGTERM to the launcher");
    expect(stop.seconds).toBeLessThan(GRACE_SECONDS + 2);
    expect([0, 130, 143]).toContain(stop.status);
    expect(complaints(stop.output), stop.output).toEqual([]);
    expect(clusterState(dataDir)).toBe(SHUT_DOWN);
    const putOutcome = await put;

    // The next start: the upload is taken again (or was taken whole) and completes; the demo goes on.
    stack = await startStack(dataDir, env);
    const again = client.at(stack.runtime.url);
    if (putOutcome !== 200) {
      const retried = await fetch(target("x.npy").url.replace(/^http:\/\/[^/]+/, stack.runtime.url), { method: "PUT", body: pair.x, headers: { "content-type": target("x.npy").contentType } });
      expect(retried.status).toBe(200);
    }
    const y = await fetch(target("y.npy").url.replace(/^http:\/\/[^/]+/, stack.runtime.url), { method: "PUT", body: pair.y, headers: { "content-type": target("y.npy").contentType } });
    expect(y.status).toBe(200);
    const completed = (await again.data(`mutation ($id: ID!) { completeUpload(id: $id) { ok error { message } dataset { rows } } }`, { id: requested.upload.id })).completeUpload;
    expect(completed.ok, JSON.stringify(completed.error)).toBe(true);
    expect(completed.dataset.rows).toBe(20_000);
    const carried = await waitFor("the demo to carry on", 120_000, async () => {
      const experiments = (await anonymous.at(stack!.runtime.url).data(`query ($p: ID!) { experiments(projectId: $p, first: 10) { nodes { status runs { status } } } }`, { p: demo })).experiments.nodes as { status: string; runs: { status: string }[] }[];
      const failed = experiments.some((e) => e.status === "FAILED" || e.runs.some((r) => r.status === "FAILED"));
      return failed || experiments.some((e) => e.runs.some((r) => r.status === "READY")) ? { failed } : undefined;
    });
    expect(carried.failed, "a demo experiment or run failed across the stop").toBe(false);
    const last = await stopAs(stack, "Ctrl-C to the group");
    expect(last.seconds).toBeLessThan(GRACE_SECONDS + 2);
    expect(complaints(last.output), last.output).toEqual([]);
  }, 600_000);
});

describe("stopping lossatlas serve and lossatlas worker against an external PostgreSQL", () => {
  let dir: string;
  let postgres: EmbeddedPostgresHandle;
  let s3: TestS3Handle;
  const children: ChildProcess[] = [];

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await postgres?.stop();
    await s3?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it("each stops on SIGTERM and on SIGINT within the grace period, quietly, mid-surface and mid-training, and the work still completes", async () => {
    dir = await tempDataDir("lossatlas-stop-roles-");
    postgres = await startEmbeddedPostgres(path.join(dir, "postgres-server"), 0, testLogger);
    s3 = await startTestS3(path.join(dir, "s3-server"), 0);
    const env = {
      DATABASE_URL: postgres.url, S3_ENDPOINT: s3.endpoint, S3_ACCESS_KEY_ID: TEST_S3_KEYS.accessKeyId, S3_SECRET_ACCESS_KEY: TEST_S3_KEYS.secretAccessKey,
      DATA_DIR: path.join(dir, "unused"), WORKER_BACKEND: "wasm", WORKER_HEARTBEAT_SECONDS: "1", COMPUTE_SWEEP_SECONDS: "2",
    };
    const launch = (role: "serve" | "worker", extra: Record<string, string> = {}) => {
      const child = spawn(process.execPath, [MAIN, role], { cwd: REPO_ROOT, env: cleanEnv({ ...env, ...extra }), stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      children.push(child);
      const exited = new Promise<number | null>((resolve) => child.once("exit", (status) => resolve(status)));
      const stop = async (signal: NodeJS.Signals) => {
        const started = performance.now();
        child.kill(signal);
        const status = await exited;
        return { status, seconds: (performance.now() - started) / 1000, output };
      };
      return { child, stop, output: () => output };
    };
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const api = launch("serve", { PORT: String(port), HOST: "127.0.0.1", PUBLIC_URL: url });
    await waitFor("the API", 90_000, async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined));
    const worker = launch("worker");
    const fixture = await seed(url, "roles@example.org");
    const id = await createSurface(fixture, "across stops");
    await waitFor("the surface to be part done", 90_000, async () => {
      const p = await progressOf(fixture.client, id);
      return p.status === "RUNNING" && p.pointsDone > 0 ? p : undefined;
    });

    // The worker stops mid-surface; what it could not finish goes back to the queue.
    const workerStop = await worker.stop("SIGTERM");
    expect(workerStop.seconds).toBeLessThan(GRACE_SECONDS + 2);
    expect(workerStop.status).toBe(0);
    expect(complaints(workerStop.output), workerStop.output).toEqual([]);
    const done = (await progressOf(fixture.client, id)).pointsDone;

    // Another worker carries on within seconds and is stopped with Ctrl-C's signal.
    const second = launch("worker");
    await waitFor("a second worker to carry on", 60_000, async () => {
      const p = await progressOf(fixture.client, id);
      return p.pointsDone > done ? p : undefined;
    });
    const secondStop = await second.stop("SIGINT");
    expect(secondStop.seconds).toBeLessThan(GRACE_SECONDS + 2);
    expect(secondStop.status).toBe(0);
    expect(complaints(secondStop.output), secondStop.output).toEqual([]);

    // The API stops too, and a new one and a new worker finish the surface.
    const apiStop = await api.stop("SIGTERM");
    expect(apiStop.seconds).toBeLessThan(GRACE_SECONDS + 2);
    expect(apiStop.status).toBe(0);
    expect(complaints(apiStop.output), apiStop.output).toEqual([]);
    const api2 = launch("serve", { PORT: String(port), HOST: "127.0.0.1", PUBLIC_URL: url });
    await waitFor("the API again", 90_000, async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined));
    const third = launch("worker");
    const client = fixture.client;
    const finished = await waitFor("the surface to finish", 240_000, async () => {
      const p = await progressOf(client, id);
      return p.status === "READY" || p.status === "FAILED" ? p : undefined;
    });
    expect(finished).toMatchObject({ status: "READY", pointsDone: 961 });

    // A training run stopped mid-run is trained again by the next worker.
    const iris = (await client.data(`mutation ($p: ID!) { addBuiltinDataset(projectId: $p, dataset: IRIS) { dataset { id } } }`, { p: fixture.projectId })).addBuiltinDataset.dataset.id as string;
    const started = (
      await client.data(`mutation ($input: StartTrainingInput!) { startTraining(input: $input) { ok error { message } run { id } } }`, {
        input: { projectId: fixture.projectId, datasetId: iris, architecture: { kind: "MLP", depth: 2, width: 32 }, options: { optimizer: "SGD", learningRate: 0.05, batchSize: 1, epochs: 200, checkpointEvery: 3000, seed: 1 } },
      })
    ).startTraining;
    expect(started.ok, JSON.stringify(started.error)).toBe(true);
    const runOf = async () => (await client.data(`query ($id: ID!) { trainingRun(id: $id) { status stepsDone errorMessage } }`, { id: started.run.id })).trainingRun as { status: string; stepsDone: number; errorMessage: string | null };
    await waitFor("the training run to be under way", 60_000, async () => {
      const r = await runOf();
      return r.status === "RUNNING" && r.stepsDone > 0 ? r : undefined;
    });
    const thirdStop = await third.stop("SIGTERM");
    expect(thirdStop.seconds).toBeLessThan(GRACE_SECONDS + 2);
    expect(thirdStop.status).toBe(0);
    expect(complaints(thirdStop.output), thirdStop.output).toEqual([]);
    const cut = await runOf();
    expect(["QUEUED", "RUNNING"], "the stop interrupted the run").toContain(cut.status);
    const fourth = launch("worker");
    const trained = await waitFor("the training run to finish", 240_000, async () => {
      const r = await runOf();
      return r.status === "READY" || r.status === "FAILED" ? r : undefined;
    });
    expect(trained.status, trained.errorMessage ?? "").toBe("READY");
    for (const role of [fourth, api2]) {
      const stop = await role.stop("SIGTERM");
      expect(stop.status).toBe(0);
      expect(complaints(stop.output), stop.output).toEqual([]);
    }
  }, 600_000);
});
