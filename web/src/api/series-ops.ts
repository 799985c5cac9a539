/**
 * Operations of the landscape over training (a series of surfaces over a model's checkpoints) and
 * of the gallery's strip of experiments in progress, typed like those in ops.ts (`npm run codegen`).
 */
import { graphql } from "./gql";

graphql(`
  fragment SeriesFrameFields on Surface {
    id status pointsDone pointsTotal
    params { checkpointStep }
  }
`);

graphql(`
  fragment PreparingExperimentFields on Experiment {
    id name status projectId
    runs { role status stepsDone stepsTotal }
    surfaces { status pointsDone pointsTotal }
  }
`);

export const SERIES = graphql(`
  query SurfaceSeries($id: ID!) {
    surface(id: $id) {
      series { ...SeriesFrameFields }
      model { checkpoints(first: 51) { nodes { step } } }
    }
  }
`);

export const CREATE_SERIES = graphql(`
  mutation CreateTrainingSeries($id: ID!) {
    createTrainingSeries(surfaceId: $id) { ok error { ...MutationErrorFields } surfaces { id } }
  }
`);

/** Experiments still training or computing in every project the caller may see (the gallery's strip). */
export const EXPERIMENTS_IN_PROGRESS = graphql(`
  query ExperimentsInProgress {
    experimentsInProgress(first: 12) { nodes { ...PreparingExperimentFields } }
  }
`);

export const FEATURED_COMPARISON = graphql(`
  query FeaturedComparison {
    featuredComparison {
      contrast
      experiment { id name }
      surfaces { id name thumbnailUrl statistics { nonConvexity } }
    }
  }
`);
