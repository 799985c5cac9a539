/**
 * The job queue, in two tables of the service's PostgreSQL (`queues`, `queue_jobs`), so no extra
 * server runs. Workers take jobs with `FOR UPDATE SKIP LOCKED`, beat each running job's heartbeat,
 * and the API's maintenance fails the runs whose worker stopped beating (it died, or its machine
 * was lost), which then run again a second later. Each operation's SQL is in `sql/`.
 */
import pg from "pg";
import { StartupError, describeError } from "../errors.js";
import { isConnectionError, redactUrl, throttled, throttledConnectionLog } from "../db/pool.js";
import type { Db } from "../db/transaction.js";
import type { Logger } from "../logger.js";
import { type NewJob, addJobs } from "./sql/add-jobs.js";
import { type QueueOptions, createQueue } from "./sql/create-queue.js";
import { deleteFinishedJobs } from "./sql/delete-finished-jobs.js";
import type { Attempt, QueueJob } from "./sql/job.js";
import { type QueueStats, queueStats } from "./sql/queue-stats.js";
import { beatJobs, completeJob, failJobs, failLostJobs } from "./sql/settle-jobs.js";
import { takeNextJob } from "./sql/take-next-job.js";

export type { NewJob, QueueJob, QueueOptions, QueueStats };

export interface StartQueueOptions {
  /** Whether this process fails lost runs and deletes old jobs (the API: true; workers: false). Default true. */
  maintenance?: boolean;
  /** Seconds between maintenance passes (default 5): a dead worker's job runs again within its heartbeat window plus this. */
  superviseIntervalSeconds?: number;
  /** Seconds between the heartbeats of running jobs (default 3, a third of the usual 10 s window). */
  heartbeatIntervalSeconds?: number;
}

export interface SendOptions {
  /** Higher runs first (default 0). */
  priority?: number;
  /** While a job of the queue with this key waits or runs, sending another does nothing. */
  singletonKey?: string;
  /** Seconds before a worker may take it (default 0). */
  startAfter?: number;
  /** Sends inside the caller's transaction: the job exists only if that transaction commits. */
  db?: Db;
}

export interface WorkOptions {
  /** Seconds between looks at an empty queue (default 2); a queue with jobs is worked back to back. */
  pollingIntervalSeconds?: number;
  /** Takes only jobs of at least this priority (default: any). */
  minPriority?: number;
}

export interface StopOptions {
  /** Waits for running handlers (up to `timeout`) before failing what still runs (default true). */
  graceful?: boolean;
  /** Milliseconds to wait for running handlers (default 30000). */
  timeout?: number;
}

/** The handler of a queue's jobs: returning completes the job, throwing fails it (retried while it has retries). */
export type JobHandler = (job: QueueJob) => Promise<unknown>;

/** Completed jobs are kept an hour; failed ones a week (the sweeper reads how a finalize failed). */
const KEEP_COMPLETED_SECONDS = 60 * 60;
const KEEP_FAILED_SECONDS = 7 * 24 * 60 * 60;
/** Old jobs are deleted about once a minute, not on every maintenance pass. */
const DELETE_EVERY_MS = 60_000;

/** Starts the queue's connection pool (and maintenance when asked); the tables come from the migrations. */
export async function startQueue(databaseUrl: string, log: Logger, options: StartQueueOptions = {}): Promise<Queue> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4, application_name: "lossatlas-queue", connectionTimeoutMillis: 10_000 });
  const queue = new Queue(pool, log, options);
  try {
    // Only the connection: a worker may start before the API has migrated the database, and
    // then looks for jobs (logging why it finds none) until the tables are there.
    await pool.query("SELECT 1");
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new StartupError(`Could not start the job queue at ${redactUrl(databaseUrl)}: ${describeError(error) || "connection refused"}`);
  }
  queue.startMaintenance();
  return queue;
}

interface Subscription {
  name: string;
  handler: JobHandler;
  intervalMs: number;
  minPriority: number | null;
  /** Ends when the loop has stopped taking jobs and its last handler returned. */
  done?: Promise<void>;
  /** The look for a job in progress, if any. */
  taking?: Promise<unknown>;
  /** Ends an idle wait early (at stop). */
  wake?: () => void;
}

export class Queue {
  private readonly subscriptions: Subscription[] = [];
  /** Runs in progress in this process, by job id. */
  private readonly running = new Map<string, Attempt>();
  private stopping = false;
  /** Past the stop's grace period: a job taken now is failed back at once, not run. */
  private graceExpired = false;
  private closed = false;
  private heartbeat?: NodeJS.Timeout;
  private supervisor?: NodeJS.Timeout;
  private maintaining?: Promise<void>;
  private lastDelete = 0;
  private readonly report: (error: unknown) => void;

  constructor(
    private readonly pool: pg.Pool,
    private readonly log: Logger,
    private readonly options: StartQueueOptions = {},
  ) {
    // While the database is away every poll fails the same way: logged once per kind and interval.
    const unreachable = throttledConnectionLog(log);
    const queueError = throttled(log, (error) => log.error({ err: error }, "queue error"));
    this.report = (error) => (isConnectionError(error) ? unreachable(error) : queueError(error));
    // An idle client can lose its connection (database restart); the pool makes new ones by itself.
    pool.on("error", this.report);
    pool.on("connect", (client) => client.on("error", this.report));
  }

  /** Creates a queue, or updates its options for the jobs sent from now on. */
  async createQueue(name: string, options: QueueOptions = {}): Promise<void> {
    await createQueue(this.pool, name, options);
  }

  /** Every queue with its job counts. */
  async getQueues(): Promise<QueueStats[]> {
    return queueStats(this.pool);
  }

  /** Sends one job; returns its id, or null when a job with its singleton key waits or runs already. */
  async send(name: string, data: unknown, options: SendOptions = {}): Promise<string | null> {
    const { db, ...job } = options;
    const [id] = await addJobs(db ?? this.pool, name, [{ data, ...job }]);
    return id ?? null;
  }

  /** Sends many jobs in one statement; returns the ids of those added. */
  async insert(name: string, jobs: readonly NewJob[], options: { db?: Db } = {}): Promise<string[]> {
    return addJobs(options.db ?? this.pool, name, jobs);
  }

  /**
   * Works a queue's jobs one at a time, as its own loop: the next job is taken as soon as one is
   * done, and an empty queue is looked at again every `pollingIntervalSeconds`. Call it again for
   * more jobs of the same queue at once.
   */
  async work(name: string, options: WorkOptions, handler: JobHandler): Promise<void> {
    if (this.stopping) throw new Error("The queue is stopping");
    const subscription: Subscription = {
      name,
      handler,
      intervalMs: Math.max(0.05, options.pollingIntervalSeconds ?? 2) * 1000,
      minPriority: options.minPriority ?? null,
    };
    this.subscriptions.push(subscription);
    this.startHeartbeat();
    subscription.done = this.loop(subscription);
  }

  /**
   * Stops taking jobs and waits up to `timeout` for the running handlers; the runs still going then
   * are failed, so the queue runs them again a second later (their handlers are not interrupted,
   * and whatever they report afterwards is ignored). Then closes the pool.
   */
  async stop(options: StopOptions = {}): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearInterval(this.supervisor);
    for (const subscription of this.subscriptions) subscription.wake?.();
    const loops = Promise.all(this.subscriptions.map((s) => s.done));
    if (options.graceful ?? true) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([loops, new Promise<void>((resolve) => (timer = setTimeout(resolve, options.timeout ?? 30_000)))]);
      clearTimeout(timer);
    }
    this.graceExpired = true;
    // A look for a job that was under way takes it; it is failed back with the others.
    await Promise.all(this.subscriptions.map((s) => s.taking?.catch(() => undefined)));
    clearInterval(this.heartbeat);
    const left = [...this.running.values()];
    this.running.clear();
    try {
      if (left.length) await failJobs(this.pool, left, new Error("the worker stopped while the job was running"));
    } finally {
      await this.maintaining;
      this.closed = true;
      await this.pool.end();
    }
  }

  /** Runs maintenance every few seconds, when this process was asked to. */
  startMaintenance(): void {
    if (!(this.options.maintenance ?? true) || this.supervisor) return;
    const pass = () => {
      if (this.maintaining || this.stopping) return;
      this.maintaining = this.maintain()
        .catch(this.report)
        .finally(() => (this.maintaining = undefined));
    };
    this.supervisor = setInterval(pass, (this.options.superviseIntervalSeconds ?? 5) * 1000);
    this.supervisor.unref();
    pass();
  }

  /** Fails the runs whose worker is gone or that ran too long, and now and then deletes old jobs. */
  private async maintain(): Promise<void> {
    const lost = await failLostJobs(this.pool);
    if (lost) this.log.info({ jobs: lost }, "failed jobs whose worker stopped beating or that ran past their expiry; they run again");
    if (Date.now() - this.lastDelete >= DELETE_EVERY_MS) {
      await deleteFinishedJobs(this.pool, KEEP_COMPLETED_SECONDS, KEEP_FAILED_SECONDS);
      this.lastDelete = Date.now();
    }
  }

  /** One heartbeat for every job this process is running, every few seconds. */
  private startHeartbeat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(
      () => {
        if (this.running.size === 0 || this.closed) return;
        beatJobs(this.pool, [...this.running.values()]).catch(this.report);
      },
      (this.options.heartbeatIntervalSeconds ?? 3) * 1000,
    );
    this.heartbeat.unref();
  }

  private async loop(subscription: Subscription): Promise<void> {
    while (!this.stopping) {
      let job: QueueJob | null = null;
      try {
        const taking = takeNextJob(this.pool, subscription.name, subscription.minPriority);
        subscription.taking = taking;
        job = await taking;
      } catch (error) {
        this.report(error);
      } finally {
        subscription.taking = undefined;
      }
      if (job) await this.run(job, subscription.handler);
      else if (!this.stopping) await this.idle(subscription);
    }
  }

  /** Runs one job's handler, then records how it ended (unless the stop already failed it back). */
  private async run(job: QueueJob, handler: JobHandler): Promise<void> {
    const attempt = { id: job.id, retryCount: job.retryCount };
    this.running.set(job.id, attempt);
    if (this.graceExpired) return; // failed back by stop() with the other runs left
    let settle: () => Promise<unknown>;
    try {
      const output = await handler(job);
      settle = () => completeJob(this.pool, attempt, output);
    } catch (error) {
      settle = () => failJobs(this.pool, [attempt], error);
    }
    // A run the stop has failed back is no longer this process's to settle.
    if (!this.running.delete(job.id) || this.closed) return;
    // Not settled (the database is away): the run stops beating, and maintenance fails it.
    await settle().catch(this.report);
  }

  private idle(subscription: Subscription): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, subscription.intervalMs);
      function done() {
        clearTimeout(timer);
        subscription.wake = undefined;
        resolve();
      }
      subscription.wake = done;
    });
  }
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
