/** The GraphQL operations the app sends, one constant each, with the fields it reads. */

const ERR = "ok error { code message field }";
export const USER = "id name email";
export const PROJECT = `id name description visibility myRole shareToken createdAt owner { ${USER} }`;
export const MODEL = "id name parameterCount inputShape outputShape loss createdAt layers { name className params }";
export const DATASET = "id name format rows inputShape classes createdAt";
export const SURFACE_SUMMARY =
  "id name kind status pointsDone pointsTotal thumbnailUrl createdAt projectId tags model { id name } dataset { id name } statistics { loss { min max } }";
export const SURFACE = `${SURFACE_SUMMARY} myRole xs ys errorMessage valuesUrl
  params { x { min max count } y { min max count } norm samples seed checkpointStep directionsFrom }
  criticalPoints { kind x y value } path { step x y distance offPlaneFraction } explainedVariance modelPositions { name x y }
  statistics { loss { min max } accuracy { min max } nonConvexity }`;
export const ANNOTATION = `id x y kind label body updatedAt author { ${USER} }`;

export const ME = `query { me { ${USER} } }`;
export const SIGN_IN = `mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { ${ERR} user { ${USER} } } }`;
export const SIGN_UP = `mutation ($input: SignUpInput!) { signUp(input: $input) { ${ERR} user { ${USER} } } }`;
export const SIGN_OUT = `mutation { signOut { ${ERR} } }`;

export const API_TOKENS = "query { apiTokens(first: 100) { nodes { id name prefix createdAt lastUsedAt revokedAt } } }";
export const CREATE_TOKEN = `mutation ($name: String!) { createApiToken(name: $name) { ${ERR} token apiToken { id } } }`;
export const REVOKE_TOKEN = `mutation ($id: ID!) { revokeApiToken(id: $id) { ${ERR} } }`;

export const PROJECTS = `query ($after: String) { projects(first: 50, after: $after) { nodes { ${PROJECT} } pageInfo { hasNextPage endCursor } } }`;
export const CREATE_PROJECT = `mutation ($input: CreateProjectInput!) { createProject(input: $input) { ${ERR} project { ${PROJECT} } } }`;
export const PROJECT_PAGE = `query ($id: ID!) {
  project(id: $id) { ${PROJECT} }
  models(projectId: $id, first: 100) { nodes { ${MODEL} } }
  datasets(projectId: $id, first: 100) { nodes { ${DATASET} } }
  gallery(first: 100, filter: { projectId: $id }) { nodes { ${SURFACE_SUMMARY} } }
}`;
export const MEMBERS = `query ($id: ID!) { project(id: $id) { members(first: 100) { nodes { role addedAt user { ${USER} } } } } }`;
export const SET_MEMBER = `mutation ($projectId: ID!, $email: String!, $role: MemberRole!) { setProjectMember(projectId: $projectId, email: $email, role: $role) { ${ERR} } }`;
export const REMOVE_MEMBER = `mutation ($projectId: ID!, $userId: ID!) { removeProjectMember(projectId: $projectId, userId: $userId) { ${ERR} } }`;
export const SET_VISIBILITY = `mutation ($id: ID!, $visibility: ProjectVisibility!) { setProjectVisibility(id: $id, visibility: $visibility) { ${ERR} project { ${PROJECT} } } }`;
export const ROTATE_SHARE = `mutation ($id: ID!) { rotateShareToken(id: $id) { ${ERR} project { ${PROJECT} } } }`;
export const ADD_BUILTIN = `mutation ($projectId: ID!, $dataset: BuiltinDataset!) { addBuiltinDataset(projectId: $projectId, dataset: $dataset) { ${ERR} dataset { ${DATASET} } } }`;

export const REQUEST_UPLOAD = `mutation ($input: RequestUploadInput!) { requestUpload(input: $input) { ${ERR} upload { id expiresAt files { name size url contentType } } } }`;
export const COMPLETE_UPLOAD = `mutation ($id: ID!) { completeUpload(id: $id) { ${ERR} model { ${MODEL} } dataset { ${DATASET} } checkpoint { id step } } }`;

export const CREATE_SURFACE = `mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ${ERR} surface { id } } }`;
export const SURFACE_QUERY = `query ($id: ID!) { surface(id: $id) { ${SURFACE} } }`;
export const SURFACE_VALUES = `query ($id: ID!) { surface(id: $id) { loss: values(metric: LOSS) accuracy: values(metric: ACCURACY) } }`;
export const CANCEL_SURFACE = `mutation ($id: ID!) { cancelSurface(id: $id) { ${ERR} } }`;
export const SURFACE_PROGRESS = "subscription ($id: ID!) { surfaceProgress(id: $id) { surfaceId status pointsDone pointsTotal indices loss accuracy errorMessage } }";

export const ANNOTATIONS = `query ($id: ID!) { surface(id: $id) { annotations(first: 100) { nodes { ${ANNOTATION} } } } }`;
export const ADD_ANNOTATION = `mutation ($input: AddAnnotationInput!) { addAnnotation(input: $input) { ${ERR} annotation { ${ANNOTATION} } } }`;
export const UPDATE_ANNOTATION = `mutation ($input: UpdateAnnotationInput!) { updateAnnotation(input: $input) { ${ERR} annotation { ${ANNOTATION} } } }`;
export const DELETE_ANNOTATION = `mutation ($id: ID!) { deleteAnnotation(id: $id) { ${ERR} } }`;

export const GALLERY = `query ($after: String, $filter: GalleryFilterInput) { gallery(first: 12, after: $after, filter: $filter) { nodes { ${SURFACE_SUMMARY} } pageInfo { hasNextPage endCursor } } }`;
export const COMPARE = `query ($ids: [ID!]!, $metric: Metric!) { compare(ids: $ids, metric: $metric) { min max sameGrid surfaces { ${SURFACE} } } }`;
