import type { Db } from "../../db/transaction.js";

/** A job to send. */
export interface NewJob {
  data: unknown;
  /** Higher runs first (default 0). */
  priority?: number;
  /** While a job of the queue with this key waits or runs, this one is not added. */
  singletonKey?: string;
  /** Seconds before a worker may take it (default 0). */
  startAfter?: number;
}

/**
 * Adds jobs to a queue in one statement, with the queue's options; a job whose singleton key is
 * taken is left out. Returns the ids of the jobs added. Throws when the queue does not exist.
 */
export async function addJobs(db: Db, name: string, jobs: readonly NewJob[]): Promise<string[]> {
  if (jobs.length === 0) return [];
  const rows = jobs.map((job) => ({ data: job.data ?? {}, priority: job.priority ?? 0, singleton_key: job.singletonKey ?? null, start_after: job.startAfter ?? 0 }));
  const result = await db.query<{ id: string | null; queue: string | null }>(
    `WITH queue AS (SELECT * FROM queues WHERE name = $1),
     added AS (
       INSERT INTO queue_jobs (name, data, priority, singleton_key, start_after, retry_limit, retry_delay, expire_seconds, heartbeat_seconds)
       SELECT q.name, j.data, j.priority, j.singleton_key, now() + j.start_after * interval '1 second',
              q.retry_limit, q.retry_delay, q.expire_seconds, q.heartbeat_seconds
         FROM queue q, jsonb_to_recordset($2::jsonb) AS j (data jsonb, priority int, singleton_key text, start_after double precision)
       ON CONFLICT (name, singleton_key) WHERE singleton_key IS NOT NULL AND state IN ('created', 'retry', 'active') DO NOTHING
       RETURNING id
     )
     SELECT added.id, NULL AS queue FROM added
     UNION ALL SELECT NULL, name FROM queue`,
    [name, JSON.stringify(rows)],
  );
  if (!result.rows.some((row) => row.queue !== null)) throw new Error(`The queue "${name}" does not exist`);
  return result.rows.flatMap((row) => (row.id === null ? [] : [row.id]));
}
