/** How a run ends: done, failed (retried while it has retries left), or its worker still alive (a heartbeat). */
import type { Db } from "../../db/transaction.js";
import { type Attempt, attemptParams, runningAttempts } from "./job.js";

/** Marks a run done with its output; a run that is no longer this attempt's is left alone. Returns whether it was. */
export async function completeJob(db: Db, attempt: Attempt, output: unknown): Promise<boolean> {
  const result = await db.query(
    `UPDATE queue_jobs SET state = 'completed', completed_on = now(), output = $3::jsonb WHERE ${runningAttempts(1)}`,
    [...attemptParams([attempt]), JSON.stringify(output ?? null)],
  );
  return (result.rowCount ?? 0) > 0;
}

/**
 * A failed job waits `retry_delay` seconds and runs again while it has retries left, and is
 * failed for good after its last run.
 */
const FAIL = `state = CASE WHEN retry_count < retry_limit THEN 'retry' ELSE 'failed' END,
  start_after = CASE WHEN retry_count < retry_limit THEN now() + retry_delay * interval '1 second' ELSE start_after END,
  completed_on = CASE WHEN retry_count < retry_limit THEN NULL ELSE now() END`;

/** Fails runs (a handler threw, or its worker is stopping); returns how many were still running. */
export async function failJobs(db: Db, attempts: readonly Attempt[], error: unknown): Promise<number> {
  if (attempts.length === 0) return 0;
  const result = await db.query(`UPDATE queue_jobs SET ${FAIL}, output = $3::jsonb WHERE ${runningAttempts(1)}`, [
    ...attemptParams(attempts),
    JSON.stringify(errorOutput(error)),
  ]);
  return result.rowCount ?? 0;
}

/**
 * Fails the runs whose worker stopped beating for longer than their queue's heartbeat window (the
 * process died, or its machine was lost) or that ran past their expiry. Returns how many.
 */
export async function failLostJobs(db: Db): Promise<number> {
  const result = await db.query(
    `UPDATE queue_jobs SET ${FAIL},
            output = CASE WHEN started_on < now() - expire_seconds * interval '1 second'
                          THEN '{"message": "the job ran past its expiry"}'::jsonb
                          ELSE '{"message": "the job''s worker stopped sending heartbeats"}'::jsonb END
      WHERE state = 'active'
        AND ((heartbeat_seconds IS NOT NULL AND heartbeat_on < now() - heartbeat_seconds * interval '1 second')
             OR started_on < now() - expire_seconds * interval '1 second')`,
  );
  return result.rowCount ?? 0;
}

/** Tells the queue the workers of these runs are alive. */
export async function beatJobs(db: Db, attempts: readonly Attempt[]): Promise<void> {
  if (attempts.length === 0) return;
  await db.query(`UPDATE queue_jobs SET heartbeat_on = now() WHERE ${runningAttempts(1)}`, attemptParams(attempts));
}

/** What a failed run keeps of its error. */
function errorOutput(error: unknown): { message: string; name?: string; code?: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { message: error.message, name: error.name, ...(typeof code === "string" ? { code } : {}) };
  }
  return { message: String(error) };
}
