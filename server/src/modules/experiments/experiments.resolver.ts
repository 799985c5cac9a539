import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { PageArgs } from "../../graphql/pagination.js";
import { pageComplexity } from "../../graphql/complexity.js";
import { runMutation } from "../../graphql/payload.js";
import { Surface } from "../surfaces/surface.type.js";
import { toSurfaceType } from "../surfaces/surfaces.resolver.js";
import { TrainingRun, type TrainingStatus } from "../training/training.type.js";
import { Experiment, ExperimentConnection, type ExperimentKindEnum, ExperimentPayload, ExperimentStatus, FeaturedComparison, StartExperimentInput } from "./experiment.type.js";
import type { ExperimentRecord } from "./experiments.service.js";
import { connectivityCaption, type MeasuredSide, measuredCaption } from "./captions.js";
import { Curve } from "../curves/curve.type.js";
import type { CurveRecord } from "../curves/curves.service.js";
import { DomainError } from "../../domain/errors.js";
import { ErrorCode } from "../../errors.js";
import type { ExperimentKind } from "./definitions.js";
import { normalizationMeasured } from "./normalization.resolver.js";
import { defaultMinPersistence } from "../../engine/pure.js";

const toExperimentType = (record: ExperimentRecord): Experiment => ({ ...record, kind: record.kind as ExperimentKindEnum });

@Resolver(() => Experiment)
export class ExperimentsResolver {
  @Query(() => Experiment)
  async experiment(@Arg("id", () => ID) id: string, @Ctx() { actor, services, shareToken }: Context): Promise<Experiment> {
    return toExperimentType(await services.experiments.get(actor, id, shareToken));
  }

  @Query(() => ExperimentConnection, { complexity: pageComplexity, description: "Experiments of a project, newest first" })
  async experiments(@Arg("projectId", () => ID) projectId: string, @Args(() => PageArgs) page: PageArgs, @Ctx() { actor, services, shareToken }: Context) {
    const result = await services.experiments.list(actor, projectId, page, shareToken);
    return { nodes: result.nodes.map(toExperimentType), pageInfo: result.pageInfo };
  }

  @Query(() => ExperimentConnection, {
    complexity: pageComplexity,
    description: "Experiments still training or computing, of every project the caller may see, newest first",
  })
  async experimentsInProgress(@Args(() => PageArgs) page: PageArgs, @Ctx() { actor, services, shareToken }: Context) {
    const result = await services.experiments.inProgress(actor, page, shareToken);
    return { nodes: result.nodes.map(toExperimentType), pageInfo: result.pageInfo };
  }

  @Query(() => FeaturedComparison, { nullable: true, description: "The comparison the gallery opens on (anyone): of the ready experiments the caller may see, the pair of planes without and with shortcuts whose measured non-convexity differs most; null while none differs" })
  async featuredComparison(@Ctx() { actor, services, shareToken }: Context): Promise<FeaturedComparison | null> {
    const featured = await services.experiments.featured(actor, shareToken);
    if (!featured) return null;
    const surfaces = await Promise.all(featured.surfaceIds.map(async (id) => toSurfaceType(await services.surfaces.get(actor, id, "read", shareToken))));
    return { experiment: toExperimentType(featured.experiment), surfaces, contrast: featured.contrast };
  }

  @FieldResolver(() => [TrainingRun], { description: "Its training runs, one per side of the comparison" })
  async runs(@Root() experiment: Experiment, @Ctx() { services }: Context): Promise<TrainingRun[]> {
    return (await services.training.ofExperiment(experiment.id)).map((run) => ({ ...run, status: run.status as TrainingStatus }) as TrainingRun);
  }

  @FieldResolver(() => String, { description: "What the comparison asks, then, once its surfaces are ready, what they measured and what those numbers show" })
  async caption(@Root() experiment: Experiment, @Ctx() context: Context): Promise<string> {
    if (experiment.curveId) {
      const values = (await curveOf(experiment, context))?.values;
      return values ? `${experiment.caption} ${connectivityCaption(values.lineBarriers, values.curveBarriers, values.ensemble)}` : experiment.caption;
    }
    if (experiment.surfaceIds.length === 0) return experiment.caption;
    if ((experiment.kind as string) === "normalization") {
      const measured = await normalizationMeasured(experiment, context);
      return measured ? `${experiment.caption} ${measured}` : experiment.caption;
    }
    const { actor, services, shareToken } = context;
    const runs = await services.training.ofExperiment(experiment.id);
    const sides: MeasuredSide[] = [];
    // Eigen-ratio maps follow the planes, one per run (or per run of the last ones) in the same order: they add to their side.
    const maps: (number | null)[] = [];
    for (const [k, id] of experiment.surfaceIds.entries()) {
      const surface = await services.surfaces.get(actor, id, "read", shareToken);
      if (surface.status !== "ready") return experiment.caption;
      if (surface.kind === "eigen-ratio") {
        maps.push(surface.statistics?.ratio?.mean ?? null);
        continue;
      }
      const path = surface.geometry?.path ?? null;
      sides.push({
        role: runs[k]?.role ?? `surface ${k + 1}`,
        nonConvexity: surface.statistics?.nonConvexity ?? null,
        basinWidth: surface.statistics?.basin?.width ?? null,
        lossMin: surface.statistics?.loss?.min ?? null,
        explainedVariance: surface.geometry?.explainedVariance ?? null,
        // Paths stored before their distances from the final model were kept say nothing of it.
        path: path?.every((p) => p.fromFinal !== undefined) ? path.map((p) => ({ step: p.step, offPlane: p.distance, fromFinal: p.fromFinal! })) : null,
        minima: significantMinima(surface),
      });
    }
    // A depth sweep maps its deepest pair only: the maps belong to the last sides.
    if (maps.length > 0 && maps.length <= sides.length) sides.slice(sides.length - maps.length).forEach((side, k) => (side.meanEigenRatio = maps[k]));
    const measured = measuredCaption(experiment.kind as string as ExperimentKind, sides);
    return measured ? `${experiment.caption} ${measured}` : experiment.caption;
  }

  @FieldResolver(() => [Surface], { description: "Its surfaces, in the order of the runs; empty until training is done" })
  async surfaces(@Root() experiment: Experiment, @Ctx() { actor, services, shareToken }: Context): Promise<Surface[]> {
    const surfaces: Surface[] = [];
    for (const id of experiment.surfaceIds) surfaces.push(toSurfaceType(await services.surfaces.get(actor, id, "read", shareToken)));
    return surfaces;
  }

  @FieldResolver(() => Curve, { nullable: true, description: "The curve between its two models (connectivity experiments), once they are trained; null otherwise, or once the curve is deleted" })
  async curve(@Root() experiment: Experiment, @Ctx() context: Context): Promise<Curve | null> {
    return (await curveOf(experiment, context)) as unknown as Curve | null;
  }

  @FieldResolver(() => ExperimentStatus)
  async status(@Root() experiment: Experiment, @Ctx() context: Context): Promise<ExperimentStatus> {
    const { actor, services, shareToken } = context;
    if (experiment.failed) return ExperimentStatus.FAILED;
    if (experiment.curveId) {
      const curve = await curveOf(experiment, context);
      if (!curve || curve.status === "failed" || curve.status === "cancelled") return ExperimentStatus.FAILED;
      return curve.status === "ready" ? ExperimentStatus.READY : ExperimentStatus.COMPUTING;
    }
    if (experiment.surfaceIds.length === 0) return ExperimentStatus.TRAINING;
    for (const id of experiment.surfaceIds) {
      const surface = await services.surfaces.get(actor, id, "read", shareToken);
      if (surface.status === "failed" || surface.status === "cancelled") return ExperimentStatus.FAILED;
      if (surface.status !== "ready") return ExperimentStatus.COMPUTING;
    }
    return ExperimentStatus.READY;
  }

  @Mutation(() => ExperimentPayload, { description: "Train both sides of a comparison and compute matching surfaces (editors and owners)" })
  startExperiment(@Arg("input", () => StartExperimentInput) input: StartExperimentInput, @Ctx() { actor, services }: Context): Promise<ExperimentPayload> {
    return runMutation({ experiment: null }, async () => ({ experiment: toExperimentType(await services.experiments.start(actor, input)) }));
  }
}

/** The experiment's curve, or null when it has none or its curve was deleted. */
async function curveOf(experiment: Experiment, { actor, services, shareToken }: Context): Promise<CurveRecord | null> {
  if (!experiment.curveId) return null;
  try {
    return await services.curves.get(actor, experiment.curveId, "read", shareToken);
  } catch (error) {
    if (error instanceof DomainError && error.code === ErrorCode.NOT_FOUND) return null;
    throw error;
  }
}

/** Minima of a surface with a persistence of at least 1% of its capped loss range, as the viewer shows them by default. */
function significantMinima(surface: { criticalPoints: { kind: string; persistence?: number }[] | null; statistics: { loss?: { min: number | null; max: number | null; median?: number | null } | null } | null }): number | null {
  if (!surface.criticalPoints) return null;
  const loss = surface.statistics?.loss;
  const floor = loss?.min != null && loss.max != null ? defaultMinPersistence(loss.min, loss.max, loss.median ?? null) : 0;
  return surface.criticalPoints.filter((p) => p.kind === "minimum" && (p.persistence == null || p.persistence >= floor)).length;
}

