/**
 * Reading the queue's table (`queue_jobs`, see queue/): whether work has a live job, and how a job ended.
 * The SQL that asks whether a row of ours has a live job lives beside that row's other operations.
 */
import { JOBS } from "../../jobs/definitions.js";
import type { Db } from "../../db/transaction.js";

/** Jobs of the queue not yet done (waiting, waiting to retry, or being worked on). */
export const LIVE_JOB = `state IN ('created', 'retry', 'active')`;

/**
 * How many times a surface's failed finalize job was started (its retries plus one), or null when
 * it has no failed finalize job.
 */
export async function failedFinalizeStarts(db: Db, surfaceId: string): Promise<number | null> {
  const row = (
    await db.query<{ starts: number | null }>(
      `SELECT max(retry_count + 1)::int AS starts FROM queue_jobs WHERE name = $1 AND state = 'failed' AND data->>'surfaceId' = $2`,
      [JOBS.surfaceFinalize.name, surfaceId],
    )
  ).rows[0];
  return row?.starts ?? null;
}
