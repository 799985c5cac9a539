/**
 * The job queue against a real PostgreSQL: order, singleton keys, transactional sends, retries,
 * a worker cut off from the database, an orderly stop, and workers racing for the same jobs.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type TestPlatform, startTestPlatform, testLogger } from "../testing/platform.js";
import { until } from "../testing/wait.js";
import { type Queue, type QueueJob, startQueue } from "./queue.js";

interface JobRow {
  state: string;
  retry_count: number;
  output: { message?: string } | null;
  start_after: Date;
  now: Date;
}

describe("job queue on PostgreSQL", () => {
  let platform: TestPlatform;
  /** Queues started by a test, stopped after it. */
  let started: Queue[] = [];
  let names = 0;

  const open = async (options: Parameters<typeof startQueue>[2] = { maintenance: false }) => {
    const queue = await startQueue(platform.postgres.url, testLogger, options);
    started.push(queue);
    return queue;
  };
  /** A queue name of its own for each test. */
  const fresh = async (queue: Queue, options: Parameters<Queue["createQueue"]>[1] = {}) => {
    const name = `test-${++names}`;
    await queue.createQueue(name, options);
    return name;
  };
  const row = async (id: string) =>
    (await platform.pool.query<JobRow>(`SELECT state, retry_count, output, start_after, now() AS now FROM queue_jobs WHERE id = $1`, [id])).rows[0]!;
  const count = async (name: string) => (await platform.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM queue_jobs WHERE name = $1`, [name])).rows[0]!.n;

  beforeAll(async () => {
    platform = await startTestPlatform();
  });

  afterEach(async () => {
    await Promise.all(started.map((queue) => queue.stop({ graceful: false }).catch(() => undefined)));
    started = [];
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it("runs the highest priority first, then the oldest, and a minPriority worker takes only what it asks for", async () => {
    const queue = await open();
    const name = await fresh(queue);
    await queue.send(name, { n: "low" }, { priority: -3 });
    await queue.send(name, { n: "first zero" });
    await queue.send(name, { n: "high" }, { priority: 5 });
    await queue.send(name, { n: "second zero" });
    const picky: string[] = [];
    await queue.work(name, { pollingIntervalSeconds: 0.1, minPriority: 0 }, async (job) => void picky.push((job.data as { n: string }).n));
    await until("the jobs of priority 0 and up", async () => picky, (seen) => seen.length === 3);
    expect(picky).toEqual(["high", "first zero", "second zero"]);
    // The low one waits for a worker that takes anything.
    const low = (await platform.pool.query<{ state: string }>(`SELECT state FROM queue_jobs WHERE name = $1 AND priority = -3`, [name])).rows[0]!;
    expect(low.state).toBe("created");
    const any: string[] = [];
    await queue.work(name, { pollingIntervalSeconds: 0.1 }, async (job) => void any.push((job.data as { n: string }).n));
    await until("the low-priority job", async () => any, (seen) => seen.length === 1);
    expect(any).toEqual(["low"]);
    expect(picky).toHaveLength(3);
  });

  it("adds no second job with a singleton key while one with it waits or runs, and does again once it is done", async () => {
    const queue = await open();
    const name = await fresh(queue);
    const first = await queue.send(name, { n: 1 }, { singletonKey: "k" });
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(await queue.send(name, { n: 2 }, { singletonKey: "k" })).toBeNull();
    expect(await queue.insert(name, [{ data: { n: 3 }, singletonKey: "k" }, { data: { n: 4 }, singletonKey: "other" }])).toHaveLength(1);
    // Another queue's key is its own.
    const other = await fresh(queue);
    expect(await queue.send(other, { n: 5 }, { singletonKey: "k" })).not.toBeNull();

    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const ran: number[] = [];
    await queue.work(name, { pollingIntervalSeconds: 0.1 }, async (job) => {
      ran.push((job.data as { n: number }).n);
      if (job.id === first) await released;
    });
    await until("the keyed job to run", () => row(first!), (r) => r.state === "active");
    expect(await queue.send(name, { n: 6 }, { singletonKey: "k" })).toBeNull();
    release();
    await until("the keyed job to complete", () => row(first!), (r) => r.state === "completed");
    const again = await queue.send(name, { n: 7 }, { singletonKey: "k" });
    expect(again).not.toBeNull();
    await until("the job sent again to run", async () => ran, (seen) => seen.includes(7));
    expect(ran.sort()).toEqual([1, 4, 7]);
  });

  it("sends inside the caller's transaction: rolled back, nothing is queued", async () => {
    const queue = await open();
    const name = await fresh(queue);
    const client = await platform.pool.connect();
    try {
      await client.query("BEGIN");
      expect(await queue.send(name, { n: 1 }, { db: client })).not.toBeNull();
      await queue.insert(name, [{ data: { n: 2 } }, { data: { n: 3 } }], { db: client });
      // Not visible outside the transaction before it commits.
      expect(await count(name)).toBe(0);
      await client.query("ROLLBACK");
      expect(await count(name)).toBe(0);
      await client.query("BEGIN");
      await queue.send(name, { n: 4 }, { db: client });
      await client.query("COMMIT");
      expect(await count(name)).toBe(1);
    } finally {
      client.release();
    }
    await expect(queue.send("no-such-queue", {})).rejects.toThrow('The queue "no-such-queue" does not exist');
  });

  it("runs a failing job again after the retry delay, up to the retry limit, then fails it with its retry count", async () => {
    const queue = await open();
    const name = await fresh(queue, { retryLimit: 2, retryDelay: 1 });
    const runs: { retryCount: number; retryLimit: number; at: number }[] = [];
    await queue.work(name, { pollingIntervalSeconds: 0.1 }, async (job) => {
      runs.push({ retryCount: job.retryCount, retryLimit: job.retryLimit, at: performance.now() });
      throw new Error(`run ${job.retryCount} broke`);
    });
    const id = (await queue.send(name, { n: 1 }))!;
    const failed = await until("the job to fail for good", () => row(id), (r) => r.state === "failed", { timeoutMs: 20_000 });
    expect(runs.map((r) => [r.retryCount, r.retryLimit])).toEqual([
      [0, 2],
      [1, 2],
      [2, 2],
    ]);
    // Each run waited out the retry delay after the one before.
    expect(runs[1]!.at - runs[0]!.at).toBeGreaterThanOrEqual(900);
    expect(runs[2]!.at - runs[1]!.at).toBeGreaterThanOrEqual(900);
    expect(failed).toMatchObject({ retry_count: 2, output: { message: "run 2 broke" } });
    // Not run again.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(runs).toHaveLength(3);
  });

  it("runs a job again when its worker is cut off from the database, and keeps a long job that beats", async () => {
    // A second role, so one worker can lose the database while the others keep it.
    await platform.pool.query(`DROP ROLE IF EXISTS queue_test_worker`);
    await platform.pool.query(`CREATE ROLE queue_test_worker LOGIN PASSWORD 'lost-machine'`);
    await platform.pool.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON queues, queue_jobs TO queue_test_worker`);
    const url = new URL(platform.postgres.url);
    url.username = "queue_test_worker";
    url.password = "lost-machine";

    const supervisor = await open({ maintenance: true, superviseIntervalSeconds: 1 });
    const name = await fresh(supervisor, { heartbeatSeconds: 2, retryLimit: 3, retryDelay: 0 });
    const doomed = await startQueue(url.toString(), testLogger, { maintenance: false, heartbeatIntervalSeconds: 0.5 });
    started.push(doomed);
    let finishDoomed!: () => void;
    const doomedRuns: QueueJob[] = [];
    await doomed.work(name, { pollingIntervalSeconds: 0.1 }, async (job) => {
      doomedRuns.push(job);
      await new Promise<void>((resolve) => (finishDoomed = resolve));
    });
    // A job running longer than the heartbeat window stays with its worker while it beats.
    const id = (await supervisor.send(name, { n: 1 }))!;
    await until("the worker to take the job", async () => doomedRuns, (runs) => runs.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 4500));
    expect(await row(id)).toMatchObject({ state: "active", retry_count: 0 });

    // Its machine is lost: no more heartbeats, nor anything else.
    await platform.pool.query(`ALTER ROLE queue_test_worker NOLOGIN`);
    await platform.pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'queue_test_worker'`);
    const cutOff = performance.now();
    const rescued: QueueJob[] = [];
    const survivor = await open({ maintenance: false });
    await survivor.work(name, { pollingIntervalSeconds: 0.1 }, async (job) => void rescued.push(job));
    await until("another worker to run the job again", async () => rescued, (runs) => runs.length === 1, { timeoutMs: 15_000 });
    // Within the heartbeat window (2 s) and a maintenance pass (1 s), and some slack.
    expect(performance.now() - cutOff).toBeLessThan(6000);
    expect(rescued[0]).toMatchObject({ id, retryCount: 1 });
    await until("the job to complete", () => row(id), (r) => r.state === "completed");

    // The cut-off worker's late word changes nothing.
    finishDoomed();
    await doomed.stop({ graceful: false }).catch(() => undefined);
    expect(await row(id)).toMatchObject({ state: "completed", retry_count: 1 });
    expect(doomedRuns).toHaveLength(1);
    await platform.pool.query(`REVOKE ALL ON queues, queue_jobs FROM queue_test_worker`);
    await platform.pool.query(`DROP ROLE queue_test_worker`);
  });

  it("an orderly stop lets short jobs finish and fails the rest back to the queue, which runs them a second later", async () => {
    const stopping = await open();
    const name = await fresh(stopping, { retryLimit: 5, retryDelay: 1 });
    const quick = (await stopping.send(name, { kind: "quick" }))!;
    const slow = (await stopping.send(name, { kind: "slow" }))!;
    const taken = new Set<string>();
    const handler = async (job: QueueJob) => {
      taken.add(job.id);
      await new Promise((resolve) => setTimeout(resolve, (job.data as { kind: string }).kind === "quick" ? 300 : 60_000));
    };
    await stopping.work(name, { pollingIntervalSeconds: 0.1 }, handler);
    await stopping.work(name, { pollingIntervalSeconds: 0.1 }, handler);
    await until("both jobs to run", async () => taken.size, (n) => n === 2);
    await stopping.stop({ graceful: true, timeout: 1000 });
    expect((await row(quick)).state).toBe("completed");
    const back = await row(slow);
    expect(back).toMatchObject({ state: "retry", retry_count: 0, output: { message: "the worker stopped while the job was running" } });
    const wait = back.start_after.getTime() - back.now.getTime();
    expect(wait).toBeGreaterThan(500);
    expect(wait).toBeLessThanOrEqual(1000);

    const next = await open();
    const again: QueueJob[] = [];
    await next.work(name, { pollingIntervalSeconds: 0.1 }, async (job) => void again.push(job));
    await until("the job failed back to run again", async () => again, (runs) => runs.length === 1);
    expect(again[0]).toMatchObject({ id: slow, retryCount: 1, retryLimit: 5 });
  });

  it("never gives one job to two workers, however many race for it", async () => {
    const first = await open();
    const second = await open();
    const name = await fresh(first);
    const total = 200;
    await first.insert(
      name,
      Array.from({ length: total }, (_, i) => ({ data: { i } })),
    );
    const seen = new Map<string, number>();
    const handler = async (job: QueueJob) => {
      seen.set(job.id, (seen.get(job.id) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
    };
    for (const queue of [first, second]) {
      for (let i = 0; i < 4; i++) await queue.work(name, { pollingIntervalSeconds: 0.05 }, handler);
    }
    await until("every job to be done", () => first.getQueues(), (queues) => {
      const q = queues.find((x) => x.name === name);
      return q !== undefined && q.queuedCount === 0 && q.activeCount === 0;
    }, { timeoutMs: 60_000 });
    expect(seen.size).toBe(total);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    const states = await platform.pool.query<{ state: string; n: number }>(`SELECT state, count(*)::int AS n FROM queue_jobs WHERE name = $1 GROUP BY state`, [name]);
    expect(states.rows).toEqual([{ state: "completed", n: total }]);
  });
});
