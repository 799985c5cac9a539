/**
 * Health probes. Each dependency is probed on its own with a time limit, so one hung component
 * reports itself as down instead of hanging the whole answer.
 */
import { describeError } from "../../errors.js";
import type { Config } from "../../config.js";
import type { Pool } from "../../db/pool.js";
import type { Queue } from "../../queue/queue.js";
import type { ObjectStore } from "../../storage/object-store.js";
import type { WorkerService } from "../workers/worker.service.js";
import { queueCounts } from "../../queue/queue.js";
import { describeS3Error } from "../../storage/s3-store.js";
import { VERSION } from "../../version.js";
import type { Health } from "./health.type.js";

const PROBE_TIMEOUT_MS = 3000;


/** What the probes look at: the process's dependencies, and when it started. */
export interface HealthSources {
  config: Config;
  pool: Pool;
  store: ObjectStore;
  queue: Queue;
  workers: WorkerService;
  /** True when the object store is the embedded one (one-machine mode). */
  embeddedStorage: boolean;
  startedAt: Date;
}

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

/** A full health report: every field of Health filled in (the installation while the database answers). */
export type HealthReport = { [K in keyof Health]: K extends "installation" ? Health[K] : NonNullable<Health[K]> };

/** Probes every dependency now (what the background snapshot runs). */
export async function checkHealth(services: HealthSources): Promise<HealthReport> {
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
    status: ok ? "ok" : "degraded",
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

/**
 * The health snapshot `health` answers from: probed in the background every `refreshSeconds`, so
 * a flood of `health` requests costs no database, storage or queue round trip at all.
 */
export class HealthMonitor {
  private snapshot: Promise<HealthReport> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private refreshing = false;

  /** @param services the process's services (a function: the monitor is one of them). */
  constructor(
    private readonly services: () => HealthSources,
    private readonly refreshSeconds: number,
  ) {}

  /** Takes the first snapshot and keeps refreshing it until `stop`. */
  start(): void {
    this.snapshot ??= checkHealth(this.services());
    this.timer ??= setInterval(() => void this.refresh(), this.refreshSeconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The latest snapshot, its uptime brought up to now. */
  async current(): Promise<HealthReport> {
    const health = await (this.snapshot ??= checkHealth(this.services()));
    return { ...health, uptimeSeconds: (Date.now() - this.services().startedAt.getTime()) / 1000 };
  }

  /** Probes now and replaces the snapshot (the background timer does this every few seconds). */
  async refresh(): Promise<void> {
    // A slow probe (up to PROBE_TIMEOUT_MS) never stacks refreshes on top of each other.
    if (this.refreshing) return;
    this.refreshing = true;
    try {
      const next = await checkHealth(this.services());
      this.snapshot = Promise.resolve(next);
    } finally {
      this.refreshing = false;
    }
  }
}
