/**
 * The layout of the experiment "What filter normalization fixes" (Li et al. 2018, Figures 2-4),
 * shared by the worker that queues its surfaces and the API that reads them: which runs are
 * compared, and, per pair, the surfaces in order. The experiment's surface ids follow
 * `normalizationSlots` one to one; a surface of a run that is in two pairs (the small-batch run
 * without weight decay) is computed once and its id appears in both.
 */
import type { Normalization } from "../engine/pure.js";

/** Runs of the experiment, in order: 0 small batch, 1 large batch, 2 small batch with weight decay. */
export const NORMALIZATION_PAIRS: readonly { title: string; runs: readonly [number, number] }[] = [
  { title: "Small vs large batch, without weight decay", runs: [0, 1] },
  { title: "Without vs with weight decay, small batch", runs: [0, 2] },
];

export type NormalizationSlot =
  | { pair: number; kind: "interpolation"; norm: null; run: null }
  | { pair: number; kind: "line" | "plane"; norm: Extract<Normalization, "none" | "filter">; run: number };

/** Per pair: the interpolation between its minima, then slices without and with normalization, then planes likewise. */
export function normalizationSlots(): NormalizationSlot[] {
  return NORMALIZATION_PAIRS.flatMap(({ runs }, pair) => [
    { pair, kind: "interpolation" as const, norm: null, run: null },
    ...(["line", "plane"] as const).flatMap((kind) => (["none", "filter"] as const).flatMap((norm) => runs.map((run) => ({ pair, kind, norm, run })))),
  ]);
}

/** The key under which a run's surface is computed once, whichever pairs show it. */
export function slotKey(slot: NormalizationSlot): string {
  return slot.kind === "interpolation" ? `interpolation:${slot.pair}` : `${slot.kind}:${slot.norm}:${slot.run}`;
}
