/**
 * The job queue: pg-boss in its own schema of the service's PostgreSQL, so no extra server runs.
 */
import { PgBoss } from "pg-boss";
import { StartupError, describeError } from "../errors.js";
import { isConnectionError, throttled, throttledConnectionLog } from "../db/pool.js";
import type { Logger } from "../logger.js";

export type Queue = PgBoss;

/** Starts pg-boss (installing or upgrading its schema when needed). */
export async function startQueue(databaseUrl: string, log: Logger, options: { maintenance?: boolean } = {}): Promise<Queue> {
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema: "pgboss",
    max: 4,
    application_name: "lossatlas-queue",
    // Only one kind of process (the API) needs to run queue maintenance; workers just take jobs.
    supervise: options.maintenance ?? true,
    schedule: options.maintenance ?? true,
    // Checked often, so a job whose worker died (no heartbeat) runs again within seconds.
    superviseIntervalSeconds: 5,
    monitorIntervalSeconds: 5,
    // Workers read each queue's backlog from this cache to take jobs back to back (see take-jobs.ts).
    queueCacheIntervalSeconds: 5,
  });
  // pg-boss keeps polling while the database is away and carries on when it is back; meanwhile
  // each poll reports the same failure, logged once per kind and interval.
  const unreachable = throttledConnectionLog(log);
  const queueError = throttled(log, (error) => log.error({ err: error }, "queue error"));
  boss.on("error", (error) => {
    if (isConnectionError(error)) unreachable(error);
    else queueError(error);
  });
  try {
    await boss.start();
  } catch (error) {
    throw new StartupError(`Could not start the job queue: ${describeError(error)}`);
  }
  return boss;
}

export interface QueueCounts {
  queues: number;
  queued: number;
  active: number;
  failed: number;
}

/** Job counts over every queue, for health and dashboards. */
export async function queueCounts(queue: Queue): Promise<QueueCounts> {
  const queues = await queue.getQueues();
  return queues.reduce<QueueCounts>(
    (sum, q) => ({
      queues: sum.queues + 1,
      queued: sum.queued + q.queuedCount,
      active: sum.active + q.activeCount,
      failed: sum.failed + q.failedCount,
    }),
    { queues: 0, queued: 0, active: 0, failed: 0 },
  );
}
