import { Arg, Args, Ctx, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { SubscribeResolverData } from "type-graphql";
import { DEFAULT_PERSISTENCE_FRACTION, LOSS_CAP_FACTOR, MAP_LANCZOS_STEPS, defaultMinPersistence, filterByPersistence } from "../../engine/pure.js";
import type { Context } from "../../graphql/context.js";
import { COMPARISON_COMPLEXITY, GRID_VALUES_COMPLEXITY, SERIES_MAX_FRAMES, SIGNED_URL_COMPLEXITY, boundedListComplexity, pageComplexity } from "../../graphql/complexity.js";
import { spendValues } from "../../graphql/limits.js";
import { runMutation } from "../../graphql/payload.js";
import { limit } from "../accounts/accounts.resolver.js";
import { Dataset } from "../datasets/dataset.type.js";
import { Model } from "../models/model.type.js";
import { DeletePayload, ProjectRole } from "../projects/project.type.js";
import {
  Comparison,
  CreateSurfaceInput,
  CriticalPoint,
  EigenRatioCost,
  GalleryArgs,
  Metric,
  ModelPosition,
  PathPoint,
  Surface,
  SurfaceConnection,
  type SurfaceKindEnum,
  SurfacePayload,
  SurfaceProgress,
  SurfaceSeriesPayload,
  SurfaceStatistics,
  type SurfaceStatus,
  SurfaceQueuePlace,
} from "./surface.type.js";
import { SurfaceParamsView } from "./surface-params.type.js";
import { isPlanar, MAX_STORED_CRITICAL_POINTS, metricsOf, type SurfaceMetric } from "../../domain/surface-params.js";
import { badInput } from "../../domain/errors.js";
import { INLINE_POINTS, type SurfaceRecord } from "./surface-records.js";

/** The record behind a Surface object, kept for field resolvers. */
type SurfaceObject = Surface & { record: SurfaceRecord };

export function toSurfaceType(record: SurfaceRecord): SurfaceObject {
  return {
    id: record.id,
    projectId: record.projectId,
    name: record.name,
    kind: record.kind as SurfaceKindEnum,
    status: record.status as SurfaceStatus,
    myRole: record.role as ProjectRole,
    modelId: record.modelId,
    modelBId: record.modelBId,
    datasetId: record.datasetId,
    testDatasetId: record.testDatasetId,
    tags: record.tags,
    pointsDone: record.pointsDone,
    pointsTotal: record.pointsTotal,
    errorCode: record.errorCode,
    errorMessage: record.errorMessage,
    backend: record.backend,
    createdAt: record.createdAt,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    record,
  };
}

/** float32 values as GraphQL numbers; NaN (not computed, or no accuracy) becomes null. */
const finiteOrNull = (values: Float32Array) => Array.from(values, (v) => (Number.isFinite(v) ? v : null));

@Resolver(() => Surface)
export class SurfacesResolver {
  @Query(() => Surface)
  async surface(@Arg("id", () => ID) id: string, @Ctx() { actor, services, shareToken }: Context): Promise<Surface> {
    return toSurfaceType(await services.surfaces.get(actor, id, "read", shareToken));
  }

  @Query(() => SurfaceConnection, { complexity: pageComplexity, description: "Surfaces of every project the caller may see, newest first, with filters" })
  async gallery(@Args(() => GalleryArgs) args: GalleryArgs, @Ctx() { actor, services, shareToken }: Context) {
    const page = await services.surfaces.gallery(actor, args.filter ?? {}, args, shareToken);
    return { nodes: page.nodes.map(toSurfaceType), pageInfo: page.pageInfo };
  }

  @Query(() => Comparison, { complexity: COMPARISON_COMPLEXITY, description: "Two to ten surfaces on one shared value range (of the finite values of `metric`)" })
  async compare(
    @Arg("ids", () => [ID]) ids: string[],
    @Arg("metric", () => Metric, { defaultValue: Metric.LOSS }) metric: Metric,
    @Ctx() { actor, services, shareToken }: Context,
  ): Promise<Comparison> {
    const records = await services.surfaces.many(actor, ids, shareToken);
    let min: number | null = null;
    let max: number | null = null;
    for (const record of records) {
      const stat = record.statistics?.[metric];
      if (stat?.min == null || stat.max == null) continue;
      min = min === null ? stat.min : Math.min(min, stat.min);
      max = max === null ? stat.max : Math.max(max, stat.max);
    }
    const grid = (r: SurfaceRecord) => JSON.stringify([isPlanar(r.kind), r.params.x, r.params.y]);
    return { surfaces: records.map(toSurfaceType), metric, min, max, sameGrid: records.every((r) => grid(r) === grid(records[0]!)) };
  }

  @Query(() => EigenRatioCost, { description: "The cost of an eigen-ratio map of `points` points of a model, before it is started" })
  async eigenRatioCost(
    @Arg("modelId", () => ID) modelId: string,
    @Arg("datasetId", () => ID) datasetId: string,
    @Arg("points", () => Int) points: number,
    @Arg("lanczosSteps", () => Int, { defaultValue: MAP_LANCZOS_STEPS, description: `Most Lanczos steps per point (default ${MAP_LANCZOS_STEPS})` }) lanczosSteps: number,
    @Arg("samples", () => Int, { nullable: true }) samples: number | null,
    @Ctx() { actor, services, shareToken }: Context,
  ): Promise<EigenRatioCost> {
    return services.surfaces.eigenRatioCost(actor, { modelId, datasetId, points, lanczosSteps, samples: samples ?? null }, shareToken);
  }

  @FieldResolver(() => SurfaceParamsView)
  params(@Root() surface: SurfaceObject): SurfaceParamsView {
    // Surfaces made before frozen layers could be kept still (or eigen-ratio maps existed) lack those keys.
    const params = surface.record.params as Partial<SurfaceParamsView>;
    // Eigen-ratio maps made before per-point convergence took a fixed 10 steps and stored no tolerance.
    return { ...params, frozen: params.frozen ?? "move", lanczosSteps: params.lanczosSteps ?? 10, tolerance: params.tolerance ?? null, fitPath: params.fitPath ?? false, equalAspect: params.equalAspect ?? false, runningStats: params.runningStats ?? "move" } as SurfaceParamsView;
  }

  @FieldResolver(() => [Float], { description: "x coordinates of the grid's columns" })
  xs(@Root() surface: SurfaceObject, @Ctx() { services }: Context): number[] {
    return Array.from(services.surfaces.axes(surface.record).xs);
  }

  @FieldResolver(() => [Float], { description: "y coordinates of the grid's rows ([0] for 1D surfaces)" })
  ys(@Root() surface: SurfaceObject, @Ctx() { services }: Context): number[] {
    return Array.from(services.surfaces.axes(surface.record).ys);
  }

  @FieldResolver(() => [[Float]], {
    complexity: GRID_VALUES_COMPLEXITY,
    nullable: "itemsAndList",
    description: "Values as rows (values[j][i] at xs[i], ys[j]); null where not computed yet. Null for grids over 201x201: use valuesUrl.",
  })
  async values(
    @Root() surface: SurfaceObject,
    @Arg("metric", () => Metric, { defaultValue: Metric.LOSS }) metric: Metric,
    @Ctx() { services, budget }: Context,
  ): Promise<(number | null)[][] | null> {
    const record = surface.record;
    if (record.pointsTotal > INLINE_POINTS) return null;
    // Charged by the grid's real size before anything is loaded (see graphql/limits.ts).
    const metrics = metricsOf(record.kind, record.testDatasetId !== null);
    if (!metrics.includes(metric)) {
      const what = record.kind === "eigen-ratio" ? "An eigen-ratio map" : record.testDatasetId === null ? "A loss surface without test data" : "A loss surface";
      throw badInput("metric", `${what} holds ${metrics.join(", ")}, not ${metric}`);
    }
    spendValues(budget, record.pointsTotal, `the values of ${record.name}`);
    const values = (await services.surfaces.values(record))[metric]!;
    const { xs } = services.surfaces.axes(record);
    const rows: (number | null)[][] = [];
    for (let start = 0; start < values.length; start += xs.length) rows.push(finiteOrNull(values.subarray(start, start + xs.length)));
    return rows;
  }

  @FieldResolver(() => String, {
    complexity: SIGNED_URL_COMPLEXITY,
    nullable: true,
    description:
      "Short-lived URL of the values file: float32 little-endian, row-major grids one after another: loss then accuracy, then with a test set testLoss and testAccuracy (eigen-ratio maps: lambdaMax, lambdaMin, ratio). Ready surfaces only.",
  })
  valuesUrl(@Root() surface: SurfaceObject, @Ctx() { services }: Context): Promise<string | null> {
    return services.surfaces.valuesUrl(surface.record, services.config.uploads.urlSeconds);
  }

  @FieldResolver(() => String, { complexity: SIGNED_URL_COMPLEXITY, nullable: true, description: "Short-lived URL of a PNG preview. Ready surfaces only." })
  thumbnailUrl(@Root() surface: SurfaceObject, @Ctx() { services }: Context): Promise<string | null> {
    return services.surfaces.thumbnailUrl(surface.record, services.config.uploads.urlSeconds);
  }

  @FieldResolver(() => SurfaceStatistics, { nullable: true })
  statistics(@Root() surface: SurfaceObject): SurfaceStatistics | null {
    const statistics = surface.record.statistics;
    const none = { min: null, max: null, mean: null };
    return statistics
      ? {
          loss: statistics.loss ?? none,
          accuracy: statistics.accuracy ?? none,
          testLoss: statistics.testLoss ?? null,
          testAccuracy: statistics.testAccuracy ?? null,
          lambdaMax: statistics.lambdaMax ?? null,
          lambdaMin: statistics.lambdaMin ?? null,
          ratio: statistics.ratio ?? null,
          unconvergedPoints: statistics.unconverged ?? null,
          lanczosSteps: statistics.lanczosSteps ?? null,
          nonConvexity: statistics.nonConvexity ?? null,
          basinWidth: statistics.basin?.width ?? null,
        }
      : null;
  }

  @FieldResolver(() => [CriticalPoint], { description: "Minima, saddles and maxima of the loss grid of at least a given persistence (empty until ready)" })
  criticalPoints(
    @Root() surface: SurfaceObject,
    // Noise on a flat basin makes many points of tiny persistence; by default they are left out.
    @Arg("minPersistence", () => Float, {
      nullable: true,
      description: `Only points of at least this persistence (loss units); default ${DEFAULT_PERSISTENCE_FRACTION * 100}% of the surface's capped loss range (from its lowest loss to its figure's default cap, ${LOSS_CAP_FACTOR} median rises above it, or to its highest loss when that is lower), 0 for all stored points (the most persistent ${MAX_STORED_CRITICAL_POINTS})`,
    })
    minPersistence?: number | null,
  ): CriticalPoint[] {
    const loss = surface.record.statistics?.loss;
    const threshold = minPersistence ?? defaultMinPersistence(loss?.min ?? Number.NaN, loss?.max ?? Number.NaN, loss?.median ?? null);
    return filterByPersistence(surface.record.criticalPoints ?? [], threshold) as CriticalPoint[];
  }

  @FieldResolver(() => [String], { nullable: true, description: "Names of the weight tensors the surface moves (non-zero direction); null until prepared" })
  movedTensors(@Root() surface: SurfaceObject): string[] | null {
    return surface.record.geometry?.movedTensors ?? null;
  }

  @FieldResolver(() => [String], { description: "What to know when reading the values: clamped BatchNorm variances, the model's load notes" })
  notes(@Root() surface: SurfaceObject): string[] {
    return surface.record.geometry?.notes ?? [];
  }

  @FieldResolver(() => Float, { nullable: true, description: "Cosine between the x and y directions" })
  cosine(@Root() surface: SurfaceObject): number | null {
    return surface.record.geometry?.cosine ?? null;
  }

  @FieldResolver(() => [Float], { nullable: true, description: "PCA: variance explained by each axis" })
  explainedVariance(@Root() surface: SurfaceObject): number[] | null {
    return surface.record.geometry?.explainedVariance ?? null;
  }

  @FieldResolver(() => [PathPoint], { nullable: true, description: "PCA: the checkpoints projected on the plane" })
  path(@Root() surface: SurfaceObject): PathPoint[] | null {
    return surface.record.geometry?.path?.map((p) => ({ ...p, fromFinal: p.fromFinal ?? null })) ?? null;
  }

  @FieldResolver(() => SurfaceQueuePlace, { nullable: true, description: "Its place in the queue and an estimate of when it is done; null unless queued or running" })
  queue(@Root() surface: SurfaceObject, @Ctx() { services }: Context): Promise<SurfaceQueuePlace | null> {
    return services.surfaces.queuePlace(surface.record, services.config.workers.timeoutSeconds);
  }

  @FieldResolver(() => [ModelPosition], { description: "Interpolations: where the models lie" })
  modelPositions(@Root() surface: SurfaceObject): ModelPosition[] {
    const geometry = surface.record.geometry;
    return (geometry?.modelPositions ?? []).map((p) => {
      const check = geometry?.modelChecks?.find((c) => c.name === p.name);
      return {
        name: p.name, x: p.x, y: p.y, runningStatsOf: p.runningStatsOf ?? null,
        loss: check?.loss ?? null, ownLoss: check?.ownLoss ?? null, accuracy: check?.accuracy ?? null, ownAccuracy: check?.ownAccuracy ?? null,
      };
    });
  }

  @FieldResolver(() => [Surface], {
    complexity: boundedListComplexity(SERIES_MAX_FRAMES),
    description:
      "The landscape over training this surface belongs to: the surfaces centred on each checkpoint of its model with one shared set of directions, in step order (empty when none was made)",
  })
  async series(@Root() surface: SurfaceObject, @Ctx() { services }: Context): Promise<Surface[]> {
    return (await services.surfaces.seriesFrames(surface.record)).map(toSurfaceType);
  }

  // A link to one surface shares its values, annotations and view, not the project's models or
  // datasets: those read as null there.
  @FieldResolver(() => Model, { nullable: true, description: "Null when seen through a link to this surface alone" })
  model(@Root() surface: SurfaceObject, @Ctx() { loaders }: Context) {
    return surface.record.role === "surface" ? null : loaders.models.load(surface.modelId);
  }

  @FieldResolver(() => Model, { nullable: true, description: "Interpolations: the second model (null otherwise, and through a link to this surface alone)" })
  modelB(@Root() surface: SurfaceObject, @Ctx() { loaders }: Context) {
    return surface.modelBId && surface.record.role !== "surface" ? loaders.models.load(surface.modelBId) : null;
  }

  @FieldResolver(() => Dataset, { nullable: true, description: "Null when seen through a link to this surface alone" })
  dataset(@Root() surface: SurfaceObject, @Ctx() { loaders }: Context) {
    return surface.record.role === "surface" ? null : loaders.datasets.load(surface.datasetId);
  }

  @FieldResolver(() => Dataset, { nullable: true, description: "The held-out test set (null without one, and through a link to this surface alone)" })
  testDataset(@Root() surface: SurfaceObject, @Ctx() { loaders }: Context) {
    return surface.testDatasetId && surface.record.role !== "surface" ? loaders.datasets.load(surface.testDatasetId) : null;
  }

  @Mutation(() => SurfacePayload, { description: "Queue a surface; it is computed by workers and fills in coarse to fine (editors and owners)" })
  createSurface(@Arg("input", () => CreateSurfaceInput) input: CreateSurfaceInput, @Ctx() context: Context): Promise<SurfacePayload> {
    return runMutation({ surface: null }, async () => {
      await limit(context, "createSurface");
      return { surface: toSurfaceType(await context.services.surfaces.create(context.actor, input)) };
    });
  }

  @Mutation(() => SurfaceSeriesPayload, {
    description: "The landscape over training: one surface per checkpoint of this surface's model, with its grid and directions (editors and owners)",
  })
  createTrainingSeries(@Arg("surfaceId", () => ID) surfaceId: string, @Ctx() { actor, services }: Context): Promise<SurfaceSeriesPayload> {
    return runMutation({ surfaces: null }, async () => ({ surfaces: (await services.surfaces.series(actor, surfaceId)).map(toSurfaceType) }));
  }

  @Mutation(() => SurfacePayload, { description: "Stop a queued or running surface (editors and owners)" })
  cancelSurface(@Arg("id", () => ID) id: string, @Ctx() { actor, services }: Context): Promise<SurfacePayload> {
    return runMutation({ surface: null }, async () => ({ surface: toSurfaceType(await services.surfaces.cancel(actor, id)) }));
  }

  @Mutation(() => DeletePayload, { description: "Delete a surface, its values and annotations (editors and owners)" })
  deleteSurface(@Arg("id", () => ID) id: string, @Ctx() { actor, services }: Context): Promise<DeletePayload> {
    return runMutation({ deletedId: null }, async () => ({ deletedId: await services.surfaces.delete(actor, id) }));
  }

  @Subscription(() => SurfaceProgress, {
    description: "Progress of a surface: a first event with everything computed so far, then one per finished tile and change of status",
    subscribe: ({ args, context }: SubscribeResolverData<unknown, { id: string }, Context>) => progressEvents(context, args.id),
  })
  surfaceProgress(@Root() event: SurfaceProgress, @Arg("id", () => ID) _id: string): SurfaceProgress {
    return event;
  }
}

/** The event stream of one surface, after checking the caller may read it. Ends when the surface does. */
async function progressEvents(context: Context, surfaceId: string): Promise<AsyncIterable<SurfaceProgress>> {
  const { services, actor, shareToken } = context;
  const first = await services.surfaces.get(actor, surfaceId, "read", shareToken);
  const controller = new AbortController();
  const notices = services.progress.subscribe(first.id, controller.signal);
  // Every metric field is present; those of the other kind of surface are empty.
  const event = (record: SurfaceRecord, indices: number[], values: Partial<Record<SurfaceMetric, (number | null)[]>>): SurfaceProgress => ({
    surfaceId: record.id,
    status: record.status as SurfaceStatus,
    pointsDone: record.pointsDone,
    pointsTotal: record.pointsTotal,
    errorMessage: record.errorMessage,
    indices,
    loss: values.loss ?? [],
    accuracy: values.accuracy ?? [],
    testLoss: values.testLoss ?? [],
    testAccuracy: values.testAccuracy ?? [],
    lambdaMax: values.lambdaMax ?? [],
    lambdaMin: values.lambdaMin ?? [],
    ratio: values.ratio ?? [],
    lanczosSteps: values.lanczosSteps ?? [],
    converged: values.converged ?? [],
  });
  const finished = (record: SurfaceRecord) => record.status === "ready" || record.status === "failed" || record.status === "cancelled";
  return {
    async *[Symbol.asyncIterator]() {
      try {
        // Subscribed before reading, so nothing that happens in between is missed.
        const iterator = notices[Symbol.asyncIterator]();
        const snapshot = await services.surfaces.get(actor, surfaceId, "read", shareToken);
        const all = await services.surfaces.values(snapshot);
        const grids = metricsOf(snapshot.kind, snapshot.testDatasetId !== null).map((metric) => [metric, all[metric]!] as const);
        const indices: number[] = [];
        for (let k = 0; k < snapshot.pointsTotal; k++) if (grids.some(([, grid]) => !Number.isNaN(grid[k]!))) indices.push(k);
        yield event(
          snapshot,
          indices,
          Object.fromEntries(grids.map(([metric, grid]) => [metric, indices.map((k) => (Number.isFinite(grid[k]!) ? grid[k]! : null))])),
        );
        if (finished(snapshot)) return;
        while (true) {
          const next = await iterator.next();
          if (next.done) return;
          const record = await services.surfaces.get(actor, surfaceId, "read", shareToken);
          const tile = next.value.tile === null ? undefined : await services.surfaces.tile(surfaceId, next.value.tile);
          yield event(record, tile?.indices ?? [], tile?.values ?? {});
          if (finished(record)) return;
        }
      } finally {
        controller.abort();
      }
    },
  };
}
