/** The "Train a model" and "Run an experiment" forms as data: defaults, choices and form-to-input conversion. */
import type { ArchitectureInput, StartTrainingInput, TrainingOptionsInput } from "../api/gql/graphql";
import type { ArchitectureKind, ExperimentKind, ExperimentSize, Optimizer } from "../api/training-types";

/** The server's defaults (schema/schema.graphql), shown as placeholders; an empty field takes them. */
export const TRAINING_DEFAULTS = {
  depth: 4, width: 32, channels: [8, 16] as [number, number], blocks: 3, resnetWidth: 16, downsample: 1, optimizer: "SGD" as Optimizer,
  learningRate: 0.05, batchSize: 32, weightDecay: 0, epochs: 5, seed: 0,
};

export const OPTIMIZERS: { value: Optimizer; label: string }[] = [
  { value: "SGD", label: "SGD" },
  { value: "MOMENTUM", label: "SGD with momentum (0.9)" },
  { value: "ADAM", label: "Adam" },
];

export const EXPERIMENT_KINDS: { value: ExperimentKind; label: string; description: string }[] = [
  { value: "SKIP", label: "Skip connections", description: "The same deep MLP trained with and without skip connections: without them the surface turns chaotic." },
  { value: "BATCH", label: "Small vs large batch", description: "One network trained with small and with large batches: are the minima flat or sharp?" },
  { value: "WEIGHT_DECAY", label: "Weight decay", description: "With vs without weight decay, on filter-normalized directions that remove the scale effect." },
  { value: "TRAJECTORY", label: "Optimizer trajectory", description: "One run's checkpoints drawn as a path on the PCA plane they span." },
  { value: "OVER_TRAINING", label: "Landscape over training", description: "One plane seen around every checkpoint of a run, played in order: watch the minimum form." },
  { value: "DEPTH", label: "Depth with and without shortcuts", description: "ResNets of growing depth and their plain twins, one plane each: without shortcuts the deep surfaces turn chaotic. Needs image data (MNIST)." },
  { value: "WIDTH", label: "Width with and without shortcuts", description: "One ResNet depth at growing widths and their plain twins, one plane each: the wider, the smoother. Needs image data (MNIST)." },
  { value: "NORMALIZATION", label: "What filter normalization fixes", description: "Small vs large batch, without and with weight decay: slices and planes without and with filter normalization beside each run's test error on held-out rows." },
  { value: "CONNECTIVITY", label: "Mode connectivity", description: "One MLP trained from two seeds, then the curve that connects the two minima: is its barrier lower than the straight line's?" },
];

export const EXPERIMENT_SIZES: { value: ExperimentSize; label: string }[] = [
  { value: "SMALL", label: "Small (minutes on a laptop)" },
  { value: "STANDARD", label: "Standard (deeper models, finer grids)" },
  { value: "PAPER", label: "Paper (closer to the paper's scale: hours on a CPU)" },
];

/** The form's fields as typed (strings from inputs, a boolean from the checkbox). */
export interface TrainingFormValues {
  name: string; architecture: ArchitectureKind; modelId: string; depth: string; width: string; residual: boolean;
  channels1: string; channels2: string; blocks: string; resnetWidth: string; downsample: string; shortcuts: boolean; datasetId: string; testDatasetId: string; optimizer: Optimizer | "";
  learningRate: string; batchSize: string; weightDecay: string; epochs: string; checkpointEvery: string;
  samples: string; seed: string;
}

export type FormResult<T> = { ok: true; input: T } | { ok: false; field: string; message: string };

interface NumberRule { label: string; integer?: boolean; min?: number; max?: number; above?: number }

/** A number typed into a field: undefined when empty; an error in words when it is not a valid one. */
export function parseNumber(raw: string, rule: NumberRule): number | undefined | string {
  const text = raw.trim();
  if (text === "") return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) return `${rule.label} must be a number`;
  if (rule.integer && !Number.isInteger(n)) return `${rule.label} must be a whole number`;
  if (rule.min !== undefined && n < rule.min) return `${rule.label} must be at least ${rule.min}`;
  if (rule.max !== undefined && n > rule.max) return `${rule.label} must be at most ${rule.max}`;
  if (rule.above !== undefined && !(n > rule.above)) return `${rule.label} must be above ${rule.above}`;
  return n;
}

/** StartTrainingInput from the form; empty fields are left out so the server's defaults apply. */
export function trainingInput(projectId: string, v: TrainingFormValues): FormResult<StartTrainingInput> {
  const numbers: Record<string, number> = {};
  const take = (key: string, raw: string, rule: NumberRule): string | null => {
    const n = parseNumber(raw, rule);
    if (typeof n === "string") return n;
    if (n !== undefined) numbers[key] = n;
    return null;
  };
  const checks: [string, string, NumberRule][] =
    v.architecture === "MLP"
      ? [["depth", v.depth, { label: "Hidden layers", integer: true, min: 1, max: 32 }], ["width", v.width, { label: "Units per layer", integer: true, min: 1, max: 1024 }]]
      : v.architecture === "CNN"
        ? [["channels1", v.channels1, { label: "Filters of the first conv layer", integer: true, min: 1, max: 128 }], ["channels2", v.channels2, { label: "Filters of the second conv layer", integer: true, min: 1, max: 128 }]]
        : v.architecture === "RESNET"
          ? [
              ["blocks", v.blocks, { label: "Blocks per stage", integer: true, min: 1, max: 18 }],
              ["resnetWidth", v.resnetWidth, { label: "Channels of the first stage", integer: true, min: 1, max: 64 }],
              ["downsample", v.downsample, { label: "Downsampling", integer: true, min: 1, max: 4 }],
            ]
          : [];
  checks.push(
    ["learningRate", v.learningRate, { label: "Learning rate", above: 0, max: 10 }],
    ["batchSize", v.batchSize, { label: "Batch size", integer: true, min: 1, max: 8192 }],
    ["weightDecay", v.weightDecay, { label: "Weight decay", min: 0, max: 1 }],
    ["epochs", v.epochs, { label: "Epochs", integer: true, min: 1, max: 200 }],
    ["checkpointEvery", v.checkpointEvery, { label: "Checkpoint every", integer: true, min: 1 }],
    ["samples", v.samples, { label: "Training samples", integer: true, min: 2 }],
    ["seed", v.seed, { label: "Seed", integer: true, min: 0, max: 2 ** 31 - 1 }],
  );
  for (const [key, raw, rule] of checks) {
    const error = take(key, raw, rule);
    if (error) return { ok: false, field: key, message: error };
  }
  if (!v.datasetId) return { ok: false, field: "datasetId", message: "Choose the data to train on" };
  if (v.architecture === "UPLOADED" && !v.modelId) return { ok: false, field: "modelId", message: "Choose the model to train" };
  const architecture: ArchitectureInput = { kind: v.architecture };
  if (v.architecture === "MLP") {
    if (numbers.depth !== undefined) architecture.depth = numbers.depth;
    if (numbers.width !== undefined) architecture.width = numbers.width;
    architecture.residual = v.residual;
  } else if (v.architecture === "UPLOADED") {
    architecture.modelId = v.modelId;
  } else if (v.architecture === "RESNET") {
    if (numbers.blocks !== undefined) architecture.blocks = numbers.blocks;
    if (numbers.resnetWidth !== undefined) architecture.width = numbers.resnetWidth;
    if (numbers.downsample !== undefined) architecture.downsample = numbers.downsample;
    architecture.residual = v.shortcuts;
  } else if (numbers.channels1 !== undefined || numbers.channels2 !== undefined) {
    // The API takes both filters or neither; a missing one keeps its default.
    architecture.channels = [numbers.channels1 ?? TRAINING_DEFAULTS.channels[0], numbers.channels2 ?? TRAINING_DEFAULTS.channels[1]];
  }
  const options: TrainingOptionsInput = {};
  if (v.optimizer) options.optimizer = v.optimizer;
  for (const key of ["learningRate", "batchSize", "weightDecay", "epochs", "checkpointEvery", "samples", "seed"] as const) {
    if (numbers[key] !== undefined) options[key] = numbers[key];
  }
  const input: StartTrainingInput = { projectId, datasetId: v.datasetId, architecture, options };
  if (v.testDatasetId) input.testDatasetId = v.testDatasetId;
  if (v.name.trim()) input.name = v.name.trim();
  return { ok: true, input };
}

/** Steps a run will take, as the server counts them: batches per epoch times epochs. */
export function estimateSteps(rows: number, v: Pick<TrainingFormValues, "batchSize" | "epochs" | "samples">): number | null {
  const samples = parseNumber(v.samples, { label: "", integer: true, min: 2 });
  const batch = parseNumber(v.batchSize, { label: "", integer: true, min: 1 });
  const epochs = parseNumber(v.epochs, { label: "", integer: true, min: 1 });
  if (typeof samples === "string" || typeof batch === "string" || typeof epochs === "string" || rows < 1) return null;
  const n = Math.min(rows, samples ?? rows);
  return Math.ceil(n / Math.min(batch ?? TRAINING_DEFAULTS.batchSize, n)) * (epochs ?? TRAINING_DEFAULTS.epochs);
}

/** The paper's name of a ResNet: "ResNet-56", "ResNet-56-noshort". */
export function resnetDepthName(blocks: number, residual: boolean): string {
  return `ResNet-${6 * blocks + 2}${residual ? "" : "-noshort"}`;
}

/** A run's architecture in words, e.g. "MLP, 2 hidden layers of 8 units, with skip connections". */
export function describeArchitecture(
  a: { kind: ArchitectureKind; depth: number | null; width: number | null; residual: boolean | null; channels: number[] | null; blocks?: number | null; downsample?: number | null },
  modelName?: string,
): string {
  if (a.kind === "RESNET") {
    const blocks = a.blocks ?? TRAINING_DEFAULTS.blocks;
    const residual = a.residual ?? true;
    const downsample = a.downsample ?? TRAINING_DEFAULTS.downsample;
    return `${resnetDepthName(blocks, residual)}: ${blocks} block${blocks === 1 ? "" : "s"} per stage, ${a.width ?? TRAINING_DEFAULTS.resnetWidth} channels in the first stage, ${residual ? "with shortcuts" : "no shortcuts (the plain twin)"}${downsample > 1 ? `, images averaged down by ${downsample}` : ""}`;
  }
  if (a.kind === "UPLOADED") return `${modelName ? `the project's model “${modelName}”` : "a model of the project"}, trained from its own weights`;
  if (a.kind === "CNN") return `CNN, two conv layers of ${(a.channels ?? TRAINING_DEFAULTS.channels).join(" and ")} filters`;
  const depth = a.depth ?? TRAINING_DEFAULTS.depth;
  return `MLP, ${depth} hidden layer${depth === 1 ? "" : "s"} of ${a.width ?? TRAINING_DEFAULTS.width} units, ${a.residual ? "with" : "without"} skip connections`;
}
