/**
 * Fair share of the workers between owners, on top of the queue's priorities.
 *
 * Every tile is tagged with its owner's virtual finishing time: the owner's clock starts at the
 * queue's virtual time (the smallest tag still waiting) or where the owner's own backlog ends,
 * whichever is later, and each tile moves it on by its cost times the owner's weight. A tile's
 * cost is its compute time (its points times the seconds per point measured when its surface was
 * prepared, in hundredths of a second), so owners share the workers' time, not their points: a
 * point of a large CNN can cost as much as a hundred points of a small MLP. Workers
 * take the smallest tag first (the tag is the job's priority, negated), so a new user's first
 * tiles go in right behind the tiles being computed now, whatever the backlog of others, and two
 * busy owners take turns. The demo (its system account, or surfaces without a creator) weighs more per second, so it gets
 * a quarter of the share of a user while users wait.
 */
import type pg from "pg";
import type { Pool } from "../db/pool.js";
import { DEMO_EMAIL } from "./demo.js";

/** The demo's compute time counts this many times a user's: it is the lowest-priority owner. */
export const DEMO_WEIGHT = 4;

export function ownerOf(createdBy: string | null): { key: string; weight: number } {
  return createdBy ? { key: `user:${createdBy}`, weight: 1 } : { key: "demo", weight: DEMO_WEIGHT };
}

/**
 * The owner of a creator's work: the demo's system account (which creates the demo project's
 * surfaces, see modules/experiments/demo.ts) counts as the demo, the lowest-priority owner.
 */
export async function ownerFor(db: Pick<pg.PoolClient, "query">, createdBy: string | null): Promise<{ key: string; weight: number }> {
  if (!createdBy) return ownerOf(null);
  const demo = (await db.query<{ demo: boolean }>(`SELECT email = $2 AS demo FROM users WHERE id = $1`, [createdBy, DEMO_EMAIL])).rows[0]?.demo;
  return ownerOf(demo ? null : createdBy);
}

/**
 * The pg-boss priority of a surface's preparation: a user's go before the demo's (the demo queues
 * dozens at once), first come first served among users. Its tiles then take turns by their tags.
 */
export async function preparePriority(db: Pick<pg.PoolClient, "query">, createdBy: string | null): Promise<number> {
  return (await ownerFor(db, createdBy)).key === "demo" ? USER_PREPARE_PRIORITY - 1 : USER_PREPARE_PRIORITY;
}

/**
 * Whether users' tiles are waiting or computing: the demo's preparations (seconds of a worker's
 * time each, outside the tiles' fair shares) wait until they are done.
 */
export async function usersHaveWork(db: Pick<pg.PoolClient, "query">): Promise<boolean> {
  const row = (
    await db.query<{ waiting: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${PENDING} AND s.created_by IS NOT NULL
                        AND s.created_by NOT IN (SELECT id FROM users WHERE email = $1)) AS waiting`,
      [DEMO_EMAIL],
    )
  ).rows[0];
  return row?.waiting ?? false;
}

/** The pg-boss priority of a user's surface preparation (the demo's is one lower). */
export const USER_PREPARE_PRIORITY = 0;

/** pg-boss orders by priority, highest first: the smallest tag is the highest priority. */
export function priorityOf(tag: number): number {
  return -Math.min(tag, 2 ** 31 - 1);
}

/** Pending tiles: not finished, of a surface still computing. */
const PENDING = `surface_tiles t JOIN surfaces s ON s.id = t.surface_id WHERE t.finished_at IS NULL AND t.queue_tag IS NOT NULL AND s.status = 'running'`;

/** A tile's cost in the fair queue: its expected compute time in hundredths of a second, at least 1. */
export function tileCost(points: number, pointSeconds: number): number {
  return Math.max(1, Math.round(points * pointSeconds * 100));
}

/**
 * Tags pieces of work of one owner (their costs, see tileCost), in the order given, inside the
 * caller's transaction (the owner's row stays locked until it ends, so two surfaces of one owner
 * queue one after the other).
 */
export async function tagWork(client: pg.PoolClient, createdBy: string | null, costs: number[]): Promise<number[]> {
  const owner = await ownerFor(client, createdBy);
  await client.query(`INSERT INTO queue_owners (owner) VALUES ($1) ON CONFLICT DO NOTHING`, [owner.key]);
  const last = Number((await client.query<{ last_tag: string }>(`SELECT last_tag FROM queue_owners WHERE owner = $1 FOR UPDATE`, [owner.key])).rows[0]!.last_tag);
  const now = Number(
    (await client.query<{ v: string }>(`SELECT COALESCE((SELECT min(t.queue_tag) FROM ${PENDING}), (SELECT max(last_tag) FROM queue_owners), 0) AS v`)).rows[0]!.v,
  );
  let tag = Math.max(last, now);
  const tags = costs.map((n) => (tag += n * owner.weight));
  await client.query(`UPDATE queue_owners SET last_tag = $2 WHERE owner = $1`, [owner.key, tag]);
  return tags;
}

export interface QueuePlace {
  /** 1 for the surface computed next (or now). */
  position: number;
  /** Other surfaces with work waiting before this surface's first waiting tile. */
  surfacesAhead: number;
  /** Seconds until this surface is done at the workers' recent speed; null without a measure. */
  estimatedSeconds: number | null;
  /** What it waits for besides its turn (a GPU worker when it asked for one and none is live); null when nothing. */
  waitingFor: string | null;
}

/** What a surface that asked for a GPU is told while no live worker has one. */
export const NO_GPU_WORKER = "a GPU worker: it asked to be computed on a GPU, and no worker with a GPU is running";

/** Points per second the workers computed over the last ten minutes, or null if they computed none. */
export async function recentThroughput(pool: Pool): Promise<number | null> {
  const row = (
    await pool.query<{ points: string | null; seconds: number | null }>(
      `SELECT sum(cardinality(indices)) AS points, extract(epoch FROM max(finished_at) - min(started_at))::float8 AS seconds
         FROM surface_tiles WHERE finished_at > now() - interval '10 minutes' AND started_at IS NOT NULL`,
    )
  ).rows[0];
  const points = Number(row?.points ?? 0);
  if (!row || points === 0 || row.seconds === null) return null;
  return points / Math.max(row.seconds, 0.5);
}

/**
 * Where a queued or running surface stands: the surfaces whose waiting work comes before its own
 * and, from the workers' recent throughput, about how long until its last tile is computed. A
 * surface not prepared yet is placed where its tiles will be tagged: from the queue's current
 * tag (or the end of its owner's backlog) on, its expected cost times its owner's weight further.
 */
export async function queuePlace(
  pool: Pool,
  surface: { id: string; status: string; pointsTotal: number; pointsDone: number; gpu?: boolean },
  /** A worker silent this long (WORKER_TIMEOUT_SECONDS) is not counted as live. Default 30. */
  workerTimeoutSeconds = 30,
): Promise<QueuePlace | null> {
  if (surface.status !== "queued" && surface.status !== "running") return null;
  const mine = (
    await pool.query<{ first: string | null; last: string | null; created_by: string | null }>(
      `SELECT (SELECT min(queue_tag) FROM surface_tiles WHERE surface_id = s.id AND finished_at IS NULL) AS first,
              (SELECT max(queue_tag) FROM surface_tiles WHERE surface_id = s.id AND finished_at IS NULL) AS last,
              s.created_by
         FROM surfaces s WHERE s.id = $1`,
      [surface.id],
    )
  ).rows[0];
  if (!mine) return null;
  const throughput = await recentThroughput(pool);
  let first = mine.first === null ? null : Number(mine.first);
  let last = mine.last === null ? null : Number(mine.last);
  if (first === null || last === null) {
    const owner = await ownerFor(pool, mine.created_by);
    const start = Number(
      (
        await pool.query<{ v: string }>(
          `SELECT GREATEST(COALESCE((SELECT min(t.queue_tag) FROM ${PENDING}), (SELECT max(last_tag) FROM queue_owners), 0),
                           COALESCE((SELECT last_tag FROM queue_owners WHERE owner = $1), 0)) AS v`,
          [owner.key],
        )
      ).rows[0]!.v,
    );
    // Its first tile's tag comes after the tile at the front of the queue, whose tag is `start`;
    // its cost is not measured yet: take the workers' recent seconds per point.
    const centisecondsPerPoint = throughput === null ? 1 : 100 / throughput;
    first = start + 1;
    last = start + Math.round((surface.pointsTotal - surface.pointsDone) * centisecondsPerPoint * owner.weight);
  }
  const ahead = (
    await pool.query<{ surfaces: number; points: string | null }>(
      `SELECT count(DISTINCT t.surface_id) FILTER (WHERE t.surface_id <> $1 AND t.queue_tag < $2)::int AS surfaces,
              sum(cardinality(t.indices)) FILTER (WHERE t.queue_tag <= $3) AS points
         FROM ${PENDING}`,
      [surface.id, first, last],
    )
  ).rows[0]!;
  const prepared = mine.first !== null;
  const points = Number(ahead.points ?? 0) + (prepared ? 0 : surface.pointsTotal - surface.pointsDone);
  // Its tiles go to the GPU queue, which only workers with a GPU take.
  const gpuWorkers = surface.gpu
    ? Number(
        (
          await pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM workers WHERE gpu AND stopped_at IS NULL AND last_heartbeat_at > now() - make_interval(secs => $1)`,
            [workerTimeoutSeconds],
          )
        ).rows[0]!.n,
      )
    : 1;
  const waitingFor = gpuWorkers === 0 ? NO_GPU_WORKER : null;
  return {
    position: ahead.surfaces + 1,
    surfacesAhead: ahead.surfaces,
    estimatedSeconds: throughput === null || waitingFor ? null : Math.max(1, Math.round(points / throughput)),
    waitingFor,
  };
}
