/**
 * Health probes. Each dependency is probed on its own with a time limit, so one hung component
 * reports itself as down instead of hanging the whole answer.
 */
import { describeError } from "../../errors.js";
import type { Services } from "../../graphql/context.js";
import { queueCounts } from "../../queue/queue.js";
import { describeS3Error } from "../../storage/s3-store.js";
import { VERSION } from "../../version.js";
import { type Health, HealthStatus } from "./health.type.js";

const PROBE_TIMEOUT_MS = 3000;

async function probe<T>(run: () => Promise<T>, describe: (error: unknown) => string = describeError) {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const value = await Promise.race([
      run(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
      }),
    ]);
    return { ok: true as const, value, latencyMs: performance.now() - started, error: null };
  } catch (error) {
    return { ok: false as const, value: undefined, latencyMs: performance.now() - started, error: describe(error) || "failed" };
  } finally {
    clearTimeout(timer);
  }
}

export async function checkHealth(services: Services): Promise<Health> {
  const { pool, store, queue, workers, config } = services;
  const [database, installation, storage, jobs, live] = await Promise.all([
    probe(async () => (await pool.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? null),
    probe(async () => (await pool.query<{ id: string; created_at: Date }>("SELECT id, created_at FROM installation")).rows[0]),
    probe(() => store.ping(), describeS3Error),
    probe(() => queueCounts(queue)),
    probe(() => workers.live(config.workers.timeoutSeconds)),
  ]);
  const ok = database.ok && storage.ok && jobs.ok;
  return {
    status: ok ? HealthStatus.OK : HealthStatus.DEGRADED,
    version: VERSION,
    uptimeSeconds: (Date.now() - services.startedAt.getTime()) / 1000,
    installation: installation.value ? { id: installation.value.id, createdAt: installation.value.created_at } : null,
    database: {
      ok: database.ok,
      latencyMs: database.latencyMs,
      error: database.error,
      serverVersion: database.value ?? null,
      embedded: config.database.url === undefined,
    },
    storage: {
      ok: storage.ok,
      latencyMs: storage.latencyMs,
      error: storage.error,
      bucket: config.storage.bucket,
      embedded: services.embeddedStorage,
    },
    queue: {
      ok: jobs.ok,
      latencyMs: jobs.latencyMs,
      error: jobs.error,
      queued: jobs.value?.queued ?? 0,
      active: jobs.value?.active ?? 0,
      failed: jobs.value?.failed ?? 0,
    },
    workers: live.value ?? [],
  };
}
