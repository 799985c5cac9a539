/**
 * The paper's comparisons as runnable experiments (Li et al. 2018): what each trains, and what to
 * look for. Each side of a comparison trains the same architecture with the same seed and data,
 * differing in one thing; the surfaces then use the same grid and the same direction seed. Every
 * experiment has its own seed, so no two experiments show the same trained model. Captions ask
 * the question and say how to read the plots; what the surfaces measured is added to them once
 * they are ready (captions.ts), so no caption claims a result its own surfaces do not show.
 */
import type { CurveOptions } from "../../domain/curve-params.js";
import type { Architecture, TrainingOptions } from "../../domain/training-params.js";

export type ExperimentKind = "skip" | "batch" | "weight-decay" | "trajectory" | "over-training" | "depth" | "width" | "normalization" | "connectivity";
/**
 * small: minutes, for tests and a first look; standard: the default, sized to fit about 20
 * minutes on two cores for the whole demo; paper: closer to the paper's scale (deeper and wider
 * networks, finer grids), for a machine with a GPU or time to spare.
 */
export type ExperimentSize = "small" | "standard" | "paper";

export interface ExperimentPlan {
  name: string;
  caption: string;
  runs: { role: string; architecture: Architecture; options: Partial<TrainingOptions> }[];
  /**
   * Surfaces per trained model: random planes, or one PCA plane for a trajectory; or, instead of
   * surfaces, one curve between the first two runs' models (`curve`'s options).
   */
  surface: "plane" | "pca" | "curve";
  /** The curve's options, for `surface: "curve"`. */
  curve?: Partial<CurveOptions>;
  /** Also the same plane around every checkpoint of the run (the landscape over training). */
  series?: boolean;
  grid: number;
  span: number;
  samples: number;
  /**
   * Also an eigen-ratio map of each side's plane (Li et al. 2018, section 6): its points per axis
   * and the samples each Hessian-vector product runs over. Kept coarse: every point costs
   * up to MAP_LANCZOS_STEPS Hessian-vector products (each four gradients), fewer once it converges.
   * `lastRuns`: only the last runs' planes get one (the deepest pair of a depth sweep); default all.
   */
  eigenRatio?: { grid: number; samples: number; lastRuns?: number };
  /**
   * What filter normalization fixes: per pair of runs (domain/normalization-experiment.ts) an
   * interpolation of `interpolation` points from t = -0.5 to 1.5, slices of `line` points and
   * planes of `grid` points per axis (over -span..span) along one seed's direction without and with
   * filter normalization, all evaluated on the runs' training rows (`samples` drawn with `sampleSeed`).
   */
  normalization?: { line: number; interpolation: number; sampleSeed: number };
}

/** One training seed per experiment: "with skip connections" and "landscape over training" are different models. */
const EXPERIMENT_SEEDS: Record<ExperimentKind, number> = { skip: 1, batch: 2, "weight-decay": 3, trajectory: 4, "over-training": 5, depth: 6, connectivity: 7, normalization: 8, width: 9 };

export function planExperiment(kind: ExperimentKind, size: ExperimentSize, rows: number): ExperimentPlan {
  if (kind === "depth" || kind === "width") return planShortcutSweep(kind, size, rows);
  if (kind === "normalization") return planNormalization(size, rows);
  if (kind === "connectivity") return planConnectivity(size, rows);
  const small = size === "small";
  const paper = size === "paper";
  const depth = small ? 4 : 10;
  const width = small ? 16 : 32;
  const samples = Math.min(rows, small ? 300 : paper ? 5000 : 2000);
  // Enough steps for both sides to train, whatever the size of the data: on Iris's 150 rows,
  // three epochs of batch 32 are 15 steps, after which neither side has learned anything.
  const minSteps = small ? 100 : 300;
  const epochs = Math.max(small ? 3 : 6, Math.ceil(minSteps / Math.ceil(samples / 32)));
  const steps = epochs * Math.ceil(samples / 32);
  // Adam at 1e-3 trains both sides of every comparison well (plain SGD at one rate left deep
  // residual MLPs far behind their plain twins, which is not the comparison the paper makes).
  const base = { optimizer: "adam" as const, learningRate: 0.001, epochs, seed: EXPERIMENT_SEEDS[kind], samples, batchSize: 32 };
  const mlp = (residual: boolean): Architecture => ({ kind: "mlp", depth, width, residual });
  // The paper's planes are 51 x 51.
  const grid = small ? 11 : paper ? 51 : 31;
  switch (kind) {
    case "skip":
      return {
        name: `Skip connections: ${depth}-layer MLP with and without`,
        caption:
          `Li et al. (2018) find that without skip connections the loss surface of a deep network (their ResNet-56 and deeper) turns chaotic and non-convex, while the same network with skips stays smooth around its minimum. Here a ${depth}-layer MLP is trained both ways with the same data, seed and directions; compare the contours' regularity and the width of the basins on the shared colour scale.`,
        runs: [
          { role: "without skip connections", architecture: mlp(false), options: base },
          { role: "with skip connections", architecture: mlp(true), options: base },
        ],
        surface: "plane",
        grid,
        span: 1,
        samples,
        eigenRatio: { grid: small ? 5 : paper ? 11 : 7, samples: Math.min(samples, small ? 100 : paper ? 500 : 200) },
      };
    case "batch":
      return {
        name: "Small vs large batch",
        caption:
          "Small batches are said to find wide, flat minima and large ones sharp minima; Li et al. (2018) show that under filter-normalized directions, with weight decay off, the small-batch minimum looks wider. Compare the width of the basins at the centre.",
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
          "Weight decay shrinks the weights, which changes how sharp a minimum looks in raw coordinates; filter-normalized directions (the default) remove that scale effect, so differences in basin width that remain are not an artefact of scale. Compare both surfaces on the shared scale.",
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
          "Li et al. (2018) find that an optimizer's path lies in a very low-dimensional space: the first two principal directions of the checkpoints explain most of their variation. The path is drawn on the loss surface of the plane they span, whose ranges are fitted to hold the whole path; the explained variance on the axes says how much of the path the plane holds.",
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
          "One random filter-normalized plane, fixed, seen around the network at every checkpoint of its training. Press play in the viewer to watch how the landscape around the network changes as it trains; the colour scale is shared by all frames, and each frame shows its own lowest loss and non-convexity.",
        runs: [{ role: "training run", architecture: mlp(true), options: { ...base, checkpointEvery: Math.max(1, Math.ceil(steps / 8)) } }],
        surface: "plane",
        series: true,
        grid,
        span: 1,
        samples,
      };
  }
}

/**
 * Depth and width with and without shortcuts (Li et al. 2018, Figures 5 and 6): the zoo's ResNets
 * and their plain twins, on images averaged down by 2 (MNIST at 14x14), one filter-normalized plane
 * each with the same directions' seed. Runs come in pairs, plain first, so the compare view shows
 * one depth (or width) per row: without shortcuts on the left, with them on the right. Chosen with
 * PyTorch (scripts/depth-sweep.py, 2,000 digits, 20 epochs): at width 8 the plain planes'
 * non-convexity rose from 0.07 (ResNet-8) to 0.39 (ResNet-20) and 0.52 (ResNet-32) while the
 * residual twins stayed at 0.12-0.16, and ResNet-56-noshort no longer trained at this size. At
 * ResNet-20 it fell with width: 0.48, 0.39 and 0.31 without shortcuts at widths 4, 8 and 16 (0.24,
 * 0.08 and 0 near the minimum), 0.13, 0.16 and 0.04 with them; at ResNet-32-noshort width made no
 * clear difference (0.57, 0.52, 0.58).
 */
/**
 * The depth sweep's networks by size: at standard, ResNet-8, 20 and 32 at width 4 (PyTorch at width
 * 4: plain non-convexity 0.20, 0.63 and 0.61 against 0.12, 0.29 and 0.34 with shortcuts, two
 * significant minima without them at ResNet-20 and 32), which the engine trains in about a minute
 * each on one core; at paper, width 8 and ResNet-56 as well.
 */
const SHORTCUT_DEPTHS: Record<ExperimentSize, { blocks: number; width: number }[]> = {
  small: [1, 2].map((blocks) => ({ blocks, width: 4 })),
  standard: [1, 3, 5].map((blocks) => ({ blocks, width: 4 })),
  paper: [1, 3, 5, 9].map((blocks) => ({ blocks, width: 8 })),
};

/**
 * The width row's networks by size: ResNet-20 at widths 4 and 16 at standard (width 8 measured
 * close to 4 in PyTorch, so the wider end carries the comparison); 4 to 32 at paper.
 */
const SHORTCUT_WIDTHS: Record<ExperimentSize, { blocks: number; width: number }[]> = {
  small: [2, 8].map((width) => ({ blocks: 1, width })),
  standard: [4, 16].map((width) => ({ blocks: 3, width })),
  paper: [4, 8, 16, 32].map((width) => ({ blocks: 3, width })),
};

function planShortcutSweep(kind: "depth" | "width", size: ExperimentSize, rows: number): ExperimentPlan {
  const small = size === "small";
  const paper = size === "paper";
  const configs: { blocks: number; width: number }[] = kind === "depth" ? SHORTCUT_DEPTHS[size] : SHORTCUT_WIDTHS[size];
  const samples = Math.min(rows, small ? 300 : 2000);
  // Small: Adam trains these networks in 60 steps (momentum SGD at 0.05 left them at chance). Standard:
  // the settings of the PyTorch measurement, weight decay 5e-4 in PyTorch's convention (half in ours).
  const options = small
    ? { optimizer: "adam" as const, learningRate: 0.01, epochs: 6, seed: EXPERIMENT_SEEDS[kind], samples, batchSize: 32 }
    : { optimizer: "momentum" as const, learningRate: 0.05, epochs: 20, seed: EXPERIMENT_SEEDS[kind], samples, batchSize: 64, weightDecay: 2.5e-4 };
  const name = ({ blocks }: { blocks: number }) => `ResNet-${6 * blocks + 2}`;
  const role = (c: { blocks: number; width: number }, residual: boolean) => `${name(c)}${residual ? "" : "-noshort"}${kind === "width" ? ` (width ${c.width})` : ""}`;
  const runs = configs.flatMap((c) =>
    [false, true].map((residual) => ({ role: role(c, residual), architecture: { kind: "resnet", blocks: c.blocks, width: c.width, residual, downsample: 2 } as Architecture, options })),
  );
  const plan = { surface: "plane" as const, grid: small ? 9 : paper ? 51 : 21, span: 1, samples: Math.min(samples, small ? 100 : paper ? 1000 : 500), runs };
  if (kind === "depth") {
    const names = configs.map(name).join(", ");
    const width = configs[0]!.width;
    return {
      ...plan,
      // The deepest pair's Hessian, as the paper's Figure 7 maps it: coarse, since every point
      // costs up to MAP_LANCZOS_STEPS Hessian-vector products of the deepest network.
      eigenRatio: { grid: small ? 3 : paper ? 11 : 5, samples: Math.min(samples, small ? 50 : paper ? 500 : 100), lastRuns: 2 },
      name: `Depth with and without shortcuts: ${names}`,
      caption: `Li et al. (2018, Figure 5) find that as plain networks get deeper their loss surface goes from convex to chaotic, with many local minima, while the same networks with shortcut connections stay smooth around the minimum. Here ${names} (width ${width}, MNIST averaged down to 14x14) are trained with and without shortcuts on the same data and seed, and each gets a plane along filter-normalized directions of the same seed; each row of the compare view is one depth, without shortcuts on the left and with them on the right, on one colour scale.`,
    };
  }
  const widths = configs.map((c) => c.width).join(", ");
  return {
    ...plan,
    name: `Width with and without shortcuts: ${name(configs[0]!)} at widths ${widths}`,
    caption: `Li et al. (2018, Figure 6) find that wider networks have smoother, more convex loss surfaces, with and without shortcut connections. Here ${name(configs[0]!)} is trained at widths ${widths} (channels of the first stage; MNIST averaged down to 14x14), with and without shortcuts, on the same data and seed, and each gets a plane along filter-normalized directions of the same seed; each row of the compare view is one width, without shortcuts on the left and with them on the right, on one colour scale.`,
  };
}


/**
 * What filter normalization fixes (Li et al. 2018, Figures 2-4): one MLP trained with a small and a
 * large batch without weight decay, and with the small batch and weight decay 5e-4 (runs in the
 * order of NORMALIZATION_PAIRS). The test error of each run is measured on rows of the same
 * dataset held out from its training rows (`holdOut`), so every dataset has a test part; the
 * surfaces are evaluated on exactly the training rows. Both batch sizes train for the same epochs,
 * as in the paper, so the large batch takes fewer steps.
 */
function planNormalization(size: ExperimentSize, rows: number): ExperimentPlan {
  const small = size === "small";
  const holdOut = Math.max(1, Math.min(Math.floor(rows / 3), small ? 200 : 1000));
  const samples = Math.min(rows - holdOut, small ? 300 : 2000);
  const [smallBatch, largeBatch] = small ? [8, Math.min(samples, 128)] : [32, Math.min(samples, 512)];
  const seed = EXPERIMENT_SEEDS.normalization;
  const base = { optimizer: "adam" as const, learningRate: 0.01, epochs: small ? 40 : 30, seed, samples, holdOut };
  const architecture: Architecture = { kind: "mlp", depth: small ? 2 : 4, width: small ? 16 : 32, residual: false };
  return {
    name: "What filter normalization fixes",
    caption:
      `Li et al. (2018, Figures 2-4) show that the sharpness of a minimum along random directions says nothing about generalization unless the directions are filter-normalized: without normalization, a minimum found with weight decay (smaller weights) or with a small batch can look sharper or flatter merely from the scale of its weights; with filter normalization the flatter minimum is the one with the lower test error. Here one MLP is trained with batch ${smallBatch} and batch ${largeBatch} (no weight decay), and with batch ${smallBatch} and weight decay 5e-4; ${holdOut} rows of the dataset are held out from the ${samples} training rows to measure each run's test error. For each pair: the interpolation between the two minima (t = 0 and t = 1), then slices and planes around each minimum along one random direction without and with filter normalization.`,
    runs: [
      { role: `batch ${smallBatch}`, architecture, options: { ...base, batchSize: smallBatch } },
      { role: `batch ${largeBatch}`, architecture, options: { ...base, batchSize: largeBatch } },
      { role: `batch ${smallBatch}, weight decay 5e-4`, architecture, options: { ...base, batchSize: smallBatch, weightDecay: 5e-4 } },
    ],
    surface: "plane",
    grid: small ? 9 : size === "paper" ? 51 : 21,
    span: 1,
    samples,
    normalization: { line: small ? 21 : size === "paper" ? 101 : 51, interpolation: 61, sampleSeed: seed },
  };
}

/** Most samples the connectivity experiment trains on; every dataset up to this size is used whole, so both runs and the curve see the same data. */
const CONNECTIVITY_SAMPLES = 10_000;

/**
 * Mode connectivity (Garipov et al. 2018; Draxler et al. 2018): one MLP trained twice from
 * different seeds, then a quadratic Bezier curve between the two minima, trained with the
 * reference's defaults, and both the curve and the straight line evaluated along t. The standard
 * size is the README's measurement from the command line (MNIST, 784-64-10, Adam at 0.003, batch
 * 64, 8 epochs): a train loss barrier of 0.499 along the line against 0.040 along the curve. In
 * the service, on a WebAssembly worker sharing two cores, the standard size took 114 s from start to
 * caption (line 0.34, curve 0.023); the small size 8 s.
 */
function planConnectivity(size: ExperimentSize, rows: number): ExperimentPlan {
  const small = size === "small";
  const width = small ? 16 : 64;
  // The whole dataset up to the cap: a subset is drawn with each run's own seed, which would give the two runs different data.
  const samples = rows <= CONNECTIVITY_SAMPLES ? null : CONNECTIVITY_SAMPLES;
  const n = samples ?? rows;
  const batchSize = 64;
  const epochs = small ? Math.max(2, Math.ceil(100 / Math.ceil(n / batchSize))) : 8;
  const points = small ? 21 : 61;
  const seed = EXPERIMENT_SEEDS.connectivity;
  const options = { optimizer: "adam" as const, learningRate: 0.003, batchSize, epochs, samples };
  const mlp: Architecture = { kind: "mlp", depth: 1, width, residual: false };
  return {
    name: `Mode connectivity: two minima of an MLP with ${width} hidden units`,
    caption: `Garipov et al. (2018) and Draxler et al. (2018) find that two minima of one network, trained from different seeds, are separated by a barrier along the straight line between them, yet joined by a simple curve along which the training loss and accuracy stay nearly constant. Here an MLP with one hidden layer of ${width} units is trained twice, from seeds ${seed} and ${seed + 1}; a quadratic Bezier curve between the two minima is then trained (${epochs} epochs, SGD with momentum), and the curve and the straight line are evaluated at ${points} values of t. The barrier of a path is its highest loss minus the mean of its two ends' (of accuracy: the mean of the ends minus the lowest).`,
    runs: [
      { role: `model A (seed ${seed})`, architecture: mlp, options: { ...options, seed } },
      { role: `model B (seed ${seed + 1})`, architecture: mlp, options: { ...options, seed: seed + 1 } },
    ],
    surface: "curve",
    curve: { kind: "bezier", bends: 1, epochs, batchSize, points, samples, seed },
    grid: points,
    span: 0,
    samples: n,
  };
}
