/**
 * The database dies under `lossatlas start`: a SIGKILL of the embedded postmaster in the middle of
 * a surface is recovered (PostgreSQL started again, the API and the worker reconnected) within
 * 30 s and the surface completes with every point counted once; when PostgreSQL cannot come
 * back, everything stops with one clear message and a non-zero exit, leaving nothing running.
 */
import { appendFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TestClient } from "../server/src/testing/api.js";
import { modelUploadFiles, mlpFiles, npyPair, upload } from "../server/src/testing/uploads.js";
import { type RunningStack, alive, graphql, postmasterPid, processesOf, startStack, tempDataDir, waitFor } from "./support/stack.js";

/** Polls `probe` until it returns a value, or fails after `ms`. */
describe("PostgreSQL dies under lossatlas start", () => {
  const dirs: string[] = [];
  const stacks: RunningStack[] = [];

  afterAll(async () => {
    for (const stack of stacks) await stack.stop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("is started again within 30 s after a SIGKILL mid-surface, and the surface completes", async () => {
    const dataDir = await tempDataDir();
    dirs.push(dataDir);
    const stack = await startStack(dataDir, { WORKERS: "1", COMPUTE_SWEEP_SECONDS: "2", HEALTH_REFRESH_SECONDS: "1" });
    stacks.push(stack);
    const { url } = stack.runtime;
    const client = new TestClient(url);
    await client.signUp("outage@example.org");
    const projectId = (await client.data(`mutation { createProject(input: { name: "outage" }) { project { id } } }`)).createProject.project.id as string;
    const model = await upload(client, { projectId, kind: "MODEL", name: "mlp" }, modelUploadFiles(await mlpFiles([40, 32, 16, 3], 3)));
    const pair = npyPair(2000, 40, 3);
    const dataset = await upload(client, { projectId, kind: "DATASET", name: "points" }, [
      { name: "x.npy", bytes: pair.x },
      { name: "y.npy", bytes: pair.y },
    ]);
    const created = (
      await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { message } surface { id } } }`, {
        input: {
          projectId,
          kind: "PLANE",
          name: "through an outage",
          modelId: model.completed!.model!.id,
          datasetId: dataset.completed!.dataset!.id,
          params: { x: { min: -1, max: 1, count: 25 }, y: { min: -1, max: 1, count: 25 }, seed: 3 },
        },
      })
    ).createSurface;
    expect(created.ok).toBe(true);
    const id = created.surface.id as string;
    const progress = async () =>
      (await client.data(`query ($id: ID!) { surface(id: $id) { status pointsDone pointsTotal } }`, { id })).surface as { status: string; pointsDone: number; pointsTotal: number };

    // Mid-surface: some points done, more to do.
    await waitFor("the surface to be part done", 120_000, async () => {
      const p = await progress();
      return p.status === "RUNNING" && p.pointsDone > 0 ? p : undefined;
    });
    const killed = postmasterPid(dataDir)!;
    expect(alive(killed)).toBe(true);
    const outputBefore = stack.output().length;
    process.kill(killed, "SIGKILL");
    const killedAt = Date.now();

    // Recovered: a new postmaster, and the API answers what needs the database again.
    await waitFor("a new postmaster", 30_000, async () => {
      const pid = postmasterPid(dataDir);
      return pid && pid !== killed && alive(pid) ? pid : undefined;
    });
    await waitFor("the API to read the database again", 30_000, async () => {
      const answer = await client.request(`query ($id: ID!) { surface(id: $id) { status } }`, { id });
      return answer.errors === undefined && answer.data ? true : undefined;
    });
    await waitFor("health to say OK", 30_000, async () => {
      const answer = await graphql<{ health: { status: string } }>(url, `{ health { status } }`);
      return answer.data?.health.status === "OK" ? true : undefined;
    });
    const recoveredMs = Date.now() - killedAt;
    expect(recoveredMs).toBeLessThan(30_000);
    expect(stack.output()).toContain("starting it again");

    const finished = await waitFor("the surface to finish", 180_000, async () => {
      const p = await progress();
      return p.status === "READY" || p.status === "FAILED" ? p : undefined;
    });
    expect(finished.status).toBe("READY");
    expect(finished.pointsDone).toBe(finished.pointsTotal);
    const values = (await client.data(`query ($id: ID!) { surface(id: $id) { values } }`, { id })).surface.values as (number | null)[][];
    expect(values.flat().every((v) => typeof v === "number" && Number.isFinite(v))).toBe(true);
    // The launcher and its worker are the same processes throughout (they reconnected), and the
    // outage did not flood the log.
    expect(stack.child.exitCode).toBeNull();
    expect(alive(stack.runtime.workers[0]!.pid)).toBe(true);
    expect(stack.output().length - outputBefore).toBeLessThan(64 * 1024);
    expect(await stack.stop()).toBe(0);
    expect(processesOf(dataDir)).toEqual([]);
  });

  it("stops everything with one clear message and a non-zero exit when PostgreSQL cannot come back", async () => {
    const dataDir = await tempDataDir();
    dirs.push(dataDir);
    const stack = await startStack(dataDir, { WORKERS: "1", EMBEDDED_POSTGRES_RESTARTS: "2" });
    stacks.push(stack);
    // A setting PostgreSQL refuses: every start from now on fails, as with a broken disk or config.
    await appendFile(path.join(dataDir, "postgres", "postgresql.conf"), "\nshared_buffers = 'not a size'\n");
    process.kill(postmasterPid(dataDir)!, "SIGKILL");
    const code = await waitFor("the launcher to exit", 60_000, async () => (stack.child.exitCode === null ? undefined : stack.child.exitCode));
    expect(code).not.toBe(0);
    const output = stack.output();
    expect(output).toMatch(/lossatlas: The embedded PostgreSQL stopped \(killed by SIGKILL\) and could not be started again after 2 tries: .*shared_buffers/);
    expect(output.match(/could not be started again after 2 tries/g)).toHaveLength(1);
    expect(output).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
    await waitFor("every process of the data folder to end", 30_000, async () => (processesOf(dataDir).length === 0 ? true : undefined));
  });
});
