/**
 * "What filter normalization fixes", read pair by pair: each pair's two runs with their measured
 * test errors, and its surfaces in the order the worker queued them (domain/normalization-experiment.ts).
 */
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { NORMALIZATION_PAIRS, normalizationSlots } from "../../domain/normalization-experiment.js";
import { toSurfaceType } from "../surfaces/surfaces.resolver.js";
import type { SurfaceRecord } from "../surfaces/surface-records.js";
import type { TrainingRunRecord } from "../training/training.service.js";
import { Experiment } from "./experiment.type.js";
import { type NormalizationPair, normalizationCaption } from "./normalization-caption.js";
import { ExperimentPair } from "./normalization.type.js";

/** A run's last measured test error and loss (1 - test accuracy), null when it measured none. */
function lastTest(run: TrainingRunRecord | undefined): { testError: number | null; testLoss: number | null } {
  const point = run?.curve.findLast((p) => p.testAccuracy !== null);
  return { testError: point ? 1 - point.testAccuracy! : null, testLoss: point?.testLoss ?? null };
}

interface Loaded {
  runs: TrainingRunRecord[];
  /** The experiment's surfaces slot by slot, or null before they are queued. */
  surfaces: SurfaceRecord[] | null;
}

async function load(experiment: Experiment, { actor, services, shareToken }: Context): Promise<Loaded> {
  const runs = await services.training.ofExperiment(experiment.id);
  if (experiment.surfaceIds.length === 0) return { runs, surfaces: null };
  const byId = new Map<string, SurfaceRecord>();
  for (const id of new Set(experiment.surfaceIds)) byId.set(id, await services.surfaces.get(actor, id, "read", shareToken));
  return { runs, surfaces: experiment.surfaceIds.map((id) => byId.get(id)!) };
}

/** The measured caption, once every slice is ready; null before. */
export async function normalizationMeasured(experiment: Experiment, context: Context): Promise<string | null> {
  const { runs, surfaces } = await load(experiment, context);
  if (!surfaces) return null;
  const slots = normalizationSlots();
  const width = (pair: number, run: number, norm: "none" | "filter") => {
    const k = slots.findIndex((s) => s.pair === pair && s.kind === "line" && s.norm === norm && s.run === run);
    const surface = surfaces[k];
    return surface?.status === "ready" ? (surface.statistics?.basin?.width ?? null) : null;
  };
  const pairs: NormalizationPair[] = NORMALIZATION_PAIRS.map(({ title, runs: [a, b] }, pair) => ({
    title,
    sides: [a, b].map((run) => ({ role: runs[run]?.role ?? `run ${run + 1}`, testError: lastTest(runs[run]).testError, testRows: runs[run]?.options.holdOut ?? null, widthNone: width(pair, run, "none"), widthFilter: width(pair, run, "filter") })) as unknown as NormalizationPair["sides"],
  }));
  const line = surfaces[slots.findIndex((s) => s.kind === "line")]!.params.x;
  return normalizationCaption(pairs, line.max - line.min);
}

@Resolver(() => Experiment)
export class NormalizationPairsResolver {
  @FieldResolver(() => [ExperimentPair], {
    nullable: true,
    description: "What filter normalization fixes: its pairs, each with both sides' test errors and its surfaces grouped (empty panels until training is done); null for other kinds",
  })
  async pairs(@Root() experiment: Experiment, @Ctx() context: Context): Promise<ExperimentPair[] | null> {
    if ((experiment.kind as string) !== "normalization") return null;
    const { runs, surfaces } = await load(experiment, context);
    const slots = normalizationSlots();
    return NORMALIZATION_PAIRS.map(({ title, runs: sides }, pair) => ({
      title,
      sides: sides.filter((run) => runs[run]).map((run) => ({ role: runs[run]!.role ?? `run ${run + 1}`, runId: runs[run]!.id, ...lastTest(runs[run]) })),
      panels: (
        [
          ["interpolation", null],
          ["line", "none"],
          ["line", "filter"],
          ["plane", "none"],
          ["plane", "filter"],
        ] as const
      ).map(([kind, normalization]) => ({
        kind,
        normalization,
        surfaces: surfaces ? slots.flatMap((slot, k) => (slot.pair === pair && slot.kind === kind && slot.norm === normalization ? [toSurfaceType(surfaces[k]!)] : [])) : [],
      })),
    }));
  }
}
