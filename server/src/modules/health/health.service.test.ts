import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../config.js";
import { readdirSync } from "node:fs";
import { MIGRATIONS_DIR, migrate } from "../../db/migrate.js";
import type { Services } from "../../graphql/context.js";
import { type Queue, startQueue } from "../../queue/queue.js";
import { type TestPlatform, startTestPlatform, testLogger } from "../../testing/platform.js";
import { buildServices } from "../../api.js";
import { ProgressHub } from "../surfaces/progress-hub.js";
import { HealthMonitor, checkHealth } from "./health.service.js";
import { HealthStatus } from "./health.type.js";
import { until } from "../../testing/wait.js";

describe("health against real PostgreSQL, object storage and queue", () => {
  let platform: TestPlatform;
  let queue: Queue;
  let services: Services;
  let progress: ProgressHub;

  beforeAll(async () => {
    platform = await startTestPlatform();
    queue = await startQueue(platform.postgres.url, testLogger);
    progress = new ProgressHub(platform.postgres.url, testLogger);
    services = buildServices({
      config: parseConfig({ WORKER_TIMEOUT_SECONDS: "2" }),
      pool: platform.pool,
      store: platform.store,
      queue,
      progress,
      log: testLogger,
      publicUrl: "http://localhost:4000",
      storage: platform.storage,
    });
  });

  afterAll(async () => {
    await queue?.stop({ graceful: false });
    await platform?.stop();
  });

  it("migrations are recorded and applying them again changes nothing", async () => {
    expect(await migrate(platform.pool)).toEqual([]);
    const versions = await platform.pool.query<{ version: number }>("SELECT version FROM schemaversion WHERE version > 0 ORDER BY version");
    const files = readdirSync(MIGRATIONS_DIR).filter((f) => /^\d+\.do\..+\.sql$/.test(f));
    expect(versions.rows.map((r) => Number(r.version))).toEqual(files.map((f) => Number.parseInt(f, 10)).sort((a, b) => a - b));
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it("reports every component ok, with the installation and live workers", async () => {
    const id = await services.workers.register({ backend: "wasm", device: "test CPU", gpu: false }, "0.0.0-test");
    const health = await checkHealth(services);
    expect(health.status).toBe(HealthStatus.OK);
    expect(health.database.ok).toBe(true);
    expect(health.database.serverVersion).toMatch(/^18\./);
    expect(health.storage).toMatchObject({ ok: true, bucket: "lossatlas", embedded: true, error: null });
    expect(health.queue).toMatchObject({ ok: true, queued: 0, active: 0 });
    expect(health.installation?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(health.workers.map((w) => w.id)).toContain(id);
    await services.workers.signOff(id);
    expect((await checkHealth(services)).workers.map((w) => w.id)).not.toContain(id);
  });

  it("drops a worker whose heartbeats stop, and keeps one that beats", async () => {
    const silent = await services.workers.register({ backend: "cpu", device: "test", gpu: false }, "t");
    const beating = await services.workers.register({ backend: "tensorflow-gpu", device: "GPU", gpu: true }, "t");
    // Here the waits are the point: a heartbeat's age is measured by the clock, so the silent
    // worker must really be silent for longer than the 2 s window asked for below.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await services.workers.heartbeat(beating);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const live = (await services.workers.live(2)).map((w) => w.id);
    expect(live).toContain(beating);
    expect(live).not.toContain(silent);
  });

  it("signs off workers of this host whose process is gone", async () => {
    const result = await platform.pool.query<{ id: string }>(
      `INSERT INTO workers (hostname, pid, backend, device, version) VALUES ($1, 2147483646, 'wasm', 'x', 't') RETURNING id`,
      [(await import("node:os")).hostname()],
    );
    expect(await services.workers.signOffDeadLocal()).toBeGreaterThanOrEqual(1);
    const row = await platform.pool.query("SELECT stopped_at FROM workers WHERE id = $1", [result.rows[0]!.id]);
    expect(row.rows[0].stopped_at).toBeInstanceOf(Date);
  });

  it("answers from a snapshot: no probe per call, a fresh one in the background", async () => {
    const monitor = new HealthMonitor(() => services, 1);
    const probes = () => platform.pool.query<{ n: string }>("SELECT count(*)::text AS n FROM workers").then((r) => r.rows[0]!.n);
    const before = await monitor.current();
    const again = await monitor.current();
    // The same probe results: nothing was asked of the database, storage or queue in between.
    expect(again.database.latencyMs).toBe(before.database.latencyMs);
    expect(again.storage.latencyMs).toBe(before.storage.latencyMs);
    const id = await services.workers.register({ backend: "cpu", device: "snapshot", gpu: false }, "t");
    expect((await monitor.current()).workers.map((w) => w.id)).not.toContain(id);
    monitor.start();
    try {
      await until(
        "the snapshot to refresh in the background",
        async () => (await monitor.current()).workers.some((w) => w.id === id) || `not refreshed yet; ${await probes()} workers in the table`,
        (refreshed) => refreshed === true,
        { timeoutMs: 30_000, intervalMs: 100 },
      );
    } finally {
      monitor.stop();
      await services.workers.signOff(id);
    }
  });

  it("turns degraded, naming the cause, when object storage goes away", async () => {
    // The file store's folder disappears (a disk unmounted under the service).
    if (platform.storage.kind !== "files") throw new Error("this test runs on the file store");
    await (await import("node:fs/promises")).rm(platform.storage.dir, { recursive: true, force: true });
    const health = await checkHealth(services);
    expect(health.status).toBe(HealthStatus.DEGRADED);
    expect(health.storage.ok).toBe(false);
    expect(health.storage.error).toBeTruthy();
    expect(health.database.ok).toBe(true);
  });
});
