/**
 * The one-command platform end to end: `lossatlas start` on a fresh data folder brings up the
 * embedded PostgreSQL, the file object store, the API, the web app and a worker; Ctrl-C stops all of it;
 * a second start finds the same data.
 */
import { chmod, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { TestClient } from "../server/src/testing/api.js";
import { MAIN, REPO_ROOT } from "./support/paths.js";
import {
  type RunningStack,
  alive,
  cleanEnv,
  graphql,
  listeningPorts,
  postmasterPid,
  pressCtrlC,
  processesOf,
  startStack,
  tempDataDir,
} from "./support/stack.js";

const HEALTH = /* GraphQL */ `
  {
    health {
      status
      installation { id createdAt }
      database { ok embedded serverVersion error }
      storage { ok embedded bucket error }
      queue { ok error }
      workers { id pid backend device }
    }
  }
`;

interface HealthAnswer {
  health: {
    status: string;
    installation: { id: string; createdAt: string } | null;
    database: { ok: boolean; embedded: boolean; serverVersion: string | null; error: string | null };
    storage: { ok: boolean; embedded: boolean; bucket: string; error: string | null };
    queue: { ok: boolean; error: string | null };
    workers: { id: string; pid: number; backend: string; device: string }[];
  };
}

/** Health with its details, as a signed-in user reads it (anonymous callers get the status alone). */
async function detailedHealth(url: string, email: string): Promise<{ data?: HealthAnswer; errors?: unknown[] }> {
  const client = new TestClient(url);
  await client.signUp(email);
  return client.request<HealthAnswer>(HEALTH);
}

/** The workers' process ids in order, to compare sets of workers. */
const pids = (workers: readonly { pid: number }[]) => workers.map((w) => w.pid).sort((a, b) => a - b);

describe("lossatlas start", () => {
  let dataDir = "";
  let stack: RunningStack | undefined;

  afterAll(async () => {
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("serves health and the web app, stops cleanly on Ctrl-C, and keeps its data across a restart", async () => {
    dataDir = await tempDataDir();
    const started = Date.now();
    stack = await startStack(dataDir);
    const { url, storage, workers } = stack.runtime;
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(stack.output()).toContain("Loss Atlas");
    expect(stack.output()).toContain(`${url}/graphql`);

    const anonymous = await graphql<{ health: { status: string; workers: unknown } }>(url, `{ health { status workers { id } } }`);
    expect(anonymous.data!.health).toEqual({ status: "OK", workers: null });
    const first = await detailedHealth(url, "first@example.org");
    expect(first.errors).toBeUndefined();
    const health = first.data!.health;
    expect(health.status).toBe("OK");
    expect(health.database).toMatchObject({ ok: true, embedded: true, error: null });
    expect(health.database.serverVersion).toMatch(/^\d+/);
    expect(health.storage).toMatchObject({ ok: true, embedded: true, bucket: "lossatlas" });
    expect(health.queue.ok).toBe(true);
    // WORKERS=auto, without TensorFlow's native bindings: one WebAssembly worker per core, at most 8.
    const perCore = Math.min(os.availableParallelism(), 8);
    expect(workers).toHaveLength(perCore);
    expect(health.workers).toHaveLength(perCore);
    expect(health.workers.every((w) => w.backend === "wasm")).toBe(true);
    expect(pids(health.workers)).toEqual(pids(workers));
    const installation = health.installation!;
    expect(installation.id).toMatch(/^[0-9a-f-]{36}$/);

    // The web app is served at / and for every client-side route.
    for (const route of ["/", "/gallery/anything"]) {
      const page = await fetch(`${url}${route}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root"></div>');
    }

    // Objects are files of the data folder; the public /storage route serves only presigned URLs
    // (the API's own tests fetch those), so a plain request is refused.
    expect(storage).toBe(path.join(dataDir, "store"));
    await mkdir(path.join(storage, "tests"), { recursive: true });
    await writeFile(path.join(storage, "tests", "restart.txt"), "kept across restarts");
    expect((await fetch(`${url}/storage/tests/restart.txt`)).status).toBe(403);

    // No port of an object store exists: the launcher listens on the web port alone, and the
    // embedded PostgreSQL on its own loopback port only.
    const port = Number(new URL(url).port);
    expect(listeningPorts(stack.child.pid!)).toEqual([port]);
    for (const worker of workers) expect(listeningPorts(worker.pid)).toEqual([]);

    // Ctrl-C: everything stops, nothing is left running.
    const postgresPid = postmasterPid(dataDir);
    expect(postgresPid && alive(postgresPid)).toBe(true);
    const code = await stack.stop();
    expect(code).toBe(0);
    expect(stack.output()).toMatch(/Loss Atlas stopped in \d+\.\d s\./);
    for (const worker of workers) expect(alive(worker.pid)).toBe(false);
    expect(alive(postgresPid!)).toBe(false);
    expect(existsSync(path.join(dataDir, "lossatlas.pid"))).toBe(false);
    expect(existsSync(path.join(dataDir, "runtime.json"))).toBe(false);
    expect(processesOf(dataDir)).toEqual([]);

    // A second start finds the same installation, the same objects, and only its own workers.
    stack = await startStack(dataDir);
    const again = (await detailedHealth(stack.runtime.url, "again@example.org")).data!.health;
    expect(again.status).toBe("OK");
    expect(again.installation).toEqual(installation);
    expect(pids(again.workers)).toEqual(pids(stack.runtime.workers));
    expect(again.workers.filter((w) => health.workers.some((h) => h.id === w.id))).toEqual([]);
    expect(await readFile(path.join(stack.runtime.storage, "tests", "restart.txt"), "utf8")).toBe("kept across restarts");
    expect(await stack.stop()).toBe(0);
  });

  it("recovers after the launcher is killed without a chance to clean up", async () => {
    const dir = await tempDataDir();
    try {
      const crashed = await startStack(dir);
      const workerPids = crashed.runtime.workers.map((w) => w.pid);
      crashed.child.kill("SIGKILL");
      await new Promise((resolve) => crashed.child.once("exit", resolve));
      // The orphaned workers notice their launcher is gone and leave by themselves.
      for (let i = 0; i < 100 && workerPids.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
      expect(workerPids.filter(alive)).toEqual([]);

      const restarted = await startStack(dir);
      const health = (await detailedHealth(restarted.runtime.url, "restarted@example.org")).data!.health;
      expect(health.status).toBe("OK");
      expect(pids(health.workers)).toEqual(pids(restarted.runtime.workers));
      expect(await restarted.stop()).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("stops cleanly when Ctrl-C comes in the middle of starting", async () => {
    // Ctrl-C at several moments of the start sequence; each must end with exit 0 and nothing left.
    for (const delayMs of [200, 1200, 2500, 4000]) {
      const dir = await tempDataDir();
      try {
        const child = spawn(process.execPath, [MAIN, "start"], {
          cwd: REPO_ROOT,
          env: cleanEnv({ DATA_DIR: dir, PORT: "0" }),
          stdio: ["ignore", "pipe", "pipe"],
          detached: true,
        });
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        const exited = new Promise<string>((resolve) => child.once("exit", (code, signal) => resolve(`${code ?? signal}`)));
        await sleep(delayMs);
        pressCtrlC(child);
        const how = await Promise.race([exited, sleep(30_000).then(() => "still running after 30 s")]);
        if (how === "SIGINT") {
          // Ctrl-C before the launcher had loaded: Node's default handling, nothing had started.
          expect(output).toBe("");
        } else {
          expect(how, `Ctrl-C after ${delayMs} ms:\n${output}`).toBe("0");
          expect(output).toMatch(/Loss Atlas stopped/);
        }
        expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
        for (let i = 0; i < 50 && processesOf(dir).length; i++) await sleep(100);
        expect(processesOf(dir), `left running after Ctrl-C at ${delayMs} ms`).toEqual([]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  });

  it("starts from a data folder inside a folder only its owner may enter", async () => {
    // As root (how CI and containers run it) PostgreSQL runs as the postgres user, which cannot
    // pass a 0700 folder; as any other user the folder is simply its own.
    const privateDir = await tempDataDir("lossatlas-private-");
    await chmod(privateDir, 0o700);
    const dir = path.join(privateDir, "home", "data");
    await mkdir(dir, { recursive: true });
    try {
      const started = await startStack(dir);
      const health = (await detailedHealth(started.runtime.url, "private@example.org")).data!.health;
      expect(health.status).toBe("OK");
      expect(health.database.ok).toBe(true);
      expect(await started.stop()).toBe(0);
      expect((await stat(privateDir)).mode & 0o777).toBe(0o700);
    } finally {
      const marker = path.join(dir, "postgres-cluster");
      if (existsSync(marker)) await rm((await readFile(marker, "utf8")).split("\n")[0]!, { recursive: true, force: true });
      await rm(privateDir, { recursive: true, force: true });
    }
  });
});
