/**
 * The GraphQL operations of the model page: a model with its latest curvature, and computing one.
 * Typed like those in ops.ts (`npm run codegen`). Literal strings only: codegen reads them as written.
 */
import { graphql } from "./gql";

graphql(`
  fragment ModelCurvatureFields on ModelCurvature {
    id datasetId status samples hvpsDone hvpsPlanned dimension topEigenvalues lambdaMin eigenRatio
    trace traceStandardError method hvpErrorEstimate hvpStep eigenvaluesConverged backend seconds errorMessage createdAt
    density { x density sigma nodes weights }
  }
`);

export const MODEL_PAGE = graphql(`
  query ModelPage($id: ID!) {
    model(id: $id) {
      id projectId name parameterCount trainableCount bufferCount flopsPerSample inputShape outputShape loss lossName notes
      layers { name className params }
      curvature { ...ModelCurvatureFields }
    }
  }
`);

export const MODEL_CONTEXT = graphql(`
  query ModelContext($projectId: ID!) {
    project(id: $projectId) { id name myRole }
    datasets(projectId: $projectId, first: 100) { nodes { id name rows inputShape } }
  }
`);

export const MODEL_CURVATURE = graphql(`
  query ModelCurvature($id: ID!) { model(id: $id) { id curvature { ...ModelCurvatureFields } } }
`);

export const COMPUTE_CURVATURE = graphql(`
  mutation ComputeModelCurvature($input: ComputeCurvatureInput!) {
    computeModelCurvature(input: $input) { ok error { ...MutationErrorFields } curvature { ...ModelCurvatureFields } }
  }
`);
