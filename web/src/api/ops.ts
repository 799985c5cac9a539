/**
 * The GraphQL operations the app sends, one constant each, with the fields it reads.
 *
 * Each is a named operation typed from schema/schema.graphql by `npm run codegen` (output in
 * ./gql/). Shared selections are fragments: codegen reads these strings as written, so they must
 * stay literal (no `${...}` interpolation).
 */
import { graphql } from "./gql";

// Fragments. Codegen resolves them by name across files; they are listed here for reading.

graphql(`
  fragment MutationErrorFields on MutationError {
    code message field
  }
`);

graphql(`
  fragment UserFields on User {
    id name email
  }
`);

graphql(`
  fragment ProjectFields on Project {
    id name description visibility myRole shareToken createdAt
    owner { ...UserFields }
  }
`);

graphql(`
  fragment ModelFields on Model {
    id name parameterCount trainableCount bufferCount flopsPerSample inputShape outputShape loss lossName createdAt notes
    layers { name className params }
    directions(first: 10) { nodes { id name } }
  }
`);

graphql(`
  fragment DatasetFields on Dataset {
    id name format rows inputShape classes createdAt channelsLast
  }
`);

graphql(`
  fragment SurfaceSummaryFields on Surface {
    id name kind status pointsDone pointsTotal thumbnailUrl createdAt projectId tags
    model { id name }
    dataset { id name }
    statistics { loss { min max } }
    experiment { id name }
  }
`);

graphql(`
  fragment SurfaceFields on Surface {
    ...SurfaceSummaryFields
    myRole xs ys errorMessage valuesUrl notes testDatasetId
    testDataset { id name }
    project { id name visibility }
    params { x { min max count } y { min max count } norm ignore samples seed checkpointStep directionsFrom fitPath equalAspect lanczosSteps tolerance runningStats }
    # Every stored point with its persistence: the viewer filters them with its own slider.
    criticalPoints(minPersistence: 0) { kind i j x y value persistence }
    path { step x y distance fromFinal offPlaneFraction }
    explainedVariance
    modelPositions { name x y runningStatsOf loss ownLoss accuracy ownAccuracy }
    statistics { loss { min max } accuracy { min max } testLoss { min max } testAccuracy { min max } nonConvexity lambdaMax { min max mean } lambdaMin { min max mean } ratio { min max mean } unconvergedPoints lanczosSteps { min max mean } }
  }
`);

graphql(`
  fragment AnnotationFields on Annotation {
    id x y kind label body updatedAt
    author { ...UserFields }
  }
`);

// Session and account.

export const ME = graphql(`
  query Me { me { ...UserFields } }
`);

export const SIGN_IN = graphql(`
  mutation SignIn($email: String!, $password: String!) {
    signIn(email: $email, password: $password) { ok error { ...MutationErrorFields } user { ...UserFields } }
  }
`);

export const SIGN_UP = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) { ok error { ...MutationErrorFields } user { ...UserFields } }
  }
`);

export const SIGN_OUT = graphql(`
  mutation SignOut { signOut { ok error { ...MutationErrorFields } } }
`);

// Email: password resets and address verification.

export const EMAIL_VERIFIED = graphql(`
  query EmailVerified { me { id emailVerified } }
`);

export const REQUEST_PASSWORD_RESET = graphql(`
  mutation RequestPasswordReset($email: String!) {
    requestPasswordReset(email: $email) { ok error { ...MutationErrorFields } }
  }
`);

export const RESET_PASSWORD = graphql(`
  mutation ResetPassword($token: String!, $password: String!) {
    resetPassword(token: $token, password: $password) { ok error { ...MutationErrorFields } user { ...UserFields } }
  }
`);

export const VERIFY_EMAIL = graphql(`
  mutation VerifyEmail($token: String!) { verifyEmail(token: $token) { ok error { ...MutationErrorFields } } }
`);

export const SEND_VERIFICATION_EMAIL = graphql(`
  mutation SendVerificationEmail { sendVerificationEmail { ok sent error { ...MutationErrorFields } } }
`);

export const API_TOKENS = graphql(`
  query ApiTokens {
    apiTokens(first: 100) { nodes { id name prefix createdAt lastUsedAt revokedAt } }
  }
`);

export const CREATE_TOKEN = graphql(`
  mutation CreateApiToken($name: String!) {
    createApiToken(name: $name) { ok error { ...MutationErrorFields } token apiToken { id } }
  }
`);

export const REVOKE_TOKEN = graphql(`
  mutation RevokeApiToken($id: ID!) { revokeApiToken(id: $id) { ok error { ...MutationErrorFields } } }
`);

// Projects, members and sharing.

export const PROJECTS = graphql(`
  query Projects($after: String) {
    projects(first: 50, after: $after) { nodes { ...ProjectFields } pageInfo { hasNextPage endCursor } }
  }
`);

export const CREATE_PROJECT = graphql(`
  mutation CreateProject($input: CreateProjectInput!) {
    createProject(input: $input) { ok error { ...MutationErrorFields } project { ...ProjectFields } }
  }
`);

export const PROJECT_PAGE = graphql(`
  query ProjectPage($id: ID!) {
    project(id: $id) { ...ProjectFields }
    models(projectId: $id, first: 100) { nodes { ...ModelFields } }
    datasets(projectId: $id, first: 100) { nodes { ...DatasetFields } }
    gallery(first: 100, filter: { projectId: $id }) { nodes { ...SurfaceSummaryFields } }
  }
`);

export const MEMBERS = graphql(`
  query Members($id: ID!) {
    project(id: $id) {
      members(first: 100) { nodes { role addedAt user { ...UserFields } } }
      invitations(first: 100) { nodes { id email role createdAt } }
      surfaceLinks(first: 100) { nodes { id surfaceId surfaceName path createdAt createdBy { id name } } }
      compareLinks(first: 100) { nodes { id path createdAt surfaces { id name } createdBy { id name } } }
    }
  }
`);

export const SHARED_LINK = graphql(`
  query SharedLink($token: String!) { sharedLink(token: $token) { kind projectId surfaceId surfaceIds view } }
`);

export const CREATE_SURFACE_LINK = graphql(`
  mutation CreateSurfaceLink($surfaceId: ID!, $view: String) {
    createSurfaceLink(surfaceId: $surfaceId, view: $view) { ok error { ...MutationErrorFields } link { id path } }
  }
`);

export const REVOKE_SURFACE_LINK = graphql(`
  mutation RevokeSurfaceLink($id: ID!) { revokeSurfaceLink(id: $id) { ok error { ...MutationErrorFields } } }
`);

export const CREATE_COMPARE_LINK = graphql(`
  mutation CreateCompareLink($surfaceIds: [ID!]!, $view: String) {
    createCompareLink(surfaceIds: $surfaceIds, view: $view) { ok error { ...MutationErrorFields } link { id path } }
  }
`);

export const REVOKE_COMPARE_LINK = graphql(`
  mutation RevokeCompareLink($id: ID!) { revokeCompareLink(id: $id) { ok error { ...MutationErrorFields } } }
`);

export const INVITE_MEMBER = graphql(`
  mutation InviteProjectMember($projectId: ID!, $email: String!, $role: MemberRole!) {
    inviteProjectMember(projectId: $projectId, email: $email, role: $role) { ok error { ...MutationErrorFields } invitation { id email } }
  }
`);

export const WITHDRAW_INVITATION = graphql(`
  mutation WithdrawInvitation($id: ID!) { withdrawInvitation(id: $id) { ok error { ...MutationErrorFields } } }
`);

export const MY_INVITATIONS = graphql(`
  query MyInvitations {
    myInvitations(first: 100) { nodes { id projectId projectName role createdAt invitedBy { id name } } }
  }
`);

export const ACCEPT_INVITATION = graphql(`
  mutation AcceptInvitation($id: ID!) { acceptInvitation(id: $id) { ok error { ...MutationErrorFields } invitation { projectId } } }
`);

export const DECLINE_INVITATION = graphql(`
  mutation DeclineInvitation($id: ID!) { declineInvitation(id: $id) { ok error { ...MutationErrorFields } } }
`);

export const SET_MEMBER = graphql(`
  mutation SetProjectMember($projectId: ID!, $email: String!, $role: MemberRole!) {
    setProjectMember(projectId: $projectId, email: $email, role: $role) { ok error { ...MutationErrorFields } }
  }
`);

export const REMOVE_MEMBER = graphql(`
  mutation RemoveProjectMember($projectId: ID!, $userId: ID!) {
    removeProjectMember(projectId: $projectId, userId: $userId) { ok error { ...MutationErrorFields } }
  }
`);

export const SET_VISIBILITY = graphql(`
  mutation SetProjectVisibility($id: ID!, $visibility: ProjectVisibility!) {
    setProjectVisibility(id: $id, visibility: $visibility) { ok error { ...MutationErrorFields } project { ...ProjectFields } }
  }
`);

export const ROTATE_SHARE = graphql(`
  mutation RotateShareToken($id: ID!) {
    rotateShareToken(id: $id) { ok error { ...MutationErrorFields } project { ...ProjectFields } }
  }
`);

export const ADD_BUILTIN = graphql(`
  mutation AddBuiltinDataset($projectId: ID!, $dataset: BuiltinDataset!) {
    addBuiltinDataset(projectId: $projectId, dataset: $dataset) { ok error { ...MutationErrorFields } dataset { ...DatasetFields } }
  }
`);

// Uploads.

export const REQUEST_UPLOAD = graphql(`
  mutation RequestUpload($input: RequestUploadInput!) {
    requestUpload(input: $input) {
      ok error { ...MutationErrorFields }
      upload { id expiresAt files { name size url contentType } }
    }
  }
`);

export const COMPLETE_UPLOAD = graphql(`
  mutation CompleteUpload($id: ID!) {
    completeUpload(id: $id) {
      ok error { ...MutationErrorFields }
      model { ...ModelFields }
      dataset { ...DatasetFields }
      checkpoint { id step }
      direction { id name }
    }
  }
`);

// Surfaces.

export const CREATE_SURFACE = graphql(`
  mutation CreateSurface($input: CreateSurfaceInput!) {
    createSurface(input: $input) { ok error { ...MutationErrorFields } surface { id } }
  }
`);

export const SURFACE_QUERY = graphql(`
  query Surface($id: ID!) { surface(id: $id) { ...SurfaceFields } }
`);

export const SURFACE_VALUES = graphql(`
  query SurfaceValues($id: ID!) {
    surface(id: $id) { loss: values(metric: LOSS) accuracy: values(metric: ACCURACY) }
  }
`);

/** The test set's loss and accuracy, of a surface that has one. */
export const SURFACE_TEST_VALUES = graphql(`
  query SurfaceTestValues($id: ID!) {
    surface(id: $id) { testLoss: values(metric: TEST_LOSS) testAccuracy: values(metric: TEST_ACCURACY) }
  }
`);

/** An eigen-ratio map's three grids, and the Lanczos steps and convergence of each point. */
export const EIGEN_RATIO_VALUES = graphql(`
  query EigenRatioValues($id: ID!) {
    surface(id: $id) {
      lambdaMax: values(metric: LAMBDA_MAX) lambdaMin: values(metric: LAMBDA_MIN) ratio: values(metric: RATIO)
      steps: values(metric: LANCZOS_STEPS) converged: values(metric: CONVERGED)
    }
  }
`);

export const EIGEN_RATIO_COST = graphql(`
  query EigenRatioCost($modelId: ID!, $datasetId: ID!, $points: Int!, $lanczosSteps: Int!, $samples: Int) {
    eigenRatioCost(modelId: $modelId, datasetId: $datasetId, points: $points, lanczosSteps: $lanczosSteps, samples: $samples) { hvps expectedHvps samples estimatedSeconds basis }
  }
`);

export const SURFACE_COST = graphql(`
  query SurfaceCost($modelId: ID!, $datasetId: ID!, $points: Int!, $samples: Int, $testDatasetId: ID) {
    surfaceCost(modelId: $modelId, datasetId: $datasetId, points: $points, samples: $samples, testDatasetId: $testDatasetId) { samples testSamples flopsPerPoint totalFlops secondsPerPoint estimatedSeconds }
  }
`);

export const SURFACE_QUEUE = graphql(`
  query SurfaceQueue($id: ID!) {
    surface(id: $id) { id queue { position surfacesAhead estimatedSeconds waitingFor } }
  }
`);

export const CANCEL_SURFACE = graphql(`
  mutation CancelSurface($id: ID!) { cancelSurface(id: $id) { ok error { ...MutationErrorFields } } }
`);

export const SURFACE_PROGRESS = graphql(`
  subscription SurfaceProgress($id: ID!) {
    surfaceProgress(id: $id) { surfaceId status pointsDone pointsTotal indices loss accuracy testLoss testAccuracy lambdaMax lambdaMin ratio lanczosSteps converged errorMessage }
  }
`);

// Notes on a surface.

export const ANNOTATIONS = graphql(`
  query Annotations($id: ID!) {
    surface(id: $id) { annotations(first: 100) { nodes { ...AnnotationFields } } }
  }
`);

export const ADD_ANNOTATION = graphql(`
  mutation AddAnnotation($input: AddAnnotationInput!) {
    addAnnotation(input: $input) { ok error { ...MutationErrorFields } annotation { ...AnnotationFields } }
  }
`);

export const UPDATE_ANNOTATION = graphql(`
  mutation UpdateAnnotation($input: UpdateAnnotationInput!) {
    updateAnnotation(input: $input) { ok error { ...MutationErrorFields } annotation { ...AnnotationFields } }
  }
`);

export const DELETE_ANNOTATION = graphql(`
  mutation DeleteAnnotation($id: ID!) { deleteAnnotation(id: $id) { ok error { ...MutationErrorFields } } }
`);

// Gallery and comparison.

export const GALLERY = graphql(`
  query Gallery($after: String, $filter: GalleryFilterInput) {
    gallery(first: 12, after: $after, filter: $filter) {
      nodes { ...SurfaceSummaryFields }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const COMPARE = graphql(`
  query Compare($ids: [ID!]!, $metric: Metric!) {
    compare(ids: $ids, metric: $metric) { min max sameGrid surfaces { ...SurfaceFields } }
  }
`);

export const MODEL_DOWNLOADS = graphql(`
  query ModelDownloads($id: ID!) { model(id: $id) { downloads { name url } } }
`);

export const DATASET_DOWNLOADS = graphql(`
  query DatasetDownloads($id: ID!) { dataset(id: $id) { downloads { name url } } }
`);
