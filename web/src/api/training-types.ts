/**
 * Types of training runs and experiments as this app selects them: aliases of the types generated
 * from schema/schema.graphql and the fragments in training-ops.ts (`npm run codegen`).
 */
import type {
  ExperimentFieldsFragment,
  ExperimentSummaryFieldsFragment,
  TrainingRunFieldsFragment,
  TrainingRunSummaryFieldsFragment,
} from "./gql/graphql";

/** ArchitectureKind: MLP, CNN and RESNET are built from scratch; UPLOADED trains a model of the project from its own weights. */
export type {
  ArchitectureKind,
  ExperimentKind,
  ExperimentSize,
  ExperimentStatus,
  Optimizer,
  TrainingStatus,
} from "./gql/graphql";

/** A run in a list: no curve. */
export type TrainingRunSummary = TrainingRunSummaryFieldsFragment;
export type TrainingRun = TrainingRunFieldsFragment;
export type Architecture = TrainingRun["architecture"];
export type TrainingOptions = TrainingRun["options"];
/** Loss and accuracy measured at one checkpoint. */
export type CurvePoint = TrainingRun["curve"][number];
export type ExperimentSummary = ExperimentSummaryFieldsFragment;
export type Experiment = ExperimentFieldsFragment;
