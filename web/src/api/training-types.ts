/** Types of training runs and experiments as this app selects them (see schema/schema.graphql). */
import type { SurfaceSummary } from "./types";

export type TrainingStatus = "QUEUED" | "RUNNING" | "READY" | "FAILED" | "CANCELLED";
/** MLP and CNN are built from scratch; UPLOADED trains a model of the project from its own weights. */
export type ArchitectureKind = "MLP" | "CNN" | "UPLOADED";
export type Optimizer = "SGD" | "MOMENTUM" | "ADAM";
export type ExperimentKind = "SKIP" | "BATCH" | "WEIGHT_DECAY" | "TRAJECTORY";
export type ExperimentSize = "SMALL" | "STANDARD";
export type ExperimentStatus = "TRAINING" | "COMPUTING" | "READY" | "FAILED";

export interface Architecture {
  kind: ArchitectureKind; depth: number | null; width: number | null; residual: boolean | null; channels: number[] | null;
  modelId: string | null;
}
export interface TrainingOptions {
  optimizer: Optimizer | null; learningRate: number | null; batchSize: number | null; weightDecay: number | null;
  epochs: number | null; seed: number | null; checkpointEvery: number | null; samples: number | null;
}
/** Loss and accuracy measured at one checkpoint. */
export interface CurvePoint {
  step: number; epoch: number; trainLoss: number; trainAccuracy: number; testLoss: number | null; testAccuracy: number | null;
}
/** A run in a list: no curve. */
export interface TrainingRunSummary {
  id: string; name: string; projectId: string; status: TrainingStatus; stepsDone: number; stepsTotal: number | null;
  role: string | null; createdAt: string; finishedAt: string | null;
}
export interface TrainingRun extends TrainingRunSummary {
  datasetId: string; testDatasetId: string | null; modelId: string | null;
  architecture: Architecture; options: TrainingOptions; curve: CurvePoint[];
  errorCode: string | null; errorMessage: string | null;
}
export interface ExperimentSummary {
  id: string; name: string; kind: ExperimentKind; status: ExperimentStatus; projectId: string; createdAt: string;
  runs: Pick<TrainingRunSummary, "id" | "status" | "stepsDone" | "stepsTotal" | "role">[];
}
export interface Experiment extends Omit<ExperimentSummary, "runs"> {
  caption: string; datasetId: string; runs: TrainingRun[]; surfaces: SurfaceSummary[];
}
