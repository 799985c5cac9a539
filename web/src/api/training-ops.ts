/** The GraphQL operations of training runs and experiments, one constant each. */
import { SURFACE_SUMMARY } from "./ops";

const ERR = "ok error { code message field }";
export const TRAINING_RUN_SUMMARY = "id name projectId status stepsDone stepsTotal role createdAt finishedAt";
export const TRAINING_RUN = `${TRAINING_RUN_SUMMARY} datasetId testDatasetId modelId errorCode errorMessage
  architecture { kind depth width residual channels modelId }
  options { optimizer learningRate batchSize weightDecay epochs seed checkpointEvery samples }
  curve { step epoch trainLoss trainAccuracy testLoss testAccuracy }`;
export const EXPERIMENT_SUMMARY = "id name kind status projectId createdAt runs { id status stepsDone stepsTotal role }";
export const EXPERIMENT = `id name kind status projectId createdAt caption datasetId runs { ${TRAINING_RUN} } surfaces { ${SURFACE_SUMMARY} }`;

/** The project page's training runs and experiments. */
export const PROJECT_TRAINING = `query ($id: ID!) {
  trainingRuns(projectId: $id, first: 100) { nodes { ${TRAINING_RUN_SUMMARY} } }
  experiments(projectId: $id, first: 100) { nodes { ${EXPERIMENT_SUMMARY} } }
}`;
/** What a run's page shows around the run: its project, its datasets and models by name. */
export const TRAINING_CONTEXT = `query ($id: ID!) {
  project(id: $id) { id name myRole }
  models(projectId: $id, first: 100) { nodes { id name parameterCount } }
  datasets(projectId: $id, first: 100) { nodes { id name rows } }
}`;

export const TRAINING_RUN_QUERY = `query ($id: ID!) { trainingRun(id: $id) { ${TRAINING_RUN} } }`;
export const START_TRAINING = `mutation ($input: StartTrainingInput!) { startTraining(input: $input) { ${ERR} run { id } } }`;
export const CANCEL_TRAINING = `mutation ($id: ID!) { cancelTraining(id: $id) { ${ERR} run { ${TRAINING_RUN} } } }`;
export const TRAINING_PROGRESS = `subscription ($id: ID!) { trainingProgress(id: $id) { ${TRAINING_RUN} } }`;

export const EXPERIMENT_QUERY = `query ($id: ID!) { experiment(id: $id) { ${EXPERIMENT} } }`;
export const START_EXPERIMENT = `mutation ($input: StartExperimentInput!) { startExperiment(input: $input) { ${ERR} experiment { id } } }`;
/** The compare view's heading for an experiment: the surfaces in the order of the runs. */
export const EXPERIMENT_CAPTION = `query ($id: ID!) { experiment(id: $id) { id name caption runs { id role } surfaces { id } } }`;
