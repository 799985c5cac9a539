/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Sessions($after: String) {\n    sessions(first: 50, after: $after) {\n      nodes { id browser userAgent lastAddress createdAt lastSeenAt current }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.SessionsDocument,
    "\n  mutation EndSession($id: ID!) { endSession(id: $id) { ok error { ...MutationErrorFields } session { id current } } }\n": typeof types.EndSessionDocument,
    "\n  mutation EndOtherSessions { endOtherSessions { ok error { ...MutationErrorFields } ended } }\n": typeof types.EndOtherSessionsDocument,
    "\n  mutation ChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) { ok error { ...MutationErrorFields } ended } }\n": typeof types.ChangePasswordDocument,
    "\n  query MySharedProjects {\n    mySharedProjects(first: 100) { nodes { id name memberCount } pageInfo { hasNextPage } }\n  }\n": typeof types.MySharedProjectsDocument,
    "\n  query ProjectMemberList($id: ID!) {\n    project(id: $id) { members(first: 100) { nodes { role user { id name email } } } }\n  }\n": typeof types.ProjectMemberListDocument,
    "\n  mutation TransferOwnership($projectId: ID!, $userId: ID!) {\n    transferProjectOwnership(projectId: $projectId, userId: $userId) { ok error { ...MutationErrorFields } project { id } }\n  }\n": typeof types.TransferOwnershipDocument,
    "\n  mutation DeleteAccount($input: DeleteAccountInput!) { deleteAccount(input: $input) { ok error { ...MutationErrorFields } deletedProjects } }\n": typeof types.DeleteAccountDocument,
    "\n  query SignInOptions { signInOptions { password providers { id name startPath } } }\n": typeof types.SignInOptionsDocument,
    "\n  fragment CurveSummaryFields on Curve {\n    id name projectId status phase stepsDone stepsTotal pointsDone pointsTotal createdAt finishedAt\n  }\n": typeof types.CurveSummaryFieldsFragmentDoc,
    "\n  fragment CurveFields on Curve {\n    ...CurveSummaryFields\n    modelAId modelBId datasetId testDatasetId errorCode errorMessage\n    options { kind bends epochs optimizer learningRate weightDecay batchSize seed points samples ensemble }\n    checkpoints { step meanLoss }\n    values {\n      t batchNormRecomputed\n      plane { xs ys loss accuracy offPlane models { name x y } curve { t x y } line { t x y } }\n      curve { trainLoss trainAccuracy testLoss testAccuracy }\n      line { trainLoss trainAccuracy testLoss testAccuracy }\n      curveBarriers { trainLoss trainAccuracy testLoss testAccuracy }\n      lineBarriers { trainLoss trainAccuracy testLoss testAccuracy }\n      ensemble { members t trainAccuracy trainAccuracyA trainAccuracyB testAccuracy testAccuracyA testAccuracyB }\n    }\n  }\n": typeof types.CurveFieldsFragmentDoc,
    "\n  query ProjectCurves($id: ID!) {\n    curves(projectId: $id, first: 100) { nodes { ...CurveSummaryFields } }\n  }\n": typeof types.ProjectCurvesDocument,
    "\n  query Curve($id: ID!) { curve(id: $id) { ...CurveFields } }\n": typeof types.CurveDocument,
    "\n  mutation ConnectModels($input: ConnectModelsInput!) {\n    connectModels(input: $input) { ok error { ...MutationErrorFields } curve { id } }\n  }\n": typeof types.ConnectModelsDocument,
    "\n  mutation CancelCurve($id: ID!) {\n    cancelCurve(id: $id) { ok error { ...MutationErrorFields } curve { ...CurveFields } }\n  }\n": typeof types.CancelCurveDocument,
    "\n  subscription CurveProgress($id: ID!) { curveProgress(id: $id) { ...CurveFields } }\n": typeof types.CurveProgressDocument,
    "\n  query CurveAnnotations($id: ID!) {\n    curve(id: $id) { id annotations(first: 100) { nodes { ...AnnotationFields } } }\n  }\n": typeof types.CurveAnnotationsDocument,
    "\n  query ExportSettings { exportSettings { theme format width height unit dpi } }\n": typeof types.ExportSettingsDocument,
    "\n  mutation SaveExportSettings($input: ExportSettingsInput!) {\n    saveExportSettings(input: $input) { ok error { ...MutationErrorFields } settings { theme format width height unit dpi } }\n  }\n": typeof types.SaveExportSettingsDocument,
    "\n  query Health {\n    health {\n      status\n      version\n      uptimeSeconds\n      database { ok latencyMs error serverVersion embedded }\n      storage { ok latencyMs error bucket embedded }\n      queue { ok latencyMs error queued active failed }\n      workers { id hostname backend device gpu lastHeartbeatAt }\n    }\n  }\n": typeof types.HealthDocument,
    "\n  fragment ModelCurvatureFields on ModelCurvature {\n    id datasetId status samples hvpsDone hvpsPlanned dimension topEigenvalues lambdaMin eigenRatio\n    trace traceStandardError method hvpErrorEstimate hvpStep eigenvaluesConverged backend seconds errorMessage createdAt\n    density { x density sigma nodes weights }\n  }\n": typeof types.ModelCurvatureFieldsFragmentDoc,
    "\n  query ModelPage($id: ID!) {\n    model(id: $id) {\n      id projectId name parameterCount trainableCount bufferCount flopsPerSample inputShape outputShape loss lossName notes\n      layers { name className params }\n      curvature { ...ModelCurvatureFields }\n    }\n  }\n": typeof types.ModelPageDocument,
    "\n  query ModelContext($projectId: ID!) {\n    project(id: $projectId) { id name myRole }\n    datasets(projectId: $projectId, first: 100) { nodes { id name rows inputShape } }\n  }\n": typeof types.ModelContextDocument,
    "\n  query ModelCurvature($id: ID!) { model(id: $id) { id curvature { ...ModelCurvatureFields } } }\n": typeof types.ModelCurvatureDocument,
    "\n  mutation ComputeModelCurvature($input: ComputeCurvatureInput!) {\n    computeModelCurvature(input: $input) { ok error { ...MutationErrorFields } curvature { ...ModelCurvatureFields } }\n  }\n": typeof types.ComputeModelCurvatureDocument,
    "\n  fragment MutationErrorFields on MutationError {\n    code message field\n  }\n": typeof types.MutationErrorFieldsFragmentDoc,
    "\n  fragment UserFields on User {\n    id name email\n  }\n": typeof types.UserFieldsFragmentDoc,
    "\n  fragment ProjectFields on Project {\n    id name description visibility myRole shareToken createdAt\n    owner { ...UserFields }\n  }\n": typeof types.ProjectFieldsFragmentDoc,
    "\n  fragment ModelFields on Model {\n    id name parameterCount trainableCount bufferCount flopsPerSample inputShape outputShape loss lossName createdAt notes\n    layers { name className params }\n    directions(first: 10) { nodes { id name } }\n  }\n": typeof types.ModelFieldsFragmentDoc,
    "\n  fragment DatasetFields on Dataset {\n    id name format rows inputShape classes createdAt channelsLast\n  }\n": typeof types.DatasetFieldsFragmentDoc,
    "\n  fragment SurfaceSummaryFields on Surface {\n    id name kind status pointsDone pointsTotal thumbnailUrl createdAt projectId tags\n    model { id name }\n    dataset { id name }\n    statistics { loss { min max } }\n    experiment { id name }\n  }\n": typeof types.SurfaceSummaryFieldsFragmentDoc,
    "\n  fragment SurfaceFields on Surface {\n    ...SurfaceSummaryFields\n    myRole xs ys errorMessage valuesUrl notes testDatasetId\n    testDataset { id name }\n    project { id name visibility }\n    params { x { min max count } y { min max count } norm ignore samples seed checkpointStep directionsFrom fitPath equalAspect lanczosSteps tolerance runningStats }\n    # Every stored point with its persistence: the viewer filters them with its own slider.\n    criticalPoints(minPersistence: 0) { kind i j x y value persistence }\n    path { step x y distance fromFinal offPlaneFraction }\n    explainedVariance\n    modelPositions { name x y runningStatsOf loss ownLoss accuracy ownAccuracy }\n    statistics { loss { min max } accuracy { min max } testLoss { min max } testAccuracy { min max } nonConvexity lambdaMax { min max mean } lambdaMin { min max mean } ratio { min max mean } unconvergedPoints lanczosSteps { min max mean } }\n  }\n": typeof types.SurfaceFieldsFragmentDoc,
    "\n  fragment AnnotationFields on Annotation {\n    id x y kind label body updatedAt\n    author { ...UserFields }\n  }\n": typeof types.AnnotationFieldsFragmentDoc,
    "\n  query Me { me { ...UserFields } }\n": typeof types.MeDocument,
    "\n  mutation SignIn($email: String!, $password: String!) {\n    signIn(email: $email, password: $password) { ok error { ...MutationErrorFields } user { ...UserFields } }\n  }\n": typeof types.SignInDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) { ok error { ...MutationErrorFields } user { ...UserFields } }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation SignOut { signOut { ok error { ...MutationErrorFields } } }\n": typeof types.SignOutDocument,
    "\n  query EmailVerified { me { id emailVerified } }\n": typeof types.EmailVerifiedDocument,
    "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email) { ok error { ...MutationErrorFields } }\n  }\n": typeof types.RequestPasswordResetDocument,
    "\n  mutation ResetPassword($token: String!, $password: String!) {\n    resetPassword(token: $token, password: $password) { ok error { ...MutationErrorFields } user { ...UserFields } }\n  }\n": typeof types.ResetPasswordDocument,
    "\n  mutation VerifyEmail($token: String!) { verifyEmail(token: $token) { ok error { ...MutationErrorFields } } }\n": typeof types.VerifyEmailDocument,
    "\n  mutation SendVerificationEmail { sendVerificationEmail { ok sent error { ...MutationErrorFields } } }\n": typeof types.SendVerificationEmailDocument,
    "\n  query ApiTokens {\n    apiTokens(first: 100) { nodes { id name prefix createdAt lastUsedAt revokedAt } }\n  }\n": typeof types.ApiTokensDocument,
    "\n  mutation CreateApiToken($name: String!) {\n    createApiToken(name: $name) { ok error { ...MutationErrorFields } token apiToken { id } }\n  }\n": typeof types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: ID!) { revokeApiToken(id: $id) { ok error { ...MutationErrorFields } } }\n": typeof types.RevokeApiTokenDocument,
    "\n  query Projects($after: String) {\n    projects(first: 50, after: $after) { nodes { ...ProjectFields } pageInfo { hasNextPage endCursor } }\n  }\n": typeof types.ProjectsDocument,
    "\n  mutation CreateProject($input: CreateProjectInput!) {\n    createProject(input: $input) { ok error { ...MutationErrorFields } project { ...ProjectFields } }\n  }\n": typeof types.CreateProjectDocument,
    "\n  query ProjectPage($id: ID!) {\n    project(id: $id) { ...ProjectFields }\n    models(projectId: $id, first: 100) { nodes { ...ModelFields } }\n    datasets(projectId: $id, first: 100) { nodes { ...DatasetFields } }\n    gallery(first: 100, filter: { projectId: $id }) { nodes { ...SurfaceSummaryFields } }\n  }\n": typeof types.ProjectPageDocument,
    "\n  query Members($id: ID!) {\n    project(id: $id) {\n      members(first: 100) { nodes { role addedAt user { ...UserFields } } }\n      invitations(first: 100) { nodes { id email role createdAt } }\n      surfaceLinks(first: 100) { nodes { id surfaceId surfaceName path createdAt createdBy { id name } } }\n      compareLinks(first: 100) { nodes { id path createdAt surfaces { id name } createdBy { id name } } }\n    }\n  }\n": typeof types.MembersDocument,
    "\n  query SharedLink($token: String!) { sharedLink(token: $token) { kind projectId surfaceId surfaceIds view } }\n": typeof types.SharedLinkDocument,
    "\n  mutation CreateSurfaceLink($surfaceId: ID!, $view: String) {\n    createSurfaceLink(surfaceId: $surfaceId, view: $view) { ok error { ...MutationErrorFields } link { id path } }\n  }\n": typeof types.CreateSurfaceLinkDocument,
    "\n  mutation RevokeSurfaceLink($id: ID!) { revokeSurfaceLink(id: $id) { ok error { ...MutationErrorFields } } }\n": typeof types.RevokeSurfaceLinkDocument,
    "\n  mutation CreateCompareLink($surfaceIds: [ID!]!, $view: String) {\n    createCompareLink(surfaceIds: $surfaceIds, view: $view) { ok error { ...MutationErrorFields } link { id path } }\n  }\n": typeof types.CreateCompareLinkDocument,
    "\n  mutation RevokeCompareLink($id: ID!) { revokeCompareLink(id: $id) { ok error { ...MutationErrorFields } } }\n": typeof types.RevokeCompareLinkDocument,
    "\n  mutation InviteProjectMember($projectId: ID!, $email: String!, $role: MemberRole!) {\n    inviteProjectMember(projectId: $projectId, email: $email, role: $role) { ok error { ...MutationErrorFields } invitation { id email } }\n  }\n": typeof types.InviteProjectMemberDocument,
    "\n  mutation WithdrawInvitation($id: ID!) { withdrawInvitation(id: $id) { ok error { ...MutationErrorFields } } }\n": typeof types.WithdrawInvitationDocument,
    "\n  query MyInvitations {\n    myInvitations(first: 100) { nodes { id projectId projectName role createdAt invitedBy { id name } } }\n  }\n": typeof types.MyInvitationsDocument,
    "\n  mutation AcceptInvitation($id: ID!) { acceptInvitation(id: $id) { ok error { ...MutationErrorFields } invitation { projectId } } }\n": typeof types.AcceptInvitationDocument,
    "\n  mutation DeclineInvitation($id: ID!) { declineInvitation(id: $id) { ok error { ...MutationErrorFields } } }\n": typeof types.DeclineInvitationDocument,
    "\n  mutation SetProjectMember($projectId: ID!, $email: String!, $role: MemberRole!) {\n    setProjectMember(projectId: $projectId, email: $email, role: $role) { ok error { ...MutationErrorFields } }\n  }\n": typeof types.SetProjectMemberDocument,
    "\n  mutation RemoveProjectMember($projectId: ID!, $userId: ID!) {\n    removeProjectMember(projectId: $projectId, userId: $userId) { ok error { ...MutationErrorFields } }\n  }\n": typeof types.RemoveProjectMemberDocument,
    "\n  mutation SetProjectVisibility($id: ID!, $visibility: ProjectVisibility!) {\n    setProjectVisibility(id: $id, visibility: $visibility) { ok error { ...MutationErrorFields } project { ...ProjectFields } }\n  }\n": typeof types.SetProjectVisibilityDocument,
    "\n  mutation RotateShareToken($id: ID!) {\n    rotateShareToken(id: $id) { ok error { ...MutationErrorFields } project { ...ProjectFields } }\n  }\n": typeof types.RotateShareTokenDocument,
    "\n  mutation AddBuiltinDataset($projectId: ID!, $dataset: BuiltinDataset!) {\n    addBuiltinDataset(projectId: $projectId, dataset: $dataset) { ok error { ...MutationErrorFields } dataset { ...DatasetFields } }\n  }\n": typeof types.AddBuiltinDatasetDocument,
    "\n  mutation RequestUpload($input: RequestUploadInput!) {\n    requestUpload(input: $input) {\n      ok error { ...MutationErrorFields }\n      upload { id expiresAt files { name size url contentType } }\n    }\n  }\n": typeof types.RequestUploadDocument,
    "\n  mutation CompleteUpload($id: ID!) {\n    completeUpload(id: $id) {\n      ok error { ...MutationErrorFields }\n      model { ...ModelFields }\n      dataset { ...DatasetFields }\n      checkpoint { id step }\n      direction { id name }\n    }\n  }\n": typeof types.CompleteUploadDocument,
    "\n  mutation CreateSurface($input: CreateSurfaceInput!) {\n    createSurface(input: $input) { ok error { ...MutationErrorFields } surface { id } }\n  }\n": typeof types.CreateSurfaceDocument,
    "\n  query Surface($id: ID!) { surface(id: $id) { ...SurfaceFields } }\n": typeof types.SurfaceDocument,
    "\n  query SurfaceValues($id: ID!) {\n    surface(id: $id) { loss: values(metric: LOSS) accuracy: values(metric: ACCURACY) }\n  }\n": typeof types.SurfaceValuesDocument,
    "\n  query SurfaceTestValues($id: ID!) {\n    surface(id: $id) { testLoss: values(metric: TEST_LOSS) testAccuracy: values(metric: TEST_ACCURACY) }\n  }\n": typeof types.SurfaceTestValuesDocument,
    "\n  query EigenRatioValues($id: ID!) {\n    surface(id: $id) {\n      lambdaMax: values(metric: LAMBDA_MAX) lambdaMin: values(metric: LAMBDA_MIN) ratio: values(metric: RATIO)\n      steps: values(metric: LANCZOS_STEPS) converged: values(metric: CONVERGED)\n    }\n  }\n": typeof types.EigenRatioValuesDocument,
    "\n  query EigenRatioCost($modelId: ID!, $datasetId: ID!, $points: Int!, $lanczosSteps: Int!, $samples: Int) {\n    eigenRatioCost(modelId: $modelId, datasetId: $datasetId, points: $points, lanczosSteps: $lanczosSteps, samples: $samples) { hvps expectedHvps samples estimatedSeconds basis }\n  }\n": typeof types.EigenRatioCostDocument,
    "\n  query SurfaceCost($modelId: ID!, $datasetId: ID!, $points: Int!, $samples: Int, $testDatasetId: ID) {\n    surfaceCost(modelId: $modelId, datasetId: $datasetId, points: $points, samples: $samples, testDatasetId: $testDatasetId) { samples testSamples flopsPerPoint totalFlops secondsPerPoint estimatedSeconds }\n  }\n": typeof types.SurfaceCostDocument,
    "\n  query SurfaceQueue($id: ID!) {\n    surface(id: $id) { id queue { position surfacesAhead estimatedSeconds waitingFor } }\n  }\n": typeof types.SurfaceQueueDocument,
    "\n  mutation CancelSurface($id: ID!) { cancelSurface(id: $id) { ok error { ...MutationErrorFields } } }\n": typeof types.CancelSurfaceDocument,
    "\n  subscription SurfaceProgress($id: ID!) {\n    surfaceProgress(id: $id) { surfaceId status pointsDone pointsTotal indices loss accuracy testLoss testAccuracy lambdaMax lambdaMin ratio lanczosSteps converged errorMessage }\n  }\n": typeof types.SurfaceProgressDocument,
    "\n  query Annotations($id: ID!) {\n    surface(id: $id) { annotations(first: 100) { nodes { ...AnnotationFields } } }\n  }\n": typeof types.AnnotationsDocument,
    "\n  mutation AddAnnotation($input: AddAnnotationInput!) {\n    addAnnotation(input: $input) { ok error { ...MutationErrorFields } annotation { ...AnnotationFields } }\n  }\n": typeof types.AddAnnotationDocument,
    "\n  mutation UpdateAnnotation($input: UpdateAnnotationInput!) {\n    updateAnnotation(input: $input) { ok error { ...MutationErrorFields } annotation { ...AnnotationFields } }\n  }\n": typeof types.UpdateAnnotationDocument,
    "\n  mutation DeleteAnnotation($id: ID!) { deleteAnnotation(id: $id) { ok error { ...MutationErrorFields } } }\n": typeof types.DeleteAnnotationDocument,
    "\n  query Gallery($after: String, $filter: GalleryFilterInput) {\n    gallery(first: 12, after: $after, filter: $filter) {\n      nodes { ...SurfaceSummaryFields }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.GalleryDocument,
    "\n  query Compare($ids: [ID!]!, $metric: Metric!) {\n    compare(ids: $ids, metric: $metric) { min max sameGrid surfaces { ...SurfaceFields } }\n  }\n": typeof types.CompareDocument,
    "\n  query ModelDownloads($id: ID!) { model(id: $id) { downloads { name url } } }\n": typeof types.ModelDownloadsDocument,
    "\n  query DatasetDownloads($id: ID!) { dataset(id: $id) { downloads { name url } } }\n": typeof types.DatasetDownloadsDocument,
    "\n  fragment SeriesFrameFields on Surface {\n    id status pointsDone pointsTotal\n    params { checkpointStep }\n  }\n": typeof types.SeriesFrameFieldsFragmentDoc,
    "\n  fragment PreparingExperimentFields on Experiment {\n    id name status projectId\n    runs { role status stepsDone stepsTotal }\n    surfaces { status pointsDone pointsTotal }\n  }\n": typeof types.PreparingExperimentFieldsFragmentDoc,
    "\n  query SurfaceSeries($id: ID!) {\n    surface(id: $id) {\n      series { ...SeriesFrameFields }\n      model { checkpoints(first: 51) { nodes { step } } }\n    }\n  }\n": typeof types.SurfaceSeriesDocument,
    "\n  mutation CreateTrainingSeries($id: ID!) {\n    createTrainingSeries(surfaceId: $id) { ok error { ...MutationErrorFields } surfaces { id } }\n  }\n": typeof types.CreateTrainingSeriesDocument,
    "\n  query ExperimentsInProgress {\n    experimentsInProgress(first: 12) { nodes { ...PreparingExperimentFields } }\n  }\n": typeof types.ExperimentsInProgressDocument,
    "\n  query FeaturedComparison {\n    featuredComparison {\n      contrast\n      experiment { id name }\n      surfaces { id name thumbnailUrl statistics { nonConvexity } }\n    }\n  }\n": typeof types.FeaturedComparisonDocument,
    "\n  fragment TrainingRunSummaryFields on TrainingRun {\n    id name projectId status stepsDone stepsTotal role createdAt finishedAt\n  }\n": typeof types.TrainingRunSummaryFieldsFragmentDoc,
    "\n  fragment TrainingRunFields on TrainingRun {\n    ...TrainingRunSummaryFields\n    datasetId testDatasetId modelId errorCode errorMessage\n    architecture { kind depth width residual channels blocks downsample modelId }\n    options { optimizer learningRate batchSize weightDecay epochs seed checkpointEvery samples }\n    curve { step epoch trainLoss trainAccuracy testLoss testAccuracy }\n  }\n": typeof types.TrainingRunFieldsFragmentDoc,
    "\n  fragment ExperimentSummaryFields on Experiment {\n    id name kind status projectId createdAt\n    runs { id status stepsDone stepsTotal role }\n  }\n": typeof types.ExperimentSummaryFieldsFragmentDoc,
    "\n  fragment ExperimentFields on Experiment {\n    id name kind status projectId createdAt caption datasetId\n    runs { ...TrainingRunFields }\n    surfaces { ...SurfaceSummaryFields }\n    pairs { title sides { role runId testError testLoss } panels { kind normalization surfaces { id name kind status pointsDone pointsTotal thumbnailUrl statistics { basinWidth } } } }\n    curve {\n      id name status phase stepsDone stepsTotal pointsDone pointsTotal errorMessage\n      values { curveBarriers { trainLoss trainAccuracy } lineBarriers { trainLoss trainAccuracy } }\n    }\n  }\n": typeof types.ExperimentFieldsFragmentDoc,
    "\n  query ProjectTraining($id: ID!) {\n    trainingRuns(projectId: $id, first: 100) { nodes { ...TrainingRunSummaryFields } }\n    experiments(projectId: $id, first: 100) { nodes { ...ExperimentSummaryFields } }\n  }\n": typeof types.ProjectTrainingDocument,
    "\n  query TrainingContext($id: ID!) {\n    project(id: $id) { id name myRole }\n    models(projectId: $id, first: 100) { nodes { id name parameterCount trainableCount bufferCount } }\n    datasets(projectId: $id, first: 100) { nodes { id name rows } }\n  }\n": typeof types.TrainingContextDocument,
    "\n  query TrainingRun($id: ID!) { trainingRun(id: $id) { ...TrainingRunFields } }\n": typeof types.TrainingRunDocument,
    "\n  mutation StartTraining($input: StartTrainingInput!) {\n    startTraining(input: $input) { ok error { ...MutationErrorFields } run { id } }\n  }\n": typeof types.StartTrainingDocument,
    "\n  mutation CancelTraining($id: ID!) {\n    cancelTraining(id: $id) { ok error { ...MutationErrorFields } run { ...TrainingRunFields } }\n  }\n": typeof types.CancelTrainingDocument,
    "\n  subscription TrainingProgress($id: ID!) { trainingProgress(id: $id) { ...TrainingRunFields } }\n": typeof types.TrainingProgressDocument,
    "\n  query Experiment($id: ID!) { experiment(id: $id) { ...ExperimentFields } }\n": typeof types.ExperimentDocument,
    "\n  mutation StartExperiment($input: StartExperimentInput!) {\n    startExperiment(input: $input) { ok error { ...MutationErrorFields } experiment { id } }\n  }\n": typeof types.StartExperimentDocument,
    "\n  query ExperimentCaption($id: ID!) {\n    experiment(id: $id) { id name caption runs { id role } surfaces { id } }\n  }\n": typeof types.ExperimentCaptionDocument,
};
const documents: Documents = {
    "\n  query Sessions($after: String) {\n    sessions(first: 50, after: $after) {\n      nodes { id browser userAgent lastAddress createdAt lastSeenAt current }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.SessionsDocument,
    "\n  mutation EndSession($id: ID!) { endSession(id: $id) { ok error { ...MutationErrorFields } session { id current } } }\n": types.EndSessionDocument,
    "\n  mutation EndOtherSessions { endOtherSessions { ok error { ...MutationErrorFields } ended } }\n": types.EndOtherSessionsDocument,
    "\n  mutation ChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) { ok error { ...MutationErrorFields } ended } }\n": types.ChangePasswordDocument,
    "\n  query MySharedProjects {\n    mySharedProjects(first: 100) { nodes { id name memberCount } pageInfo { hasNextPage } }\n  }\n": types.MySharedProjectsDocument,
    "\n  query ProjectMemberList($id: ID!) {\n    project(id: $id) { members(first: 100) { nodes { role user { id name email } } } }\n  }\n": types.ProjectMemberListDocument,
    "\n  mutation TransferOwnership($projectId: ID!, $userId: ID!) {\n    transferProjectOwnership(projectId: $projectId, userId: $userId) { ok error { ...MutationErrorFields } project { id } }\n  }\n": types.TransferOwnershipDocument,
    "\n  mutation DeleteAccount($input: DeleteAccountInput!) { deleteAccount(input: $input) { ok error { ...MutationErrorFields } deletedProjects } }\n": types.DeleteAccountDocument,
    "\n  query SignInOptions { signInOptions { password providers { id name startPath } } }\n": types.SignInOptionsDocument,
    "\n  fragment CurveSummaryFields on Curve {\n    id name projectId status phase stepsDone stepsTotal pointsDone pointsTotal createdAt finishedAt\n  }\n": types.CurveSummaryFieldsFragmentDoc,
    "\n  fragment CurveFields on Curve {\n    ...CurveSummaryFields\n    modelAId modelBId datasetId testDatasetId errorCode errorMessage\n    options { kind bends epochs optimizer learningRate weightDecay batchSize seed points samples ensemble }\n    checkpoints { step meanLoss }\n    values {\n      t batchNormRecomputed\n      plane { xs ys loss accuracy offPlane models { name x y } curve { t x y } line { t x y } }\n      curve { trainLoss trainAccuracy testLoss testAccuracy }\n      line { trainLoss trainAccuracy testLoss testAccuracy }\n      curveBarriers { trainLoss trainAccuracy testLoss testAccuracy }\n      lineBarriers { trainLoss trainAccuracy testLoss testAccuracy }\n      ensemble { members t trainAccuracy trainAccuracyA trainAccuracyB testAccuracy testAccuracyA testAccuracyB }\n    }\n  }\n": types.CurveFieldsFragmentDoc,
    "\n  query ProjectCurves($id: ID!) {\n    curves(projectId: $id, first: 100) { nodes { ...CurveSummaryFields } }\n  }\n": types.ProjectCurvesDocument,
    "\n  query Curve($id: ID!) { curve(id: $id) { ...CurveFields } }\n": types.CurveDocument,
    "\n  mutation ConnectModels($input: ConnectModelsInput!) {\n    connectModels(input: $input) { ok error { ...MutationErrorFields } curve { id } }\n  }\n": types.ConnectModelsDocument,
    "\n  mutation CancelCurve($id: ID!) {\n    cancelCurve(id: $id) { ok error { ...MutationErrorFields } curve { ...CurveFields } }\n  }\n": types.CancelCurveDocument,
    "\n  subscription CurveProgress($id: ID!) { curveProgress(id: $id) { ...CurveFields } }\n": types.CurveProgressDocument,
    "\n  query CurveAnnotations($id: ID!) {\n    curve(id: $id) { id annotations(first: 100) { nodes { ...AnnotationFields } } }\n  }\n": types.CurveAnnotationsDocument,
    "\n  query ExportSettings { exportSettings { theme format width height unit dpi } }\n": types.ExportSettingsDocument,
    "\n  mutation SaveExportSettings($input: ExportSettingsInput!) {\n    saveExportSettings(input: $input) { ok error { ...MutationErrorFields } settings { theme format width height unit dpi } }\n  }\n": types.SaveExportSettingsDocument,
    "\n  query Health {\n    health {\n      status\n      version\n      uptimeSeconds\n      database { ok latencyMs error serverVersion embedded }\n      storage { ok latencyMs error bucket embedded }\n      queue { ok latencyMs error queued active failed }\n      workers { id hostname backend device gpu lastHeartbeatAt }\n    }\n  }\n": types.HealthDocument,
    "\n  fragment ModelCurvatureFields on ModelCurvature {\n    id datasetId status samples hvpsDone hvpsPlanned dimension topEigenvalues lambdaMin eigenRatio\n    trace traceStandardError method hvpErrorEstimate hvpStep eigenvaluesConverged backend seconds errorMessage createdAt\n    density { x density sigma nodes weights }\n  }\n": types.ModelCurvatureFieldsFragmentDoc,
    "\n  query ModelPage($id: ID!) {\n    model(id: $id) {\n      id projectId name parameterCount trainableCount bufferCount flopsPerSample inputShape outputShape loss lossName notes\n      layers { name className params }\n      curvature { ...ModelCurvatureFields }\n    }\n  }\n": types.ModelPageDocument,
    "\n  query ModelContext($projectId: ID!) {\n    project(id: $projectId) { id name myRole }\n    datasets(projectId: $projectId, first: 100) { nodes { id name rows inputShape } }\n  }\n": types.ModelContextDocument,
    "\n  query ModelCurvature($id: ID!) { model(id: $id) { id curvature { ...ModelCurvatureFields } } }\n": types.ModelCurvatureDocument,
    "\n  mutation ComputeModelCurvature($input: ComputeCurvatureInput!) {\n    computeModelCurvature(input: $input) { ok error { ...MutationErrorFields } curvature { ...ModelCurvatureFields } }\n  }\n": types.ComputeModelCurvatureDocument,
    "\n  fragment MutationErrorFields on MutationError {\n    code message field\n  }\n": types.MutationErrorFieldsFragmentDoc,
    "\n  fragment UserFields on User {\n    id name email\n  }\n": types.UserFieldsFragmentDoc,
    "\n  fragment ProjectFields on Project {\n    id name description visibility myRole shareToken createdAt\n    owner { ...UserFields }\n  }\n": types.ProjectFieldsFragmentDoc,
    "\n  fragment ModelFields on Model {\n    id name parameterCount trainableCount bufferCount flopsPerSample inputShape outputShape loss lossName createdAt notes\n    layers { name className params }\n    directions(first: 10) { nodes { id name } }\n  }\n": types.ModelFieldsFragmentDoc,
    "\n  fragment DatasetFields on Dataset {\n    id name format rows inputShape classes createdAt channelsLast\n  }\n": types.DatasetFieldsFragmentDoc,
    "\n  fragment SurfaceSummaryFields on Surface {\n    id name kind status pointsDone pointsTotal thumbnailUrl createdAt projectId tags\n    model { id name }\n    dataset { id name }\n    statistics { loss { min max } }\n    experiment { id name }\n  }\n": types.SurfaceSummaryFieldsFragmentDoc,
    "\n  fragment SurfaceFields on Surface {\n    ...SurfaceSummaryFields\n    myRole xs ys errorMessage valuesUrl notes testDatasetId\n    testDataset { id name }\n    project { id name visibility }\n    params { x { min max count } y { min max count } norm ignore samples seed checkpointStep directionsFrom fitPath equalAspect lanczosSteps tolerance runningStats }\n    # Every stored point with its persistence: the viewer filters them with its own slider.\n    criticalPoints(minPersistence: 0) { kind i j x y value persistence }\n    path { step x y distance fromFinal offPlaneFraction }\n    explainedVariance\n    modelPositions { name x y runningStatsOf loss ownLoss accuracy ownAccuracy }\n    statistics { loss { min max } accuracy { min max } testLoss { min max } testAccuracy { min max } nonConvexity lambdaMax { min max mean } lambdaMin { min max mean } ratio { min max mean } unconvergedPoints lanczosSteps { min max mean } }\n  }\n": types.SurfaceFieldsFragmentDoc,
    "\n  fragment AnnotationFields on Annotation {\n    id x y kind label body updatedAt\n    author { ...UserFields }\n  }\n": types.AnnotationFieldsFragmentDoc,
    "\n  query Me { me { ...UserFields } }\n": types.MeDocument,
    "\n  mutation SignIn($email: String!, $password: String!) {\n    signIn(email: $email, password: $password) { ok error { ...MutationErrorFields } user { ...UserFields } }\n  }\n": types.SignInDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) { ok error { ...MutationErrorFields } user { ...UserFields } }\n  }\n": types.SignUpDocument,
    "\n  mutation SignOut { signOut { ok error { ...MutationErrorFields } } }\n": types.SignOutDocument,
    "\n  query EmailVerified { me { id emailVerified } }\n": types.EmailVerifiedDocument,
    "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email) { ok error { ...MutationErrorFields } }\n  }\n": types.RequestPasswordResetDocument,
    "\n  mutation ResetPassword($token: String!, $password: String!) {\n    resetPassword(token: $token, password: $password) { ok error { ...MutationErrorFields } user { ...UserFields } }\n  }\n": types.ResetPasswordDocument,
    "\n  mutation VerifyEmail($token: String!) { verifyEmail(token: $token) { ok error { ...MutationErrorFields } } }\n": types.VerifyEmailDocument,
    "\n  mutation SendVerificationEmail { sendVerificationEmail { ok sent error { ...MutationErrorFields } } }\n": types.SendVerificationEmailDocument,
    "\n  query ApiTokens {\n    apiTokens(first: 100) { nodes { id name prefix createdAt lastUsedAt revokedAt } }\n  }\n": types.ApiTokensDocument,
    "\n  mutation CreateApiToken($name: String!) {\n    createApiToken(name: $name) { ok error { ...MutationErrorFields } token apiToken { id } }\n  }\n": types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: ID!) { revokeApiToken(id: $id) { ok error { ...MutationErrorFields } } }\n": types.RevokeApiTokenDocument,
    "\n  query Projects($after: String) {\n    projects(first: 50, after: $after) { nodes { ...ProjectFields } pageInfo { hasNextPage endCursor } }\n  }\n": types.ProjectsDocument,
    "\n  mutation CreateProject($input: CreateProjectInput!) {\n    createProject(input: $input) { ok error { ...MutationErrorFields } project { ...ProjectFields } }\n  }\n": types.CreateProjectDocument,
    "\n  query ProjectPage($id: ID!) {\n    project(id: $id) { ...ProjectFields }\n    models(projectId: $id, first: 100) { nodes { ...ModelFields } }\n    datasets(projectId: $id, first: 100) { nodes { ...DatasetFields } }\n    gallery(first: 100, filter: { projectId: $id }) { nodes { ...SurfaceSummaryFields } }\n  }\n": types.ProjectPageDocument,
    "\n  query Members($id: ID!) {\n    project(id: $id) {\n      members(first: 100) { nodes { role addedAt user { ...UserFields } } }\n      invitations(first: 100) { nodes { id email role createdAt } }\n      surfaceLinks(first: 100) { nodes { id surfaceId surfaceName path createdAt createdBy { id name } } }\n      compareLinks(first: 100) { nodes { id path createdAt surfaces { id name } createdBy { id name } } }\n    }\n  }\n": types.MembersDocument,
    "\n  query SharedLink($token: String!) { sharedLink(token: $token) { kind projectId surfaceId surfaceIds view } }\n": types.SharedLinkDocument,
    "\n  mutation CreateSurfaceLink($surfaceId: ID!, $view: String) {\n    createSurfaceLink(surfaceId: $surfaceId, view: $view) { ok error { ...MutationErrorFields } link { id path } }\n  }\n": types.CreateSurfaceLinkDocument,
    "\n  mutation RevokeSurfaceLink($id: ID!) { revokeSurfaceLink(id: $id) { ok error { ...MutationErrorFields } } }\n": types.RevokeSurfaceLinkDocument,
    "\n  mutation CreateCompareLink($surfaceIds: [ID!]!, $view: String) {\n    createCompareLink(surfaceIds: $surfaceIds, view: $view) { ok error { ...MutationErrorFields } link { id path } }\n  }\n": types.CreateCompareLinkDocument,
    "\n  mutation RevokeCompareLink($id: ID!) { revokeCompareLink(id: $id) { ok error { ...MutationErrorFields } } }\n": types.RevokeCompareLinkDocument,
    "\n  mutation InviteProjectMember($projectId: ID!, $email: String!, $role: MemberRole!) {\n    inviteProjectMember(projectId: $projectId, email: $email, role: $role) { ok error { ...MutationErrorFields } invitation { id email } }\n  }\n": types.InviteProjectMemberDocument,
    "\n  mutation WithdrawInvitation($id: ID!) { withdrawInvitation(id: $id) { ok error { ...MutationErrorFields } } }\n": types.WithdrawInvitationDocument,
    "\n  query MyInvitations {\n    myInvitations(first: 100) { nodes { id projectId projectName role createdAt invitedBy { id name } } }\n  }\n": types.MyInvitationsDocument,
    "\n  mutation AcceptInvitation($id: ID!) { acceptInvitation(id: $id) { ok error { ...MutationErrorFields } invitation { projectId } } }\n": types.AcceptInvitationDocument,
    "\n  mutation DeclineInvitation($id: ID!) { declineInvitation(id: $id) { ok error { ...MutationErrorFields } } }\n": types.DeclineInvitationDocument,
    "\n  mutation SetProjectMember($projectId: ID!, $email: String!, $role: MemberRole!) {\n    setProjectMember(projectId: $projectId, email: $email, role: $role) { ok error { ...MutationErrorFields } }\n  }\n": types.SetProjectMemberDocument,
    "\n  mutation RemoveProjectMember($projectId: ID!, $userId: ID!) {\n    removeProjectMember(projectId: $projectId, userId: $userId) { ok error { ...MutationErrorFields } }\n  }\n": types.RemoveProjectMemberDocument,
    "\n  mutation SetProjectVisibility($id: ID!, $visibility: ProjectVisibility!) {\n    setProjectVisibility(id: $id, visibility: $visibility) { ok error { ...MutationErrorFields } project { ...ProjectFields } }\n  }\n": types.SetProjectVisibilityDocument,
    "\n  mutation RotateShareToken($id: ID!) {\n    rotateShareToken(id: $id) { ok error { ...MutationErrorFields } project { ...ProjectFields } }\n  }\n": types.RotateShareTokenDocument,
    "\n  mutation AddBuiltinDataset($projectId: ID!, $dataset: BuiltinDataset!) {\n    addBuiltinDataset(projectId: $projectId, dataset: $dataset) { ok error { ...MutationErrorFields } dataset { ...DatasetFields } }\n  }\n": types.AddBuiltinDatasetDocument,
    "\n  mutation RequestUpload($input: RequestUploadInput!) {\n    requestUpload(input: $input) {\n      ok error { ...MutationErrorFields }\n      upload { id expiresAt files { name size url contentType } }\n    }\n  }\n": types.RequestUploadDocument,
    "\n  mutation CompleteUpload($id: ID!) {\n    completeUpload(id: $id) {\n      ok error { ...MutationErrorFields }\n      model { ...ModelFields }\n      dataset { ...DatasetFields }\n      checkpoint { id step }\n      direction { id name }\n    }\n  }\n": types.CompleteUploadDocument,
    "\n  mutation CreateSurface($input: CreateSurfaceInput!) {\n    createSurface(input: $input) { ok error { ...MutationErrorFields } surface { id } }\n  }\n": types.CreateSurfaceDocument,
    "\n  query Surface($id: ID!) { surface(id: $id) { ...SurfaceFields } }\n": types.SurfaceDocument,
    "\n  query SurfaceValues($id: ID!) {\n    surface(id: $id) { loss: values(metric: LOSS) accuracy: values(metric: ACCURACY) }\n  }\n": types.SurfaceValuesDocument,
    "\n  query SurfaceTestValues($id: ID!) {\n    surface(id: $id) { testLoss: values(metric: TEST_LOSS) testAccuracy: values(metric: TEST_ACCURACY) }\n  }\n": types.SurfaceTestValuesDocument,
    "\n  query EigenRatioValues($id: ID!) {\n    surface(id: $id) {\n      lambdaMax: values(metric: LAMBDA_MAX) lambdaMin: values(metric: LAMBDA_MIN) ratio: values(metric: RATIO)\n      steps: values(metric: LANCZOS_STEPS) converged: values(metric: CONVERGED)\n    }\n  }\n": types.EigenRatioValuesDocument,
    "\n  query EigenRatioCost($modelId: ID!, $datasetId: ID!, $points: Int!, $lanczosSteps: Int!, $samples: Int) {\n    eigenRatioCost(modelId: $modelId, datasetId: $datasetId, points: $points, lanczosSteps: $lanczosSteps, samples: $samples) { hvps expectedHvps samples estimatedSeconds basis }\n  }\n": types.EigenRatioCostDocument,
    "\n  query SurfaceCost($modelId: ID!, $datasetId: ID!, $points: Int!, $samples: Int, $testDatasetId: ID) {\n    surfaceCost(modelId: $modelId, datasetId: $datasetId, points: $points, samples: $samples, testDatasetId: $testDatasetId) { samples testSamples flopsPerPoint totalFlops secondsPerPoint estimatedSeconds }\n  }\n": types.SurfaceCostDocument,
    "\n  query SurfaceQueue($id: ID!) {\n    surface(id: $id) { id queue { position surfacesAhead estimatedSeconds waitingFor } }\n  }\n": types.SurfaceQueueDocument,
    "\n  mutation CancelSurface($id: ID!) { cancelSurface(id: $id) { ok error { ...MutationErrorFields } } }\n": types.CancelSurfaceDocument,
    "\n  subscription SurfaceProgress($id: ID!) {\n    surfaceProgress(id: $id) { surfaceId status pointsDone pointsTotal indices loss accuracy testLoss testAccuracy lambdaMax lambdaMin ratio lanczosSteps converged errorMessage }\n  }\n": types.SurfaceProgressDocument,
    "\n  query Annotations($id: ID!) {\n    surface(id: $id) { annotations(first: 100) { nodes { ...AnnotationFields } } }\n  }\n": types.AnnotationsDocument,
    "\n  mutation AddAnnotation($input: AddAnnotationInput!) {\n    addAnnotation(input: $input) { ok error { ...MutationErrorFields } annotation { ...AnnotationFields } }\n  }\n": types.AddAnnotationDocument,
    "\n  mutation UpdateAnnotation($input: UpdateAnnotationInput!) {\n    updateAnnotation(input: $input) { ok error { ...MutationErrorFields } annotation { ...AnnotationFields } }\n  }\n": types.UpdateAnnotationDocument,
    "\n  mutation DeleteAnnotation($id: ID!) { deleteAnnotation(id: $id) { ok error { ...MutationErrorFields } } }\n": types.DeleteAnnotationDocument,
    "\n  query Gallery($after: String, $filter: GalleryFilterInput) {\n    gallery(first: 12, after: $after, filter: $filter) {\n      nodes { ...SurfaceSummaryFields }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.GalleryDocument,
    "\n  query Compare($ids: [ID!]!, $metric: Metric!) {\n    compare(ids: $ids, metric: $metric) { min max sameGrid surfaces { ...SurfaceFields } }\n  }\n": types.CompareDocument,
    "\n  query ModelDownloads($id: ID!) { model(id: $id) { downloads { name url } } }\n": types.ModelDownloadsDocument,
    "\n  query DatasetDownloads($id: ID!) { dataset(id: $id) { downloads { name url } } }\n": types.DatasetDownloadsDocument,
    "\n  fragment SeriesFrameFields on Surface {\n    id status pointsDone pointsTotal\n    params { checkpointStep }\n  }\n": types.SeriesFrameFieldsFragmentDoc,
    "\n  fragment PreparingExperimentFields on Experiment {\n    id name status projectId\n    runs { role status stepsDone stepsTotal }\n    surfaces { status pointsDone pointsTotal }\n  }\n": types.PreparingExperimentFieldsFragmentDoc,
    "\n  query SurfaceSeries($id: ID!) {\n    surface(id: $id) {\n      series { ...SeriesFrameFields }\n      model { checkpoints(first: 51) { nodes { step } } }\n    }\n  }\n": types.SurfaceSeriesDocument,
    "\n  mutation CreateTrainingSeries($id: ID!) {\n    createTrainingSeries(surfaceId: $id) { ok error { ...MutationErrorFields } surfaces { id } }\n  }\n": types.CreateTrainingSeriesDocument,
    "\n  query ExperimentsInProgress {\n    experimentsInProgress(first: 12) { nodes { ...PreparingExperimentFields } }\n  }\n": types.ExperimentsInProgressDocument,
    "\n  query FeaturedComparison {\n    featuredComparison {\n      contrast\n      experiment { id name }\n      surfaces { id name thumbnailUrl statistics { nonConvexity } }\n    }\n  }\n": types.FeaturedComparisonDocument,
    "\n  fragment TrainingRunSummaryFields on TrainingRun {\n    id name projectId status stepsDone stepsTotal role createdAt finishedAt\n  }\n": types.TrainingRunSummaryFieldsFragmentDoc,
    "\n  fragment TrainingRunFields on TrainingRun {\n    ...TrainingRunSummaryFields\n    datasetId testDatasetId modelId errorCode errorMessage\n    architecture { kind depth width residual channels blocks downsample modelId }\n    options { optimizer learningRate batchSize weightDecay epochs seed checkpointEvery samples }\n    curve { step epoch trainLoss trainAccuracy testLoss testAccuracy }\n  }\n": types.TrainingRunFieldsFragmentDoc,
    "\n  fragment ExperimentSummaryFields on Experiment {\n    id name kind status projectId createdAt\n    runs { id status stepsDone stepsTotal role }\n  }\n": types.ExperimentSummaryFieldsFragmentDoc,
    "\n  fragment ExperimentFields on Experiment {\n    id name kind status projectId createdAt caption datasetId\n    runs { ...TrainingRunFields }\n    surfaces { ...SurfaceSummaryFields }\n    pairs { title sides { role runId testError testLoss } panels { kind normalization surfaces { id name kind status pointsDone pointsTotal thumbnailUrl statistics { basinWidth } } } }\n    curve {\n      id name status phase stepsDone stepsTotal pointsDone pointsTotal errorMessage\n      values { curveBarriers { trainLoss trainAccuracy } lineBarriers { trainLoss trainAccuracy } }\n    }\n  }\n": types.ExperimentFieldsFragmentDoc,
    "\n  query ProjectTraining($id: ID!) {\n    trainingRuns(projectId: $id, first: 100) { nodes { ...TrainingRunSummaryFields } }\n    experiments(projectId: $id, first: 100) { nodes { ...ExperimentSummaryFields } }\n  }\n": types.ProjectTrainingDocument,
    "\n  query TrainingContext($id: ID!) {\n    project(id: $id) { id name myRole }\n    models(projectId: $id, first: 100) { nodes { id name parameterCount trainableCount bufferCount } }\n    datasets(projectId: $id, first: 100) { nodes { id name rows } }\n  }\n": types.TrainingContextDocument,
    "\n  query TrainingRun($id: ID!) { trainingRun(id: $id) { ...TrainingRunFields } }\n": types.TrainingRunDocument,
    "\n  mutation StartTraining($input: StartTrainingInput!) {\n    startTraining(input: $input) { ok error { ...MutationErrorFields } run { id } }\n  }\n": types.StartTrainingDocument,
    "\n  mutation CancelTraining($id: ID!) {\n    cancelTraining(id: $id) { ok error { ...MutationErrorFields } run { ...TrainingRunFields } }\n  }\n": types.CancelTrainingDocument,
    "\n  subscription TrainingProgress($id: ID!) { trainingProgress(id: $id) { ...TrainingRunFields } }\n": types.TrainingProgressDocument,
    "\n  query Experiment($id: ID!) { experiment(id: $id) { ...ExperimentFields } }\n": types.ExperimentDocument,
    "\n  mutation StartExperiment($input: StartExperimentInput!) {\n    startExperiment(input: $input) { ok error { ...MutationErrorFields } experiment { id } }\n  }\n": types.StartExperimentDocument,
    "\n  query ExperimentCaption($id: ID!) {\n    experiment(id: $id) { id name caption runs { id role } surfaces { id } }\n  }\n": types.ExperimentCaptionDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Sessions($after: String) {\n    sessions(first: 50, after: $after) {\n      nodes { id browser userAgent lastAddress createdAt lastSeenAt current }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql').SessionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EndSession($id: ID!) { endSession(id: $id) { ok error { ...MutationErrorFields } session { id current } } }\n"): typeof import('./graphql').EndSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EndOtherSessions { endOtherSessions { ok error { ...MutationErrorFields } ended } }\n"): typeof import('./graphql').EndOtherSessionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) { ok error { ...MutationErrorFields } ended } }\n"): typeof import('./graphql').ChangePasswordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MySharedProjects {\n    mySharedProjects(first: 100) { nodes { id name memberCount } pageInfo { hasNextPage } }\n  }\n"): typeof import('./graphql').MySharedProjectsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProjectMemberList($id: ID!) {\n    project(id: $id) { members(first: 100) { nodes { role user { id name email } } } }\n  }\n"): typeof import('./graphql').ProjectMemberListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TransferOwnership($projectId: ID!, $userId: ID!) {\n    transferProjectOwnership(projectId: $projectId, userId: $userId) { ok error { ...MutationErrorFields } project { id } }\n  }\n"): typeof import('./graphql').TransferOwnershipDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteAccount($input: DeleteAccountInput!) { deleteAccount(input: $input) { ok error { ...MutationErrorFields } deletedProjects } }\n"): typeof import('./graphql').DeleteAccountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SignInOptions { signInOptions { password providers { id name startPath } } }\n"): typeof import('./graphql').SignInOptionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CurveSummaryFields on Curve {\n    id name projectId status phase stepsDone stepsTotal pointsDone pointsTotal createdAt finishedAt\n  }\n"): typeof import('./graphql').CurveSummaryFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CurveFields on Curve {\n    ...CurveSummaryFields\n    modelAId modelBId datasetId testDatasetId errorCode errorMessage\n    options { kind bends epochs optimizer learningRate weightDecay batchSize seed points samples ensemble }\n    checkpoints { step meanLoss }\n    values {\n      t batchNormRecomputed\n      plane { xs ys loss accuracy offPlane models { name x y } curve { t x y } line { t x y } }\n      curve { trainLoss trainAccuracy testLoss testAccuracy }\n      line { trainLoss trainAccuracy testLoss testAccuracy }\n      curveBarriers { trainLoss trainAccuracy testLoss testAccuracy }\n      lineBarriers { trainLoss trainAccuracy testLoss testAccuracy }\n      ensemble { members t trainAccuracy trainAccuracyA trainAccuracyB testAccuracy testAccuracyA testAccuracyB }\n    }\n  }\n"): typeof import('./graphql').CurveFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProjectCurves($id: ID!) {\n    curves(projectId: $id, first: 100) { nodes { ...CurveSummaryFields } }\n  }\n"): typeof import('./graphql').ProjectCurvesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Curve($id: ID!) { curve(id: $id) { ...CurveFields } }\n"): typeof import('./graphql').CurveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConnectModels($input: ConnectModelsInput!) {\n    connectModels(input: $input) { ok error { ...MutationErrorFields } curve { id } }\n  }\n"): typeof import('./graphql').ConnectModelsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelCurve($id: ID!) {\n    cancelCurve(id: $id) { ok error { ...MutationErrorFields } curve { ...CurveFields } }\n  }\n"): typeof import('./graphql').CancelCurveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CurveProgress($id: ID!) { curveProgress(id: $id) { ...CurveFields } }\n"): typeof import('./graphql').CurveProgressDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CurveAnnotations($id: ID!) {\n    curve(id: $id) { id annotations(first: 100) { nodes { ...AnnotationFields } } }\n  }\n"): typeof import('./graphql').CurveAnnotationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExportSettings { exportSettings { theme format width height unit dpi } }\n"): typeof import('./graphql').ExportSettingsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SaveExportSettings($input: ExportSettingsInput!) {\n    saveExportSettings(input: $input) { ok error { ...MutationErrorFields } settings { theme format width height unit dpi } }\n  }\n"): typeof import('./graphql').SaveExportSettingsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Health {\n    health {\n      status\n      version\n      uptimeSeconds\n      database { ok latencyMs error serverVersion embedded }\n      storage { ok latencyMs error bucket embedded }\n      queue { ok latencyMs error queued active failed }\n      workers { id hostname backend device gpu lastHeartbeatAt }\n    }\n  }\n"): typeof import('./graphql').HealthDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ModelCurvatureFields on ModelCurvature {\n    id datasetId status samples hvpsDone hvpsPlanned dimension topEigenvalues lambdaMin eigenRatio\n    trace traceStandardError method hvpErrorEstimate hvpStep eigenvaluesConverged backend seconds errorMessage createdAt\n    density { x density sigma nodes weights }\n  }\n"): typeof import('./graphql').ModelCurvatureFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelPage($id: ID!) {\n    model(id: $id) {\n      id projectId name parameterCount trainableCount bufferCount flopsPerSample inputShape outputShape loss lossName notes\n      layers { name className params }\n      curvature { ...ModelCurvatureFields }\n    }\n  }\n"): typeof import('./graphql').ModelPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelContext($projectId: ID!) {\n    project(id: $projectId) { id name myRole }\n    datasets(projectId: $projectId, first: 100) { nodes { id name rows inputShape } }\n  }\n"): typeof import('./graphql').ModelContextDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelCurvature($id: ID!) { model(id: $id) { id curvature { ...ModelCurvatureFields } } }\n"): typeof import('./graphql').ModelCurvatureDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ComputeModelCurvature($input: ComputeCurvatureInput!) {\n    computeModelCurvature(input: $input) { ok error { ...MutationErrorFields } curvature { ...ModelCurvatureFields } }\n  }\n"): typeof import('./graphql').ComputeModelCurvatureDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MutationErrorFields on MutationError {\n    code message field\n  }\n"): typeof import('./graphql').MutationErrorFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UserFields on User {\n    id name email\n  }\n"): typeof import('./graphql').UserFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProjectFields on Project {\n    id name description visibility myRole shareToken createdAt\n    owner { ...UserFields }\n  }\n"): typeof import('./graphql').ProjectFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ModelFields on Model {\n    id name parameterCount trainableCount bufferCount flopsPerSample inputShape outputShape loss lossName createdAt notes\n    layers { name className params }\n    directions(first: 10) { nodes { id name } }\n  }\n"): typeof import('./graphql').ModelFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DatasetFields on Dataset {\n    id name format rows inputShape classes createdAt channelsLast\n  }\n"): typeof import('./graphql').DatasetFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SurfaceSummaryFields on Surface {\n    id name kind status pointsDone pointsTotal thumbnailUrl createdAt projectId tags\n    model { id name }\n    dataset { id name }\n    statistics { loss { min max } }\n    experiment { id name }\n  }\n"): typeof import('./graphql').SurfaceSummaryFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SurfaceFields on Surface {\n    ...SurfaceSummaryFields\n    myRole xs ys errorMessage valuesUrl notes testDatasetId\n    testDataset { id name }\n    project { id name visibility }\n    params { x { min max count } y { min max count } norm ignore samples seed checkpointStep directionsFrom fitPath equalAspect lanczosSteps tolerance runningStats }\n    # Every stored point with its persistence: the viewer filters them with its own slider.\n    criticalPoints(minPersistence: 0) { kind i j x y value persistence }\n    path { step x y distance fromFinal offPlaneFraction }\n    explainedVariance\n    modelPositions { name x y runningStatsOf loss ownLoss accuracy ownAccuracy }\n    statistics { loss { min max } accuracy { min max } testLoss { min max } testAccuracy { min max } nonConvexity lambdaMax { min max mean } lambdaMin { min max mean } ratio { min max mean } unconvergedPoints lanczosSteps { min max mean } }\n  }\n"): typeof import('./graphql').SurfaceFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AnnotationFields on Annotation {\n    id x y kind label body updatedAt\n    author { ...UserFields }\n  }\n"): typeof import('./graphql').AnnotationFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me { me { ...UserFields } }\n"): typeof import('./graphql').MeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($email: String!, $password: String!) {\n    signIn(email: $email, password: $password) { ok error { ...MutationErrorFields } user { ...UserFields } }\n  }\n"): typeof import('./graphql').SignInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) { ok error { ...MutationErrorFields } user { ...UserFields } }\n  }\n"): typeof import('./graphql').SignUpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOut { signOut { ok error { ...MutationErrorFields } } }\n"): typeof import('./graphql').SignOutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EmailVerified { me { id emailVerified } }\n"): typeof import('./graphql').EmailVerifiedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email) { ok error { ...MutationErrorFields } }\n  }\n"): typeof import('./graphql').RequestPasswordResetDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetPassword($token: String!, $password: String!) {\n    resetPassword(token: $token, password: $password) { ok error { ...MutationErrorFields } user { ...UserFields } }\n  }\n"): typeof import('./graphql').ResetPasswordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifyEmail($token: String!) { verifyEmail(token: $token) { ok error { ...MutationErrorFields } } }\n"): typeof import('./graphql').VerifyEmailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendVerificationEmail { sendVerificationEmail { ok sent error { ...MutationErrorFields } } }\n"): typeof import('./graphql').SendVerificationEmailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiTokens {\n    apiTokens(first: 100) { nodes { id name prefix createdAt lastUsedAt revokedAt } }\n  }\n"): typeof import('./graphql').ApiTokensDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiToken($name: String!) {\n    createApiToken(name: $name) { ok error { ...MutationErrorFields } token apiToken { id } }\n  }\n"): typeof import('./graphql').CreateApiTokenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiToken($id: ID!) { revokeApiToken(id: $id) { ok error { ...MutationErrorFields } } }\n"): typeof import('./graphql').RevokeApiTokenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Projects($after: String) {\n    projects(first: 50, after: $after) { nodes { ...ProjectFields } pageInfo { hasNextPage endCursor } }\n  }\n"): typeof import('./graphql').ProjectsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateProject($input: CreateProjectInput!) {\n    createProject(input: $input) { ok error { ...MutationErrorFields } project { ...ProjectFields } }\n  }\n"): typeof import('./graphql').CreateProjectDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProjectPage($id: ID!) {\n    project(id: $id) { ...ProjectFields }\n    models(projectId: $id, first: 100) { nodes { ...ModelFields } }\n    datasets(projectId: $id, first: 100) { nodes { ...DatasetFields } }\n    gallery(first: 100, filter: { projectId: $id }) { nodes { ...SurfaceSummaryFields } }\n  }\n"): typeof import('./graphql').ProjectPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Members($id: ID!) {\n    project(id: $id) {\n      members(first: 100) { nodes { role addedAt user { ...UserFields } } }\n      invitations(first: 100) { nodes { id email role createdAt } }\n      surfaceLinks(first: 100) { nodes { id surfaceId surfaceName path createdAt createdBy { id name } } }\n      compareLinks(first: 100) { nodes { id path createdAt surfaces { id name } createdBy { id name } } }\n    }\n  }\n"): typeof import('./graphql').MembersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SharedLink($token: String!) { sharedLink(token: $token) { kind projectId surfaceId surfaceIds view } }\n"): typeof import('./graphql').SharedLinkDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSurfaceLink($surfaceId: ID!, $view: String) {\n    createSurfaceLink(surfaceId: $surfaceId, view: $view) { ok error { ...MutationErrorFields } link { id path } }\n  }\n"): typeof import('./graphql').CreateSurfaceLinkDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeSurfaceLink($id: ID!) { revokeSurfaceLink(id: $id) { ok error { ...MutationErrorFields } } }\n"): typeof import('./graphql').RevokeSurfaceLinkDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateCompareLink($surfaceIds: [ID!]!, $view: String) {\n    createCompareLink(surfaceIds: $surfaceIds, view: $view) { ok error { ...MutationErrorFields } link { id path } }\n  }\n"): typeof import('./graphql').CreateCompareLinkDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeCompareLink($id: ID!) { revokeCompareLink(id: $id) { ok error { ...MutationErrorFields } } }\n"): typeof import('./graphql').RevokeCompareLinkDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InviteProjectMember($projectId: ID!, $email: String!, $role: MemberRole!) {\n    inviteProjectMember(projectId: $projectId, email: $email, role: $role) { ok error { ...MutationErrorFields } invitation { id email } }\n  }\n"): typeof import('./graphql').InviteProjectMemberDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WithdrawInvitation($id: ID!) { withdrawInvitation(id: $id) { ok error { ...MutationErrorFields } } }\n"): typeof import('./graphql').WithdrawInvitationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyInvitations {\n    myInvitations(first: 100) { nodes { id projectId projectName role createdAt invitedBy { id name } } }\n  }\n"): typeof import('./graphql').MyInvitationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptInvitation($id: ID!) { acceptInvitation(id: $id) { ok error { ...MutationErrorFields } invitation { projectId } } }\n"): typeof import('./graphql').AcceptInvitationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeclineInvitation($id: ID!) { declineInvitation(id: $id) { ok error { ...MutationErrorFields } } }\n"): typeof import('./graphql').DeclineInvitationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetProjectMember($projectId: ID!, $email: String!, $role: MemberRole!) {\n    setProjectMember(projectId: $projectId, email: $email, role: $role) { ok error { ...MutationErrorFields } }\n  }\n"): typeof import('./graphql').SetProjectMemberDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveProjectMember($projectId: ID!, $userId: ID!) {\n    removeProjectMember(projectId: $projectId, userId: $userId) { ok error { ...MutationErrorFields } }\n  }\n"): typeof import('./graphql').RemoveProjectMemberDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetProjectVisibility($id: ID!, $visibility: ProjectVisibility!) {\n    setProjectVisibility(id: $id, visibility: $visibility) { ok error { ...MutationErrorFields } project { ...ProjectFields } }\n  }\n"): typeof import('./graphql').SetProjectVisibilityDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateShareToken($id: ID!) {\n    rotateShareToken(id: $id) { ok error { ...MutationErrorFields } project { ...ProjectFields } }\n  }\n"): typeof import('./graphql').RotateShareTokenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddBuiltinDataset($projectId: ID!, $dataset: BuiltinDataset!) {\n    addBuiltinDataset(projectId: $projectId, dataset: $dataset) { ok error { ...MutationErrorFields } dataset { ...DatasetFields } }\n  }\n"): typeof import('./graphql').AddBuiltinDatasetDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestUpload($input: RequestUploadInput!) {\n    requestUpload(input: $input) {\n      ok error { ...MutationErrorFields }\n      upload { id expiresAt files { name size url contentType } }\n    }\n  }\n"): typeof import('./graphql').RequestUploadDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CompleteUpload($id: ID!) {\n    completeUpload(id: $id) {\n      ok error { ...MutationErrorFields }\n      model { ...ModelFields }\n      dataset { ...DatasetFields }\n      checkpoint { id step }\n      direction { id name }\n    }\n  }\n"): typeof import('./graphql').CompleteUploadDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSurface($input: CreateSurfaceInput!) {\n    createSurface(input: $input) { ok error { ...MutationErrorFields } surface { id } }\n  }\n"): typeof import('./graphql').CreateSurfaceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Surface($id: ID!) { surface(id: $id) { ...SurfaceFields } }\n"): typeof import('./graphql').SurfaceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SurfaceValues($id: ID!) {\n    surface(id: $id) { loss: values(metric: LOSS) accuracy: values(metric: ACCURACY) }\n  }\n"): typeof import('./graphql').SurfaceValuesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SurfaceTestValues($id: ID!) {\n    surface(id: $id) { testLoss: values(metric: TEST_LOSS) testAccuracy: values(metric: TEST_ACCURACY) }\n  }\n"): typeof import('./graphql').SurfaceTestValuesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EigenRatioValues($id: ID!) {\n    surface(id: $id) {\n      lambdaMax: values(metric: LAMBDA_MAX) lambdaMin: values(metric: LAMBDA_MIN) ratio: values(metric: RATIO)\n      steps: values(metric: LANCZOS_STEPS) converged: values(metric: CONVERGED)\n    }\n  }\n"): typeof import('./graphql').EigenRatioValuesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EigenRatioCost($modelId: ID!, $datasetId: ID!, $points: Int!, $lanczosSteps: Int!, $samples: Int) {\n    eigenRatioCost(modelId: $modelId, datasetId: $datasetId, points: $points, lanczosSteps: $lanczosSteps, samples: $samples) { hvps expectedHvps samples estimatedSeconds basis }\n  }\n"): typeof import('./graphql').EigenRatioCostDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SurfaceCost($modelId: ID!, $datasetId: ID!, $points: Int!, $samples: Int, $testDatasetId: ID) {\n    surfaceCost(modelId: $modelId, datasetId: $datasetId, points: $points, samples: $samples, testDatasetId: $testDatasetId) { samples testSamples flopsPerPoint totalFlops secondsPerPoint estimatedSeconds }\n  }\n"): typeof import('./graphql').SurfaceCostDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SurfaceQueue($id: ID!) {\n    surface(id: $id) { id queue { position surfacesAhead estimatedSeconds waitingFor } }\n  }\n"): typeof import('./graphql').SurfaceQueueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelSurface($id: ID!) { cancelSurface(id: $id) { ok error { ...MutationErrorFields } } }\n"): typeof import('./graphql').CancelSurfaceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SurfaceProgress($id: ID!) {\n    surfaceProgress(id: $id) { surfaceId status pointsDone pointsTotal indices loss accuracy testLoss testAccuracy lambdaMax lambdaMin ratio lanczosSteps converged errorMessage }\n  }\n"): typeof import('./graphql').SurfaceProgressDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Annotations($id: ID!) {\n    surface(id: $id) { annotations(first: 100) { nodes { ...AnnotationFields } } }\n  }\n"): typeof import('./graphql').AnnotationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddAnnotation($input: AddAnnotationInput!) {\n    addAnnotation(input: $input) { ok error { ...MutationErrorFields } annotation { ...AnnotationFields } }\n  }\n"): typeof import('./graphql').AddAnnotationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateAnnotation($input: UpdateAnnotationInput!) {\n    updateAnnotation(input: $input) { ok error { ...MutationErrorFields } annotation { ...AnnotationFields } }\n  }\n"): typeof import('./graphql').UpdateAnnotationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteAnnotation($id: ID!) { deleteAnnotation(id: $id) { ok error { ...MutationErrorFields } } }\n"): typeof import('./graphql').DeleteAnnotationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Gallery($after: String, $filter: GalleryFilterInput) {\n    gallery(first: 12, after: $after, filter: $filter) {\n      nodes { ...SurfaceSummaryFields }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql').GalleryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Compare($ids: [ID!]!, $metric: Metric!) {\n    compare(ids: $ids, metric: $metric) { min max sameGrid surfaces { ...SurfaceFields } }\n  }\n"): typeof import('./graphql').CompareDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelDownloads($id: ID!) { model(id: $id) { downloads { name url } } }\n"): typeof import('./graphql').ModelDownloadsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DatasetDownloads($id: ID!) { dataset(id: $id) { downloads { name url } } }\n"): typeof import('./graphql').DatasetDownloadsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SeriesFrameFields on Surface {\n    id status pointsDone pointsTotal\n    params { checkpointStep }\n  }\n"): typeof import('./graphql').SeriesFrameFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PreparingExperimentFields on Experiment {\n    id name status projectId\n    runs { role status stepsDone stepsTotal }\n    surfaces { status pointsDone pointsTotal }\n  }\n"): typeof import('./graphql').PreparingExperimentFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SurfaceSeries($id: ID!) {\n    surface(id: $id) {\n      series { ...SeriesFrameFields }\n      model { checkpoints(first: 51) { nodes { step } } }\n    }\n  }\n"): typeof import('./graphql').SurfaceSeriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateTrainingSeries($id: ID!) {\n    createTrainingSeries(surfaceId: $id) { ok error { ...MutationErrorFields } surfaces { id } }\n  }\n"): typeof import('./graphql').CreateTrainingSeriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExperimentsInProgress {\n    experimentsInProgress(first: 12) { nodes { ...PreparingExperimentFields } }\n  }\n"): typeof import('./graphql').ExperimentsInProgressDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FeaturedComparison {\n    featuredComparison {\n      contrast\n      experiment { id name }\n      surfaces { id name thumbnailUrl statistics { nonConvexity } }\n    }\n  }\n"): typeof import('./graphql').FeaturedComparisonDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TrainingRunSummaryFields on TrainingRun {\n    id name projectId status stepsDone stepsTotal role createdAt finishedAt\n  }\n"): typeof import('./graphql').TrainingRunSummaryFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TrainingRunFields on TrainingRun {\n    ...TrainingRunSummaryFields\n    datasetId testDatasetId modelId errorCode errorMessage\n    architecture { kind depth width residual channels blocks downsample modelId }\n    options { optimizer learningRate batchSize weightDecay epochs seed checkpointEvery samples }\n    curve { step epoch trainLoss trainAccuracy testLoss testAccuracy }\n  }\n"): typeof import('./graphql').TrainingRunFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ExperimentSummaryFields on Experiment {\n    id name kind status projectId createdAt\n    runs { id status stepsDone stepsTotal role }\n  }\n"): typeof import('./graphql').ExperimentSummaryFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ExperimentFields on Experiment {\n    id name kind status projectId createdAt caption datasetId\n    runs { ...TrainingRunFields }\n    surfaces { ...SurfaceSummaryFields }\n    pairs { title sides { role runId testError testLoss } panels { kind normalization surfaces { id name kind status pointsDone pointsTotal thumbnailUrl statistics { basinWidth } } } }\n    curve {\n      id name status phase stepsDone stepsTotal pointsDone pointsTotal errorMessage\n      values { curveBarriers { trainLoss trainAccuracy } lineBarriers { trainLoss trainAccuracy } }\n    }\n  }\n"): typeof import('./graphql').ExperimentFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProjectTraining($id: ID!) {\n    trainingRuns(projectId: $id, first: 100) { nodes { ...TrainingRunSummaryFields } }\n    experiments(projectId: $id, first: 100) { nodes { ...ExperimentSummaryFields } }\n  }\n"): typeof import('./graphql').ProjectTrainingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TrainingContext($id: ID!) {\n    project(id: $id) { id name myRole }\n    models(projectId: $id, first: 100) { nodes { id name parameterCount trainableCount bufferCount } }\n    datasets(projectId: $id, first: 100) { nodes { id name rows } }\n  }\n"): typeof import('./graphql').TrainingContextDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TrainingRun($id: ID!) { trainingRun(id: $id) { ...TrainingRunFields } }\n"): typeof import('./graphql').TrainingRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartTraining($input: StartTrainingInput!) {\n    startTraining(input: $input) { ok error { ...MutationErrorFields } run { id } }\n  }\n"): typeof import('./graphql').StartTrainingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelTraining($id: ID!) {\n    cancelTraining(id: $id) { ok error { ...MutationErrorFields } run { ...TrainingRunFields } }\n  }\n"): typeof import('./graphql').CancelTrainingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TrainingProgress($id: ID!) { trainingProgress(id: $id) { ...TrainingRunFields } }\n"): typeof import('./graphql').TrainingProgressDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Experiment($id: ID!) { experiment(id: $id) { ...ExperimentFields } }\n"): typeof import('./graphql').ExperimentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartExperiment($input: StartExperimentInput!) {\n    startExperiment(input: $input) { ok error { ...MutationErrorFields } experiment { id } }\n  }\n"): typeof import('./graphql').StartExperimentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExperimentCaption($id: ID!) {\n    experiment(id: $id) { id name caption runs { id role } surfaces { id } }\n  }\n"): typeof import('./graphql').ExperimentCaptionDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
