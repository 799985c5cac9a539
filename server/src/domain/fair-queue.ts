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
import { pointFlops, pointSecondsAt, sampleFlops } from "./point-cost.js";
import {
  hasEmail, liveGpuWorkers, lockOwnerClock, ownerStartTag, pendingAhead, queueVirtualTime, recentFlops, recentTiles, setOwnerClock, surfaceTags, usersTilesPending,
} from "./sql/fair-queue.js";

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
  const demo = await hasEmail(db, createdBy, DEMO_EMAIL);
  return ownerOf(demo ? null : createdBy);
}

/**
 * The queue priority of a surface's preparation: a user's go before the demo's (the demo queues
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
  return usersTilesPending(db, DEMO_EMAIL);
}

/** The queue priority of a user's surface preparation (the demo's is one lower). */
export const USER_PREPARE_PRIORITY = 0;

/** The queue orders by priority, highest first: the smallest tag is the highest priority. */
export function priorityOf(tag: number): number {
  return -Math.min(tag, 2 ** 31 - 1);
}

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
  const last = await lockOwnerClock(client, owner.key);
  const now = await queueVirtualTime(client);
  let tag = Math.max(last, now);
  const tags = costs.map((n) => (tag += n * owner.weight));
  await setOwnerClock(client, owner.key, tag);
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

/**
 * What the workers did over the last ten minutes: points, the expected compute time of those
 * points (each surface's seconds per point, measured on one worker when it was prepared), and
 * the wall-clock seconds it took them; null if they computed nothing.
 */
export interface RecentWork {
  points: number;
  work: number;
  seconds: number;
}

export async function recentWork(pool: Pool): Promise<RecentWork | null> {
  const row = await recentTiles(pool);
  const points = Number(row?.points ?? 0);
  if (!row || points === 0 || row.seconds === null) return null;
  return { points, work: row.work ?? 0, seconds: Math.max(row.seconds, 0.5) };
}

/** Pending work: its points, the expected compute time of those whose surfaces measured one, and the points of those that did not. */
export interface WorkAhead {
  points: number;
  work: number;
  untimed: number;
}

/**
 * Wall-clock seconds the workers should take for `ahead`, at the pace they kept lately. Pending
 * tiles are weighed by their own measured cost, not counted as points: a point of a ResNet costs
 * hundreds of an MLP's, and a queue that just computed MLPs would otherwise promise a ResNet's
 * plane in minutes that takes hours. The pace is the expected compute time the workers got
 * through per wall second (about the number of workers, less when the machine is busy); points
 * whose surfaces measured no cost go at the recent points per second. Null with no recent work.
 */
export function wallSecondsFor(ahead: WorkAhead, recent: RecentWork | null): number | null {
  if (!recent) return null;
  const pointsPerSecond = recent.points / recent.seconds;
  if (!(recent.work > 0)) return ahead.points / pointsPerSecond;
  return ahead.work / (recent.work / recent.seconds) + ahead.untimed / pointsPerSecond;
}

/** FLOPs per second the workers reached over the last ten minutes (point-cost.ts's estimate of their points), or null. */
export async function recentFlopRate(pool: Pool): Promise<number | null> {
  const row = await recentFlops(pool);
  if (!row || !row.flops || row.seconds === null) return null;
  return row.flops / Math.max(row.seconds, 0.5);
}

/**
 * Seconds a point of an unprepared surface should take: its own cost (point-cost.ts) at the FLOP
 * rate the workers reached lately; null for eigen-ratio maps or without a rate.
 */
export function unpreparedPointSeconds(surface: { kind: string; parameterCount: number; flopsPerSample: number | null; samples: number }, flopRate: number | null): number | null {
  if (surface.kind === "eigen-ratio") return null;
  return pointSecondsAt(pointFlops(sampleFlops(surface), surface.samples), flopRate);
}

/**
 * Where a queued or running surface stands: the surfaces whose waiting work comes before its own
 * and, at the workers' recent pace (wallSecondsFor), about how long until its last tile is computed. A
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
  const mine = await surfaceTags(pool, surface.id);
  if (!mine) return null;
  const recent = await recentWork(pool);
  const throughput = recent && recent.points / recent.seconds;
  let first = mine.first === null ? null : Number(mine.first);
  let last = mine.last === null ? null : Number(mine.last);
  const prepared = first !== null && last !== null;
  const remaining = surface.pointsTotal - surface.pointsDone;
  // Not prepared, its cost is not measured yet: its own estimate (its model's size and samples at
  // the workers' recent FLOP rate), else the workers' recent seconds per point of any surface.
  const cost = { kind: mine.kind, parameterCount: Number(mine.parameter_count), flopsPerSample: mine.flops_per_sample, samples: mine.samples };
  const ownPointSeconds = prepared ? null : unpreparedPointSeconds(cost, await recentFlopRate(pool));
  if (first === null || last === null) {
    const owner = await ownerFor(pool, mine.created_by);
    const start = await ownerStartTag(pool, owner.key);
    // Its first tile's tag comes after the tile at the front of the queue, whose tag is `start`.
    const centisecondsPerPoint = ownPointSeconds !== null ? ownPointSeconds * 100 : throughput === null ? 1 : 100 / throughput;
    first = start + 1;
    last = start + Math.round(remaining * centisecondsPerPoint * owner.weight);
  }
  const ahead = await pendingAhead(pool, surface.id, first, last);
  const work: WorkAhead = { points: Number(ahead.points ?? 0), work: ahead.work ?? 0, untimed: Number(ahead.untimed ?? 0) };
  const aheadSeconds = wallSecondsFor(work, recent);
  // Its tiles go to the GPU queue, which only workers with a GPU take.
  const gpuWorkers = surface.gpu ? await liveGpuWorkers(pool, workerTimeoutSeconds) : 1;
  const waitingFor = gpuWorkers === 0 ? NO_GPU_WORKER : null;
  return {
    position: ahead.surfaces + 1,
    surfacesAhead: ahead.surfaces,
    estimatedSeconds:
      aheadSeconds === null || throughput === null || waitingFor
        ? null
        : Math.max(1, Math.round(aheadSeconds + (prepared ? 0 : ownPointSeconds !== null ? remaining * ownPointSeconds : remaining / throughput))),
    waitingFor,
  };
}
