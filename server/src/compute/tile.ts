/**
 * tile: evaluates one tile's points and, in one transaction, records them, counts them and queues
 * finalize after the last one. A re-run after a worker died finds the tile done, or overwrites
 * nothing.
 */
import type { EigenRatioEvaluator, PointValues, SplitEvaluator } from "../engine/index.js";
import { withContext } from "./context-cache.js";
import { buildContext } from "./context.js";
import { type ComputeDeps, DEFAULT_ATTEMPTS } from "./deps.js";
import { failSurface } from "./fail-surface.js";
import { float32Bytes } from "./floats.js";
import { diedOnTileMessage } from "./messages.js";
import { sendFinalize } from "./queue-work.js";
import { type Db, transaction } from "../db/transaction.js";
import { addPointsDone, loadSurface, notifySurfaceProgress } from "./sql/surfaces.js";
import { finishCurvatureTile, finishLossTile, startTile } from "./sql/tiles.js";

export async function runTile(deps: ComputeDeps, surfaceId: string, tile: number): Promise<void> {
  const surface = await loadSurface(deps.pool, surfaceId);
  if (!surface || surface.status !== "running") return;
  const row = await startTile(deps.pool, surfaceId, tile, deps.workerId);
  if (!row) return; // done already: this is a re-run of a job whose first run finished
  // Earlier starts that neither finished nor reported an error: their worker died.
  const deaths = row.attempts - 1 - row.failures;
  if (deaths >= (deps.attempts ?? DEFAULT_ATTEMPTS)) {
    await failSurface(deps.pool, surfaceId, "INTERNAL_SERVER_ERROR", diedOnTileMessage(tile, deaths));
    return;
  }
  if (deps.testCrashSurface !== undefined && surface.name === deps.testCrashSurface) {
    // Test hook only (see ComputeDeps.testCrashSurface): die as a worker out of memory would.
    deps.log.warn({ surfaceId, tile }, "exiting: test hook WORKER_TEST_CRASH_SURFACE names this surface");
    process.exit(70);
  }
  const finish = await withContext(surface.id, () => buildContext(deps, surface), async (context) => {
    const nx = context.xs.length;
    const points = new Float64Array(row.indices.length * 2);
    row.indices.forEach((k, n) => {
      points[2 * n] = context.xs[k % nx]!;
      points[2 * n + 1] = context.ys[Math.floor(k / nx)]!;
    });
    if (context.kind === "curvature") {
      const values = await evaluateMapYielding(context.evaluator, points);
      const curvature = Buffer.concat([values.lambdaMax, values.lambdaMin, values.ratio, values.steps, values.converged].map((v) => float32Bytes(v)));
      return (client: Db) => finishCurvatureTile(client, surfaceId, tile, curvature);
    }
    const values = await evaluateYielding(context.evaluator, points);
    const recorded = {
      loss: float32Bytes(values.loss), accuracy: float32Bytes(values.accuracy),
      testLoss: values.test ? float32Bytes(values.test.loss) : null, testAccuracy: values.test ? float32Bytes(values.test.accuracy) : null,
    };
    return (client: Db) => finishLossTile(client, surfaceId, tile, recorded);
  });
  // The tile's values, the surface's count and, after the last tile, finalize: all or nothing.
  const recorded = await transaction(deps.pool, async (client) => {
    if (!(await finish(client))) return false; // another worker finished it meanwhile
    const progress = await addPointsDone(client, surfaceId, row.indices.length);
    if (progress && progress.points_done >= progress.points_total) await sendFinalize(deps, surfaceId, client);
    return true;
  });
  if (recorded) await notifySurfaceProgress(deps.pool, surfaceId, tile);
}

/**
 * Longest stretch, in seconds, a worker computes without giving its event loop a turn. Short: a
 * newcomer's surface is prepared on the same event loop between the slices of a tile in flight,
 * and every step of that preparation waits for the next turn.
 */
const SLICE_SECONDS = 0.25;

/**
 * Evaluates a tile's points in slices of about SLICE_SECONDS each, giving the event loop a turn
 * between slices: the engine computes synchronously on CPU backends, and a tile that held the
 * loop for longer than the queue's job heartbeat (10 s) would look dead, be started again
 * elsewhere and count as a worker death. Every point's value is its own sum over the samples in
 * order, so slicing changes no bit.
 */
async function evaluateYielding(evaluator: SplitEvaluator, points: Float64Array): Promise<PointValues & { test: PointValues | null }> {
  const count = points.length / 2;
  const values = { loss: new Float64Array(count), accuracy: new Float64Array(count) };
  const test = evaluator.test ? { loss: new Float64Array(count), accuracy: new Float64Array(count) } : null;
  let done = 0;
  let slice = 1;
  while (done < count) {
    const n = Math.min(slice, count - done);
    const started = performance.now();
    const slab = await evaluator.evaluate(points.subarray(2 * done, 2 * (done + n)));
    if (!slab) throw new Error("the evaluation stopped before its end");
    values.loss.set(slab.loss, done);
    values.accuracy.set(slab.accuracy, done);
    if (test && slab.test) {
      test.loss.set(slab.test.loss, done);
      test.accuracy.set(slab.test.accuracy, done);
    }
    done += n;
    const perPoint = Math.max((performance.now() - started) / 1000 / n, 1e-6);
    slice = Math.max(1, Math.min(4 * slice, Math.floor(SLICE_SECONDS / perPoint)));
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { ...values, test };
}

/**
 * An eigen-ratio tile point by point (each point is a Lanczos run of many Hessian-vector
 * products), giving the event loop a turn after each, for the same reason as evaluateYielding.
 */
async function evaluateMapYielding(
  evaluator: EigenRatioEvaluator,
  points: Float64Array,
): Promise<{ lambdaMax: Float64Array; lambdaMin: Float64Array; ratio: Float64Array; steps: Float64Array; converged: Float64Array }> {
  const count = points.length / 2;
  const out = { lambdaMax: new Float64Array(count), lambdaMin: new Float64Array(count), ratio: new Float64Array(count), steps: new Float64Array(count), converged: new Float64Array(count) };
  for (let p = 0; p < count; p++) {
    const values = await evaluator.evaluate(points.subarray(2 * p, 2 * p + 2));
    out.lambdaMax[p] = values.lambdaMax[0]!;
    out.lambdaMin[p] = values.lambdaMin[0]!;
    out.ratio[p] = values.ratio[0]!;
    out.steps[p] = values.steps[0]!;
    out.converged[p] = values.converged[0]!;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}
