/**
 * The paper's comparisons as runnable experiments (Li et al. 2018): what each trains, and what to
 * look for. Each side of a comparison trains the same architecture with the same seed and data,
 * differing in one thing; the surfaces then use the same grid and the same direction seed.
 */
import type { Architecture, TrainingOptions } from "../training/params.js";

export type ExperimentKind = "skip" | "batch" | "weight-decay" | "trajectory" | "over-training";
export type ExperimentSize = "small" | "standard";

export interface ExperimentPlan {
  name: string;
  caption: string;
  runs: { role: string; architecture: Architecture; options: Partial<TrainingOptions> }[];
  /** Surfaces per trained model: random planes, or one PCA plane for a trajectory. */
  surface: "plane" | "pca";
  /** Also the same plane around every checkpoint of the run (the landscape over training). */
  series?: boolean;
  grid: number;
  span: number;
  samples: number;
}

export function planExperiment(kind: ExperimentKind, size: ExperimentSize, rows: number): ExperimentPlan {
  const small = size === "small";
  const depth = small ? 4 : 10;
  const width = small ? 16 : 32;
  const samples = Math.min(rows, small ? 300 : 2000);
  // Enough steps for both sides to train, whatever the size of the data: on Iris's 150 rows,
  // three epochs of batch 32 are 15 steps, after which neither side has learned anything.
  const minSteps = small ? 100 : 300;
  const epochs = Math.max(small ? 3 : 6, Math.ceil(minSteps / Math.ceil(samples / 32)));
  const steps = epochs * Math.ceil(samples / 32);
  // Adam at 1e-3 trains both sides of every comparison well (plain SGD at one rate left deep
  // residual MLPs far behind their plain twins, which is not the comparison the paper makes).
  const base = { optimizer: "adam" as const, learningRate: 0.001, epochs, seed: 1, samples, batchSize: 32 };
  const mlp = (residual: boolean): Architecture => ({ kind: "mlp", depth, width, residual });
  const grid = small ? 11 : 31;
  switch (kind) {
    case "skip":
      return {
        name: `Skip connections: ${depth}-layer MLP with and without`,
        caption:
          "Li et al. (2018) show that without skip connections the loss surface of a deep network turns chaotic and non-convex, while the same network with skips stays smooth around its minimum. Both models here share architecture, data, seed and directions; compare contour regularity on the shared colour scale.",
        runs: [
          { role: "without skip connections", architecture: mlp(false), options: base },
          { role: "with skip connections", architecture: mlp(true), options: base },
        ],
        surface: "plane",
        grid,
        span: 1,
        samples,
      };
    case "batch":
      return {
        name: "Small vs large batch",
        caption:
          "Small batches are said to find wide, flat minima and large ones sharp minima. Li et al. show the difference in sharpness is visible under filter-normalized directions when weight decay is off. Compare the width of the basins at the centre.",
        runs: [
          { role: "batch 16", architecture: mlp(true), options: { ...base, batchSize: 16 } },
          { role: `batch ${Math.min(samples, 256)}`, architecture: mlp(true), options: { ...base, batchSize: Math.min(samples, 256) } },
        ],
        surface: "plane",
        grid,
        span: 1,
        samples,
      };
    case "weight-decay":
      return {
        name: "With vs without weight decay",
        caption:
          "Weight decay shrinks the weights, which changes how sharp a minimum looks in raw coordinates; filter-normalized directions (the default) remove that scale effect, so remaining differences in basin width are real. Compare both surfaces on the shared scale.",
        runs: [
          { role: "no weight decay", architecture: mlp(true), options: base },
          { role: "weight decay 5e-4", architecture: mlp(true), options: { ...base, weightDecay: 5e-4 } },
        ],
        surface: "plane",
        grid,
        span: 1,
        samples,
      };
    case "trajectory":
      return {
        name: "Optimizer trajectory on its PCA plane",
        caption:
          "Li et al. (2018) find that an optimizer's path lies in a very low-dimensional space: the first two principal directions of the checkpoints explain most of their variation. The path is drawn on the loss surface of the plane they span; the explained variance on the axes says how much of the path the plane holds.",
        runs: [{ role: "training run", architecture: mlp(true), options: { ...base, checkpointEvery: Math.max(1, Math.ceil(steps / 12)) } }],
        surface: "pca",
        grid,
        span: small ? 2 : 3,
        samples,
      };
    case "over-training":
      return {
        name: "Landscape over training",
        caption:
          "One random filter-normalized plane, fixed, seen around the network at every checkpoint of its training: the untrained network sits on a high, tilted slope, and the basin of the trained minimum forms as the run goes on. Press play in the viewer to watch it; the colour scale is shared by all frames.",
        runs: [{ role: "training run", architecture: mlp(true), options: { ...base, checkpointEvery: Math.max(1, Math.ceil(steps / 8)) } }],
        surface: "plane",
        series: true,
        grid,
        span: 1,
        samples,
      };
  }
}
