/** Operations of the landscape over training (a series of surfaces over a model's checkpoints). */

export const SERIES = `query ($id: ID!) { surface(id: $id) {
  series { id status pointsDone pointsTotal params { checkpointStep } }
  model { checkpoints(first: 51) { nodes { step } } }
} }`;
export const CREATE_SERIES = `mutation ($id: ID!) { createTrainingSeries(surfaceId: $id) { ok error { code message field } surfaces { id } } }`;

/** Experiments still training or computing in every project the caller may see (the gallery's strip). */
export const EXPERIMENTS_IN_PROGRESS = `query { experimentsInProgress(first: 12) { nodes {
  id name status projectId
  runs { role status stepsDone stepsTotal }
  surfaces { status pointsDone pointsTotal }
} } }`;
