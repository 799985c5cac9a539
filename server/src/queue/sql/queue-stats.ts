import type { Db } from "../../db/transaction.js";

export interface QueueStats {
  name: string;
  /** Jobs waiting (new, or to run again after a failure), including those not due yet. */
  queuedCount: number;
  activeCount: number;
  /** Jobs that failed for good and are still kept. */
  failedCount: number;
}

/** Every queue with its job counts, by name. */
export async function queueStats(db: Db): Promise<QueueStats[]> {
  const result = await db.query<QueueStats>(
    `SELECT q.name,
            count(*) FILTER (WHERE j.state IN ('created', 'retry'))::int AS "queuedCount",
            count(*) FILTER (WHERE j.state = 'active')::int AS "activeCount",
            count(*) FILTER (WHERE j.state = 'failed')::int AS "failedCount"
       FROM queues q LEFT JOIN queue_jobs j ON j.name = q.name
      GROUP BY q.name ORDER BY q.name`,
  );
  return result.rows;
}
