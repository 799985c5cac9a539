/** What a worker's handler is given for a job it took, and the columns the operations read it from. */

/** A job as its handler sees it. */
export interface QueueJob<T = unknown> {
  id: string;
  name: string;
  data: T;
  /** Higher runs first. */
  priority: number;
  /** Runs of this job started before this one: 0 on the first run, `retryLimit` on the last. */
  retryCount: number;
  /** Runs after the first a failing job gets. */
  retryLimit: number;
  singletonKey: string | null;
  createdOn: Date;
  startedOn: Date;
}

/** The states a job goes through: waiting (created, or retry after a failure), active, then one of the last three. */
export type JobState = "created" | "retry" | "active" | "completed" | "failed" | "cancelled";

export const JOB_COLUMNS = `id, name, data, priority, retry_count AS "retryCount", retry_limit AS "retryLimit",
  singleton_key AS "singletonKey", created_on AS "createdOn", started_on AS "startedOn"`;

/** One run of a job: a job that ran again has a higher `retryCount`, so a late word from an earlier run changes nothing. */
export interface Attempt {
  id: string;
  retryCount: number;
}

/** Matches the attempts given as `$n` (ids) and `$n+1` (retry counts) that are still running. */
export function runningAttempts(ids: number): string {
  return `state = 'active' AND (id, retry_count) IN (SELECT * FROM unnest($${ids}::uuid[], $${ids + 1}::int[]))`;
}

export function attemptParams(attempts: readonly Attempt[]): [string[], number[]] {
  return [attempts.map((a) => a.id), attempts.map((a) => a.retryCount)];
}
