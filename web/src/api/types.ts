/**
 * Types of the API's objects as this app selects them: aliases of the types generated from
 * schema/schema.graphql and the fragments in ops.ts (`npm run codegen`).
 */
import type {
  AnnotationFieldsFragment,
  ApiTokensQuery,
  DatasetFieldsFragment,
  MembersQuery,
  ModelFieldsFragment,
  ProjectFieldsFragment,
  SurfaceFieldsFragment,
  SurfaceSummaryFieldsFragment,
  UserFieldsFragment,
} from "./gql/graphql";

export type {
  AnnotationKind,
  CriticalKind,
  MemberRole,
  Metric,
  ProjectRole,
  ProjectVisibility as Visibility,
  SurfaceKind,
  SurfaceStatus,
} from "./gql/graphql";

export type User = UserFieldsFragment;
export type Project = ProjectFieldsFragment;
export type Model = ModelFieldsFragment;
export type Layer = Model["layers"][number];
export type Dataset = DatasetFieldsFragment;
export type SurfaceSummary = SurfaceSummaryFieldsFragment;
export type Surface = SurfaceFieldsFragment;
export type Axis = Surface["params"]["x"];
export type CriticalPoint = Surface["criticalPoints"][number];
export type PathPoint = NonNullable<Surface["path"]>[number];
export type Annotation = AnnotationFieldsFragment;
export type ApiTokenInfo = ApiTokensQuery["apiTokens"]["nodes"][number];
export type Member = MembersQuery["project"]["members"]["nodes"][number];
