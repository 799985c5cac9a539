/**
 * The fair queue's SQL: owners' clocks (`queue_owners`), the tags of pending tiles, and what the
 * queue's estimates read (recent throughput, live GPU workers). The arithmetic is in ../fair-queue.ts.
 */
import type { Db } from "../../db/transaction.js";

/** Pending tiles: not finished, of a surface still computing. */
const PENDING = `surface_tiles t JOIN surfaces s ON s.id = t.surface_id WHERE t.finished_at IS NULL AND t.queue_tag IS NOT NULL AND s.status = 'running'`;

/** The queue's virtual time: the smallest pending tag, else the largest owner's clock, else 0. */
const VIRTUAL_TIME = `COALESCE((SELECT min(t.queue_tag) FROM ${PENDING}), (SELECT max(last_tag) FROM queue_owners), 0)`;

/** Whether a user is the account with this email (the demo's system account). */
export async function hasEmail(db: Db, userId: string, email: string): Promise<boolean | undefined> {
  return (await db.query<{ demo: boolean }>(`SELECT email = $2 AS demo FROM users WHERE id = $1`, [userId, email])).rows[0]?.demo;
}

/** Whether tiles of users other than the account with `demoEmail` (and not creator-less) are pending. */
export async function usersTilesPending(db: Db, demoEmail: string): Promise<boolean> {
  const row = (
    await db.query<{ waiting: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${PENDING} AND s.created_by IS NOT NULL
                        AND s.created_by NOT IN (SELECT id FROM users WHERE email = $1)) AS waiting`,
      [demoEmail],
    )
  ).rows[0];
  return row?.waiting ?? false;
}

/**
 * An owner's clock (the tag of its last piece of work), its row created if new and locked until
 * the caller's transaction ends.
 */
export async function lockOwnerClock(db: Db, owner: string): Promise<number> {
  await db.query(`INSERT INTO queue_owners (owner) VALUES ($1) ON CONFLICT DO NOTHING`, [owner]);
  return Number((await db.query<{ last_tag: string }>(`SELECT last_tag FROM queue_owners WHERE owner = $1 FOR UPDATE`, [owner])).rows[0]!.last_tag);
}

/** The queue's virtual time: the smallest tag still pending, or the latest owner's clock, or 0. */
export async function queueVirtualTime(db: Db): Promise<number> {
  return Number((await db.query<{ v: string }>(`SELECT ${VIRTUAL_TIME} AS v`)).rows[0]!.v);
}

export async function setOwnerClock(db: Db, owner: string, tag: number): Promise<void> {
  await db.query(`UPDATE queue_owners SET last_tag = $2 WHERE owner = $1`, [owner, tag]);
}

/** Where an owner's next work starts: the queue's virtual time or the owner's clock, whichever is later. */
export async function ownerStartTag(db: Db, owner: string): Promise<number> {
  return Number(
    (
      await db.query<{ v: string }>(
        `SELECT GREATEST(${VIRTUAL_TIME},
                           COALESCE((SELECT last_tag FROM queue_owners WHERE owner = $1), 0)) AS v`,
        [owner],
      )
    ).rows[0]!.v,
  );
}

/** A tile's expected compute time on one worker, in SQL over `t` and `s`: its points times its surface's seconds per point measured when it was prepared (null if not measured). */
const TILE_WORK = `cardinality(t.indices) * (s.geometry->>'pointSeconds')::float8`;

/**
 * The tiles finished over the last ten minutes: their points, their expected compute time (of
 * the points whose surfaces measured one), and the seconds from the first start to the last end.
 */
export async function recentTiles(db: Db): Promise<{ points: string | null; work: number | null; seconds: number | null } | undefined> {
  return (
    await db.query<{ points: string | null; work: number | null; seconds: number | null }>(
      `SELECT sum(cardinality(t.indices)) AS points, sum(${TILE_WORK})::float8 AS work,
              extract(epoch FROM max(t.finished_at) - min(t.started_at))::float8 AS seconds
         FROM surface_tiles t JOIN surfaces s ON s.id = t.surface_id
        WHERE t.finished_at > now() - interval '10 minutes' AND t.started_at IS NOT NULL`,
    )
  ).rows[0];
}

/**
 * The samples a surface evaluates at each point (its subset, at most each set's rows, of the
 * training set `d` and of its test set `td` when it has one), in SQL over `s`, `d` and `td`.
 */
const SAMPLES = `(LEAST(COALESCE((s.params->>'samples')::int, d.rows), d.rows) + COALESCE(LEAST(COALESCE((s.params->>'samples')::int, td.rows), td.rows), 0))`;
/** The datasets SAMPLES reads, joined onto `s`. */
const SAMPLE_SETS = `JOIN datasets d ON d.id = s.dataset_id LEFT JOIN datasets td ON td.id = s.test_dataset_id`;
/** FLOPs of one sample's forward pass of model `m`, as point-cost.ts's sampleFlops. */
const SAMPLE_FLOPS = `COALESCE(m.flops_per_sample, 2 * m.parameter_count::float8)`;

/**
 * FLOPs the workers computed over the last ten minutes, by point-cost.ts's estimate of each point
 * (a forward pass per sample), and the seconds they took; eigen-ratio maps (Hessian-vector
 * products, not forward passes) are left out.
 */
export async function recentFlops(db: Db): Promise<{ flops: number | null; seconds: number | null } | undefined> {
  return (
    await db.query<{ flops: number | null; seconds: number | null }>(
      `SELECT sum(cardinality(t.indices)::float8 * ${SAMPLE_FLOPS} * ${SAMPLES})::float8 AS flops,
              extract(epoch FROM max(t.finished_at) - min(t.started_at))::float8 AS seconds
         FROM surface_tiles t JOIN surfaces s ON s.id = t.surface_id JOIN models m ON m.id = s.model_id ${SAMPLE_SETS}
        WHERE t.finished_at > now() - interval '10 minutes' AND t.started_at IS NOT NULL AND s.kind <> 'eigen-ratio'`,
    )
  ).rows[0];
}

export interface SurfaceTagsRow {
  first: string | null;
  last: string | null;
  created_by: string | null;
  kind: string;
  parameter_count: string;
  flops_per_sample: number | null;
  samples: number;
}

/**
 * A surface's smallest and largest pending tags (null before it is prepared), its creator, and
 * what its points cost (its kind, its model's parameters and FLOPs per sample, the samples it evaluates).
 */
export async function surfaceTags(db: Db, surfaceId: string): Promise<SurfaceTagsRow | undefined> {
  return (
    await db.query<SurfaceTagsRow>(
      `SELECT (SELECT min(queue_tag) FROM surface_tiles WHERE surface_id = s.id AND finished_at IS NULL) AS first,
              (SELECT max(queue_tag) FROM surface_tiles WHERE surface_id = s.id AND finished_at IS NULL) AS last,
              s.created_by, s.kind, m.parameter_count, m.flops_per_sample, ${SAMPLES} AS samples
         FROM surfaces s JOIN models m ON m.id = s.model_id ${SAMPLE_SETS} WHERE s.id = $1`,
      [surfaceId],
    )
  ).rows[0];
}

/**
 * Other surfaces with pending tiles tagged before `first`, and the pending tiles tagged up to
 * `last` (this surface's own included): their points, the expected compute time of those whose
 * surfaces measured one, and the points of those that did not.
 */
export async function pendingAhead(
  db: Db,
  surfaceId: string,
  first: number,
  last: number,
): Promise<{ surfaces: number; points: string | null; work: number | null; untimed: string | null }> {
  return (
    await db.query<{ surfaces: number; points: string | null; work: number | null; untimed: string | null }>(
      `SELECT count(DISTINCT t.surface_id) FILTER (WHERE t.surface_id <> $1 AND t.queue_tag < $2)::int AS surfaces,
              sum(cardinality(t.indices)) FILTER (WHERE t.queue_tag <= $3) AS points,
              (sum(${TILE_WORK}) FILTER (WHERE t.queue_tag <= $3))::float8 AS work,
              sum(cardinality(t.indices)) FILTER (WHERE t.queue_tag <= $3 AND s.geometry->>'pointSeconds' IS NULL) AS untimed
         FROM ${PENDING}`,
      [surfaceId, first, last],
    )
  ).rows[0]!;
}

/** Workers with a GPU that are not stopped and sent a heartbeat in the last `timeoutSeconds`. */
export async function liveGpuWorkers(db: Db, timeoutSeconds: number): Promise<number> {
  return Number(
    (
      await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM workers WHERE gpu AND stopped_at IS NULL AND last_heartbeat_at > now() - make_interval(secs => $1)`, [
        timeoutSeconds,
      ])
    ).rows[0]!.n,
  );
}
