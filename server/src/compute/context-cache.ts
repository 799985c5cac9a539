/**
 * What a worker keeps of a surface between its tiles: everything uploaded to the backend once.
 * The cache holds the contexts of the two surfaces the worker touched last, and frees a context's
 * tensors only once no tile computes with it. Building a context is the caller's (context.ts).
 */
import type { EigenRatioEvaluator, LoadedModel, LossSpec, PreparedData, SplitEvaluator } from "../engine/index.js";

/** A surface's context: loss surfaces hold a SplitEvaluator (training set, and test set if any), eigen-ratio maps an EigenRatioEvaluator. */
export type SurfaceContext = { xs: Float64Array; ys: Float64Array; model: LoadedModel; prepared: PreparedData; loss: LossSpec; origin: readonly Float32Array[] } & (
  | { kind: "loss"; evaluator: SplitEvaluator }
  | { kind: "curvature"; evaluator: EigenRatioEvaluator }
);

/** A worker keeps the contexts of the two surfaces it touched last; older ones free their tensors. */
const contexts = new Map<string, Promise<SurfaceContext>>();
const CONTEXTS_KEPT = 2;

function contextFor(surfaceId: string, build: () => Promise<SurfaceContext>): Promise<SurfaceContext> {
  let context = contexts.get(surfaceId);
  if (!context) {
    context = build();
    contexts.set(surfaceId, context);
    // A failed build is not kept: the next tile tries again.
    context.catch(() => contexts.delete(surfaceId));
    while (contexts.size > CONTEXTS_KEPT) forgetSurface(contexts.keys().next().value!);
  }
  return context;
}

/** Keeps a context built elsewhere (by the preparation) for the surface's tiles. */
export function keepContext(surfaceId: string, context: SurfaceContext): void {
  forgetSurface(surfaceId);
  contexts.set(surfaceId, Promise.resolve(context));
  while (contexts.size > CONTEXTS_KEPT) forgetSurface(contexts.keys().next().value!);
}

/**
 * Contexts a tile is computing with right now, by surface, with how many tiles use each. A worker
 * runs a preparation (which keeps its context, evicting an older one) and a tile at the same time:
 * a context dropped while in use is freed when its last tile is done with it, not under it.
 */
const inUse = new Map<string, { context: Promise<SurfaceContext>; users: number; dropped: boolean }>();

/**
 * Runs `work` with the surface's cached context, built by `build` when the worker holds none;
 * the context is not freed while `work` runs.
 */
export async function withContext<T>(surfaceId: string, build: () => Promise<SurfaceContext>, work: (context: SurfaceContext) => Promise<T>): Promise<T> {
  const promise = contextFor(surfaceId, build);
  let use = inUse.get(surfaceId);
  if (use?.context !== promise) {
    // A context dropped earlier and still in use stays that tile's; this one is tracked instead.
    if (use) use.dropped = true;
    use = { context: promise, users: 0, dropped: false };
    inUse.set(surfaceId, use);
  }
  use.users++;
  const mine = use;
  try {
    return await work(await promise);
  } finally {
    mine.users--;
    if (mine.users === 0) {
      if (inUse.get(surfaceId) === mine) inUse.delete(surfaceId);
      if (mine.dropped) dispose(mine.context);
    }
  }
}

function dispose(context: Promise<SurfaceContext>): void {
  context.then((c) => c.evaluator.dispose()).catch(() => undefined);
}

/** Frees what this worker holds for a surface (its tensors on the backend), once no tile uses it. */
export function forgetSurface(surfaceId: string): void {
  const context = contexts.get(surfaceId);
  contexts.delete(surfaceId);
  if (!context) return;
  const use = inUse.get(surfaceId);
  if (use?.context === context && use.users > 0) use.dropped = true;
  else dispose(context);
}
