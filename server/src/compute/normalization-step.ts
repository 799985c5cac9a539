/**
 * The surfaces of "What filter normalization fixes" (Li et al. 2018, Figures 2-4), queued once its
 * runs are trained, in the order of domain/normalization-experiment.ts: per pair, the interpolation
 * between the two minima from t = -0.5 to 1.5 (the paper's Figure 2), then each minimum's slice
 * along one random direction without and with filter normalization, then its planes likewise. The
 * direction's seed is the same for every slice and plane, so with and without normalization differ
 * only in the direction's scale. Every surface is evaluated on the runs' training rows.
 */
import { recordSurface } from "../domain/record-surface.js";
import { NORMALIZATION_PAIRS, normalizationSlots, slotKey } from "../domain/normalization-experiment.js";
import { surfaceParamsSchema } from "../domain/surface-params.js";
import type { ComputeDeps } from "./deps.js";
import type { ExperimentRow } from "./sql/experiments.js";

/** The seed of the random direction of every slice and plane (as the other experiments' planes). */
const DIRECTION_SEED = 7;

/** Queues the surfaces (each once) and returns their ids slot by slot. */
export async function queueNormalizationSurfaces(
  deps: Pick<ComputeDeps, "pool" | "queue">,
  experiment: ExperimentRow,
  runs: readonly { model_id: string | null; role: string | null }[],
): Promise<string[]> {
  const { grid, span, samples, normalization } = experiment.surface_params;
  const { line, interpolation, sampleSeed } = normalization!;
  const rows = { samples, sampleSeed };
  const axis = (count: number) => ({ min: -span, max: span, count });
  const byKey = new Map<string, string>();
  const ids: string[] = [];
  for (const slot of normalizationSlots()) {
    const key = slotKey(slot);
    const known = byKey.get(key);
    if (known) {
      ids.push(known);
      continue;
    }
    const role = (run: number) => runs[run]?.role ?? `model ${run + 1}`;
    const surface =
      slot.kind === "interpolation"
        ? (() => {
            const [a, b] = normalizationPairRuns(slot.pair);
            return {
              name: `${experiment.name}: ${role(a)} to ${role(b)}`,
              kind: "interpolation" as const,
              modelId: runs[a]!.model_id!,
              modelBId: runs[b]!.model_id!,
              params: surfaceParamsSchema.parse({ x: { min: -0.5, max: 1.5, count: interpolation }, ...rows }),
            };
          })()
        : {
            name: `${experiment.name}: ${role(slot.run)}, ${slot.kind === "line" ? "slice" : "plane"} ${slot.norm === "none" ? "without normalization" : "filter-normalized"}`,
            kind: slot.kind,
            modelId: runs[slot.run]!.model_id!,
            modelBId: null,
            params: surfaceParamsSchema.parse({
              x: axis(slot.kind === "line" ? line : grid),
              ...(slot.kind === "plane" ? { y: axis(grid) } : {}),
              norm: slot.norm,
              seed: DIRECTION_SEED,
              ...rows,
            }),
          };
    const id = await recordSurface(deps.pool, deps.queue, { ...surface, projectId: experiment.project_id, createdBy: experiment.created_by, datasetId: experiment.dataset_id, tags: ["experiment"] });
    byKey.set(key, id);
    ids.push(id);
  }
  return ids;
}

function normalizationPairRuns(pair: number): readonly [number, number] {
  return NORMALIZATION_PAIRS[pair]!.runs;
}
