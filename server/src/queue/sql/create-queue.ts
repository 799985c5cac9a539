import type { Db } from "../../db/transaction.js";

/** A queue's options, copied onto each job sent to it. */
export interface QueueOptions {
  /** Runs after the first that a failing job gets (default 2). */
  retryLimit?: number;
  /** Seconds from a failure to the next run (default 0). */
  retryDelay?: number;
  /** Seconds a run may take before it is failed and retried (default 900). */
  expireInSeconds?: number;
  /** Seconds without a heartbeat after which a run's worker counts as dead (default: none). */
  heartbeatSeconds?: number;
}

/** Creates a queue, or sets the options of an existing one (for jobs sent from now on). */
export async function createQueue(db: Db, name: string, options: QueueOptions = {}): Promise<void> {
  await db.query(
    `INSERT INTO queues (name, retry_limit, retry_delay, expire_seconds, heartbeat_seconds)
     VALUES ($1, coalesce($2, 2), coalesce($3, 0), coalesce($4, 900), $5)
     ON CONFLICT (name) DO UPDATE SET retry_limit = EXCLUDED.retry_limit, retry_delay = EXCLUDED.retry_delay,
       expire_seconds = EXCLUDED.expire_seconds, heartbeat_seconds = EXCLUDED.heartbeat_seconds`,
    [name, options.retryLimit ?? null, options.retryDelay ?? null, options.expireInSeconds ?? null, options.heartbeatSeconds ?? null],
  );
}
