/**
 * The GraphQL operations of curves between two models, one constant each, typed like those in
 * ops.ts (`npm run codegen`). Literal strings only: codegen reads them as written.
 */
import { graphql } from "./gql";

graphql(`
  fragment CurveSummaryFields on Curve {
    id name projectId status phase stepsDone stepsTotal pointsDone pointsTotal createdAt finishedAt
  }
`);

graphql(`
  fragment CurveFields on Curve {
    ...CurveSummaryFields
    modelAId modelBId datasetId testDatasetId errorCode errorMessage
    options { kind bends epochs optimizer learningRate weightDecay batchSize seed points samples ensemble }
    checkpoints { step meanLoss }
    values {
      t batchNormRecomputed
      plane { xs ys loss accuracy offPlane models { name x y } curve { t x y } line { t x y } }
      curve { trainLoss trainAccuracy testLoss testAccuracy }
      line { trainLoss trainAccuracy testLoss testAccuracy }
      curveBarriers { trainLoss trainAccuracy testLoss testAccuracy }
      lineBarriers { trainLoss trainAccuracy testLoss testAccuracy }
      ensemble { members t trainAccuracy trainAccuracyA trainAccuracyB testAccuracy testAccuracyA testAccuracyB }
    }
  }
`);

/** The project page's curves. */
export const PROJECT_CURVES = graphql(`
  query ProjectCurves($id: ID!) {
    curves(projectId: $id, first: 100) { nodes { ...CurveSummaryFields } }
  }
`);

export const CURVE_QUERY = graphql(`
  query Curve($id: ID!) { curve(id: $id) { ...CurveFields } }
`);

export const CONNECT_MODELS = graphql(`
  mutation ConnectModels($input: ConnectModelsInput!) {
    connectModels(input: $input) { ok error { ...MutationErrorFields } curve { id } }
  }
`);

export const CANCEL_CURVE = graphql(`
  mutation CancelCurve($id: ID!) {
    cancelCurve(id: $id) { ok error { ...MutationErrorFields } curve { ...CurveFields } }
  }
`);

export const CURVE_PROGRESS = graphql(`
  subscription CurveProgress($id: ID!) { curveProgress(id: $id) { ...CurveFields } }
`);

/** Notes pinned on a curve's plane (through A, B and theta). */
export const CURVE_ANNOTATIONS = graphql(`
  query CurveAnnotations($id: ID!) {
    curve(id: $id) { id annotations(first: 100) { nodes { ...AnnotationFields } } }
  }
`);
