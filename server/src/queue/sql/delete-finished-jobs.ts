import type { Db } from "../../db/transaction.js";

/**
 * Deletes jobs that completed or were cancelled more than `keepSeconds` ago, and jobs that failed
 * for good more than `keepFailedSeconds` ago (the sweeper reads how a surface's finalize failed).
 * Returns how many.
 */
export async function deleteFinishedJobs(db: Db, keepSeconds: number, keepFailedSeconds: number): Promise<number> {
  const result = await db.query(
    `DELETE FROM queue_jobs
      WHERE (state IN ('completed', 'cancelled') AND completed_on < now() - $1 * interval '1 second')
         OR (state = 'failed' AND completed_on < now() - $2 * interval '1 second')`,
    [keepSeconds, keepFailedSeconds],
  );
  return result.rowCount ?? 0;
}
