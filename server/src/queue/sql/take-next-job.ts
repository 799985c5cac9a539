import type { Db } from "../../db/transaction.js";
import { JOB_COLUMNS, type QueueJob } from "./job.js";

/**
 * Takes the queue's next waiting job that may start now (priority at least `minPriority`), highest
 * priority first, then the oldest; null when there is none. Rows another worker is taking are
 * skipped, so two workers never take the same job. A job taken again counts one more retry.
 */
export async function takeNextJob(db: Db, name: string, minPriority: number | null): Promise<QueueJob | null> {
  const result = await db.query<QueueJob>(
    `WITH next AS (
       SELECT id AS next_id FROM queue_jobs
        WHERE name = $1 AND state IN ('created', 'retry') AND start_after <= now() AND ($2::int IS NULL OR priority >= $2)
        ORDER BY priority DESC, created_on, seq
        LIMIT 1
        FOR UPDATE SKIP LOCKED
     )
     UPDATE queue_jobs j
        SET state = 'active', started_on = now(), heartbeat_on = now(),
            retry_count = CASE WHEN j.started_on IS NULL THEN j.retry_count ELSE j.retry_count + 1 END
       FROM next WHERE j.id = next.next_id
     RETURNING ${JOB_COLUMNS}`,
    [name, minPriority],
  );
  return result.rows[0] ?? null;
}
