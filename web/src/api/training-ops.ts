/**
 * The GraphQL operations of training runs and experiments, one constant each, typed like those in
 * ops.ts (`npm run codegen`). Literal strings only: codegen reads them as written.
 */
import { graphql } from "./gql";

// Fragments (SurfaceSummaryFields and MutationErrorFields are in ops.ts).

graphql(`
  fragment TrainingRunSummaryFields on TrainingRun {
    id name projectId status stepsDone stepsTotal role createdAt finishedAt
  }
`);

graphql(`
  fragment TrainingRunFields on TrainingRun {
    ...TrainingRunSummaryFields
    datasetId testDatasetId modelId errorCode errorMessage
    architecture { kind depth width residual channels blocks downsample modelId }
    options { optimizer learningRate batchSize weightDecay epochs seed checkpointEvery samples }
    curve { step epoch trainLoss trainAccuracy testLoss testAccuracy }
  }
`);

graphql(`
  fragment ExperimentSummaryFields on Experiment {
    id name kind status projectId createdAt
    runs { id status stepsDone stepsTotal role }
  }
`);

graphql(`
  fragment ExperimentFields on Experiment {
    id name kind status projectId createdAt caption datasetId
    runs { ...TrainingRunFields }
    surfaces { ...SurfaceSummaryFields }
    pairs { title sides { role runId testError testLoss } panels { kind normalization surfaces { id name kind status pointsDone pointsTotal thumbnailUrl statistics { basinWidth } } } }
    curve {
      id name status phase stepsDone stepsTotal pointsDone pointsTotal errorMessage
      values { curveBarriers { trainLoss trainAccuracy } lineBarriers { trainLoss trainAccuracy } }
    }
  }
`);

/** The project page's training runs and experiments. */
export const PROJECT_TRAINING = graphql(`
  query ProjectTraining($id: ID!) {
    trainingRuns(projectId: $id, first: 100) { nodes { ...TrainingRunSummaryFields } }
    experiments(projectId: $id, first: 100) { nodes { ...ExperimentSummaryFields } }
  }
`);

/** What a run's page shows around the run: its project, its datasets and models by name. */
export const TRAINING_CONTEXT = graphql(`
  query TrainingContext($id: ID!) {
    project(id: $id) { id name myRole }
    models(projectId: $id, first: 100) { nodes { id name parameterCount trainableCount bufferCount } }
    datasets(projectId: $id, first: 100) { nodes { id name rows } }
  }
`);

export const TRAINING_RUN_QUERY = graphql(`
  query TrainingRun($id: ID!) { trainingRun(id: $id) { ...TrainingRunFields } }
`);

export const START_TRAINING = graphql(`
  mutation StartTraining($input: StartTrainingInput!) {
    startTraining(input: $input) { ok error { ...MutationErrorFields } run { id } }
  }
`);

export const CANCEL_TRAINING = graphql(`
  mutation CancelTraining($id: ID!) {
    cancelTraining(id: $id) { ok error { ...MutationErrorFields } run { ...TrainingRunFields } }
  }
`);

export const TRAINING_PROGRESS = graphql(`
  subscription TrainingProgress($id: ID!) { trainingProgress(id: $id) { ...TrainingRunFields } }
`);

export const EXPERIMENT_QUERY = graphql(`
  query Experiment($id: ID!) { experiment(id: $id) { ...ExperimentFields } }
`);

export const START_EXPERIMENT = graphql(`
  mutation StartExperiment($input: StartExperimentInput!) {
    startExperiment(input: $input) { ok error { ...MutationErrorFields } experiment { id } }
  }
`);

/** The compare view's heading for an experiment: the surfaces in the order of the runs. */
export const EXPERIMENT_CAPTION = graphql(`
  query ExperimentCaption($id: ID!) {
    experiment(id: $id) { id name caption runs { id role } surfaces { id } }
  }
`);
