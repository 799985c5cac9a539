/* eslint-disable */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar.This scalar is serialized to a string in ISO 8601 format and parsed from a string in ISO 8601 format. */
  DateTimeISO: { input: string; output: string; }
};

/** A note on a surface or on a curve's plane: give exactly one of surfaceId and curveId */
export type AddAnnotationInput = {
  /** Up to 5000 characters */
  body?: InputMaybe<Scalars['String']['input']>;
  /** Pin the note on this curve's plane (through A, B and theta) */
  curveId?: InputMaybe<Scalars['ID']['input']>;
  kind: AnnotationKind;
  /** 1 to 120 characters */
  label: Scalars['String']['input'];
  surfaceId?: InputMaybe<Scalars['ID']['input']>;
  x: Scalars['Float']['input'];
  /** 0 for 1D surfaces */
  y: Scalars['Float']['input'];
};

export type AnnotationKind =
  | 'MINIMUM'
  | 'NOTE'
  | 'SADDLE';

export type ArchitectureInput = {
  /** RESNET: basic blocks per stage, 1-18 (default 3); depth 6 x blocks + 2 (3, 9, 18: ResNet-20, 56, 110) */
  blocks?: InputMaybe<Scalars['Int']['input']>;
  /** CNN: filters of its two conv layers (default [8, 16]). CNNs train only on TensorFlow workers */
  channels?: InputMaybe<Array<Scalars['Int']['input']>>;
  /** MLP: hidden layers, 1-32 (default 4) */
  depth?: InputMaybe<Scalars['Int']['input']>;
  /** RESNET: average-pool the images by this factor first, 1-4 (default 1; 2 makes MNIST 14x14) */
  downsample?: InputMaybe<Scalars['Int']['input']>;
  kind: ArchitectureKind;
  /** UPLOADED: the project's model to train from its weights; its input fits the data and its last layer is a softmax over the classes */
  modelId?: InputMaybe<Scalars['ID']['input']>;
  /** MLP: skip connections around each hidden layer (default false). RESNET: shortcuts (default true); false is the plain twin ("ResNet-56-noshort") */
  residual?: InputMaybe<Scalars['Boolean']['input']>;
  /** MLP: units per hidden layer, 1-1024 (default 32). RESNET: channels of the first stage, 1-64 (default 16; the later stages have 2x and 4x) */
  width?: InputMaybe<Scalars['Int']['input']>;
};

/** mlp, cnn and resnet: zoo models built from scratch; uploaded: a model of the project trained from its own weights */
export type ArchitectureKind =
  | 'CNN'
  | 'MLP'
  | 'RESNET'
  | 'UPLOADED';

export type AxisInput = {
  /** Points from min to max inclusive, 2 to 401; default 51 for a line and 61 for an interpolation, required for planes */
  count?: InputMaybe<Scalars['Int']['input']>;
  max: Scalars['Float']['input'];
  min: Scalars['Float']['input'];
};

/** Datasets shipped with Loss Atlas */
export type BuiltinDataset =
  | 'IRIS'
  | 'MNIST';

export type ChangePasswordInput = {
  currentPassword: Scalars['String']['input'];
  /** 8 to 200 characters, hard to guess */
  newPassword: Scalars['String']['input'];
};

export type ComputeCurvatureInput = {
  /** A dataset of the model's project */
  datasetId: Scalars['ID']['input'];
  /** Lanczos runs for the density, 0-10 (default 3; 0: no density) */
  densityRuns?: InputMaybe<Scalars['Int']['input']>;
  modelId: Scalars['ID']['input'];
  /** Seeded random subset of this many samples, 1-10,000 (default 1,000) */
  samples?: InputMaybe<Scalars['Int']['input']>;
  /** Seed of the random vectors and the subset (default 0) */
  seed?: InputMaybe<Scalars['Int']['input']>;
  /** Largest eigenvalues to find, 1-20 (default 5) */
  topK?: InputMaybe<Scalars['Int']['input']>;
  /** Hutchinson probes for the trace, 0-200 (default 30; 0: no trace) */
  traceProbes?: InputMaybe<Scalars['Int']['input']>;
};

export type ConnectModelsInput = {
  /** Training data (integer class labels): the bends are trained on it and BatchNorm's statistics recomputed on it */
  datasetId: Scalars['ID']['input'];
  /** The curve's start, t = 0 */
  modelAId: Scalars['ID']['input'];
  /** The curve's end, t = 1: another model of the same architecture */
  modelBId: Scalars['ID']['input'];
  /** Default: the two models' names */
  name?: InputMaybe<Scalars['String']['input']>;
  options?: InputMaybe<CurveOptionsInput>;
  projectId: Scalars['ID']['input'];
  /** Data to measure test loss and accuracy along the paths */
  testDatasetId?: InputMaybe<Scalars['ID']['input']>;
};

export type CreateProjectInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
};

export type CreateSurfaceInput = {
  datasetId: Scalars['ID']['input'];
  kind: SurfaceKind;
  /** Interpolations: the model to interpolate to */
  modelBId?: InputMaybe<Scalars['ID']['input']>;
  modelId: Scalars['ID']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  params: SurfaceParamsInput;
  projectId: Scalars['ID']['input'];
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Loss surfaces: a held-out test set of the same project (same sample shape and classes as the training data) evaluated at every point beside it, as testLoss and testAccuracy */
  testDatasetId?: InputMaybe<Scalars['ID']['input']>;
};

export type CriticalKind =
  | 'MAXIMUM'
  | 'MINIMUM'
  | 'SADDLE';

export type CurvatureStatus =
  | 'FAILED'
  | 'QUEUED'
  | 'READY'
  | 'RUNNING';

/** BEZIER: a Bezier curve of degree bends + 1; POLYCHAIN: a polygonal chain through the bends */
export type CurveKind =
  | 'BEZIER'
  | 'POLYCHAIN';

/** sgd, momentum (0.9) or adam */
export type CurveOptimizer =
  | 'ADAM'
  | 'MOMENTUM'
  | 'SGD';

export type CurveOptionsInput = {
  /** Samples per step; default 32 */
  batchSize?: InputMaybe<Scalars['Int']['input']>;
  /** Trained bends between the endpoints, 1-5 (default 1: (1-t)^2 A + 2t(1-t) theta + t^2 B) */
  bends?: InputMaybe<Scalars['Int']['input']>;
  /** Models sampled evenly along the curve, ends included, whose averaged softmax outputs make its ensemble: 0 (none) or 2-101 (default 11) */
  ensemble?: InputMaybe<Scalars['Int']['input']>;
  /** Passes over the training data, 1-200 (default 10); one t ~ U[0, 1] per mini-batch */
  epochs?: InputMaybe<Scalars['Int']['input']>;
  /** Default BEZIER */
  kind?: InputMaybe<CurveKind>;
  /** Default 0.05 */
  learningRate?: InputMaybe<Scalars['Float']['input']>;
  /** Default MOMENTUM */
  optimizer?: InputMaybe<CurveOptimizer>;
  /** Values of t evaluated along the curve and the line, 2-401 (default 61) */
  points?: InputMaybe<Scalars['Int']['input']>;
  /** Train and evaluate on a seeded random subset of this many training samples (default all) */
  samples?: InputMaybe<Scalars['Int']['input']>;
  /** Seed of the shuffles, the values of t and the subset; default 0 */
  seed?: InputMaybe<Scalars['Int']['input']>;
  /** 0.5 weightDecay ||phi(t)||^2 added to the loss, felt by the bends only; default 0 */
  weightDecay?: InputMaybe<Scalars['Float']['input']>;
};

/** What a running curve is doing: training its bends, then evaluating the curve and the line */
export type CurvePhase =
  | 'EVALUATING'
  | 'TRAINING';

export type CurveStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'QUEUED'
  | 'READY'
  | 'RUNNING';

export type DeleteAccountInput = {
  /** Also delete owned projects that others are members of; without it such projects stop the deletion (OWNS_SHARED_PROJECTS) */
  deleteSharedProjects?: Scalars['Boolean']['input'];
  /** The account's password, asked again */
  password: Scalars['String']['input'];
};

/** Stable error codes; see docs/ERRORS.md */
export type ErrorCode =
  | 'ARCHIVE_TOO_LARGE'
  | 'BAD_USER_INPUT'
  | 'COMPUTE_LIMIT'
  | 'EMAIL_NOT_VERIFIED'
  | 'FILE_TOO_LARGE'
  | 'FORBIDDEN'
  | 'INTERNAL_SERVER_ERROR'
  | 'INVALID_DATASET'
  | 'INVALID_MODEL'
  | 'MALFORMED_ARCHIVE'
  | 'NOT_FOUND'
  | 'OWNS_SHARED_PROJECTS'
  | 'PASSWORD_SIGN_IN_DISABLED'
  | 'QUERY_TOO_COMPLEX'
  | 'QUOTA_EXCEEDED'
  | 'SERVICE_UNAVAILABLE'
  | 'SSO_DOMAIN_NOT_ALLOWED'
  | 'SSO_EMAIL_UNVERIFIED'
  | 'SSO_REJECTED'
  | 'SSO_STATE_INVALID'
  | 'SSO_UNAVAILABLE'
  | 'TOO_MANY_REQUESTS'
  | 'UNAUTHENTICATED'
  | 'UNSAFE_ARCHIVE'
  | 'UPLOAD_EXPIRED'
  | 'UPLOAD_INCOMPLETE'
  | 'UPLOAD_TOO_COMPLEX'
  | 'WRONG_FILE_TYPE';

/** skip: with vs without skip connections; batch: small vs large batch; weight-decay: with vs without; trajectory: a PCA plane with the optimizer's path; over-training: one plane around every checkpoint of a run, played in order; depth: ResNets of several depths with and without shortcuts (image data); width: one ResNet depth at several widths, with and without shortcuts (image data); normalization: what filter normalization fixes, small vs large batch and without vs with weight decay, slices and planes without and with filter normalization beside the runs' test errors; connectivity: one network trained from two seeds, then the curve that connects the two minima against the straight line */
export type ExperimentKind =
  | 'BATCH'
  | 'CONNECTIVITY'
  | 'DEPTH'
  | 'NORMALIZATION'
  | 'OVER_TRAINING'
  | 'SKIP'
  | 'TRAJECTORY'
  | 'WEIGHT_DECAY'
  | 'WIDTH';

/** small: minutes on a laptop; standard: deeper models, finer grids (about 15 minutes for the whole demo on two cores); paper: closer to the paper's scale (deeper and wider networks, 51 x 51 planes; about 7 hours for the whole demo on two cores), for a GPU or time to spare */
export type ExperimentSize =
  | 'PAPER'
  | 'SMALL'
  | 'STANDARD';

export type ExperimentStatus =
  | 'COMPUTING'
  | 'FAILED'
  | 'READY'
  | 'TRAINING';

export type ExportSettingsInput = {
  /** 72 to 1200 */
  dpi: Scalars['Int']['input'];
  format: FigureFormat;
  /** 1 to 20 inches, or 100 to 10000 pixels */
  height: Scalars['Float']['input'];
  theme: FigureTheme;
  unit: SizeUnit;
  /** 1 to 20 inches, or 100 to 10000 pixels */
  width: Scalars['Float']['input'];
};

/** PNG (raster at the DPI), SVG or PDF (vector) */
export type FigureFormat =
  | 'PDF'
  | 'PNG'
  | 'SVG';

/** PAPER: white background, print-safe colour maps, small dark text; DARK: the screen's look */
export type FigureTheme =
  | 'DARK'
  | 'PAPER';

/** move: weights of layers marked trainable: false move too, as in the authors' code; still: they get zero direction */
export type FrozenMode =
  | 'MOVE'
  | 'STILL';

export type GalleryFilterInput = {
  /** Include the frames of landscapes over training (default false: they play in the viewer of the surface they share directions with) */
  frames?: InputMaybe<Scalars['Boolean']['input']>;
  kind?: InputMaybe<SurfaceKind>;
  modelId?: InputMaybe<Scalars['ID']['input']>;
  projectId?: InputMaybe<Scalars['ID']['input']>;
  /** Words in the surface's name */
  search?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<SurfaceStatus>;
  tag?: InputMaybe<Scalars['String']['input']>;
};

/** ok when database, storage and queue all answer; degraded otherwise */
export type HealthStatus =
  | 'DEGRADED'
  | 'OK';

/** biasbn: biases and BatchNorm parameters get zero direction */
export type IgnoreMode =
  | 'BIASBN'
  | 'NONE';

/** editor: may upload, compute and annotate; viewer: may look */
export type MemberRole =
  | 'EDITOR'
  | 'VIEWER';

/** loss and accuracy: of loss surfaces (on the training data); testLoss and testAccuracy: of loss surfaces with a test set, on the test data; lambdaMax, lambdaMin and ratio (|lambda_min/lambda_max|): of eigen-ratio maps, with lanczosSteps (the Lanczos steps each point took) and converged (1 where both extreme eigenvalues met the tolerance, 0 where the point reached the step cap first; null for maps made before convergence was recorded) */
export type Metric =
  | 'ACCURACY'
  | 'CONVERGED'
  | 'LAMBDA_MAX'
  | 'LAMBDA_MIN'
  | 'LANCZOS_STEPS'
  | 'LOSS'
  | 'RATIO'
  | 'TEST_ACCURACY'
  | 'TEST_LOSS';

/** How random directions are scaled to the weights (filter, per Li et al.) */
export type Normalization =
  | 'FILTER'
  | 'LAYER'
  | 'NONE'
  | 'WEIGHT';

/** sgd, momentum (0.9) or adam */
export type Optimizer =
  | 'ADAM'
  | 'MOMENTUM'
  | 'SGD';

/** The caller's role on a project; SURFACE_LINK: the holder of a link to one surface, who sees that surface alone */
export type ProjectRole =
  | 'EDITOR'
  | 'LINK'
  | 'OWNER'
  | 'PUBLIC'
  | 'SURFACE_LINK'
  | 'VIEWER';

/** private: members only; link: anyone with the share link may view; public: everyone may view */
export type ProjectVisibility =
  | 'LINK'
  | 'PRIVATE'
  | 'PUBLIC';

export type RequestUploadInput = {
  /** Datasets: images stored channels-last (N, H, W, C); default false, for ONNX models images are (N, C, H, W) */
  channelsLast?: InputMaybe<Scalars['Boolean']['input']>;
  /** A model: model.json and its shards, or one zip. A dataset: x.npy and y.npy, or one CSV, or a zip of them */
  files: Array<UploadFileInput>;
  kind: UploadKind;
  /** CSV datasets: the label column (default the last) */
  label?: InputMaybe<Scalars['String']['input']>;
  /** Checkpoints and directions: the model they belong to */
  modelId?: InputMaybe<Scalars['ID']['input']>;
  /** Name of the model or dataset */
  name: Scalars['String']['input'];
  projectId: Scalars['ID']['input'];
  /** Checkpoints: the training step */
  step?: InputMaybe<Scalars['Int']['input']>;
};

/** Interpolations: what BatchNorm's running mean and variance do between the models. move: they move with the weights, so t = 0 is model A and t = 1 model B exactly (the authors' --dir_type states); hold-a / hold-b: only the weights move and the statistics stay model A's / model B's all along, so the other end is not that model */
export type RunningStatsMode =
  | 'HOLD_A'
  | 'HOLD_B'
  | 'MOVE';

/** PROJECT: the project's link (the whole project, read only); SURFACE: a link to one surface; COMPARE: a link to a comparison of surfaces */
export type SharedLinkKind =
  | 'COMPARE'
  | 'PROJECT'
  | 'SURFACE';

export type SignUpInput = {
  email: Scalars['String']['input'];
  name: Scalars['String']['input'];
  /** 8 to 200 characters */
  password: Scalars['String']['input'];
};

/** IN: inches (the raster's pixels are inches x DPI); PX: pixels */
export type SizeUnit =
  | 'IN'
  | 'PX';

export type StartExperimentInput = {
  datasetId: Scalars['ID']['input'];
  kind: ExperimentKind;
  projectId: Scalars['ID']['input'];
  /** Default standard */
  size?: InputMaybe<ExperimentSize>;
};

export type StartTrainingInput = {
  architecture: ArchitectureInput;
  datasetId: Scalars['ID']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  options?: InputMaybe<TrainingOptionsInput>;
  projectId: Scalars['ID']['input'];
  /** Data to measure test loss on */
  testDatasetId?: InputMaybe<Scalars['ID']['input']>;
};

/** plane: 2D random filter-normalized directions; line: 1D slice; interpolation: from model to model B; pca: plane of a training trajectory; eigen-ratio: the Hessian's lambda_max, lambda_min and |lambda_min/lambda_max| over a plane (Li et al. 2018, section 6) */
export type SurfaceKind =
  | 'EIGEN_RATIO'
  | 'INTERPOLATION'
  | 'LINE'
  | 'PCA'
  | 'PLANE';

export type SurfaceParamsInput = {
  /** Centre on this checkpoint of the model instead of its final weights */
  checkpointStep?: InputMaybe<Scalars['Int']['input']>;
  /** Planes and lines: the x direction is this direction uploaded for the model (Model.directions), not a random one */
  directionX?: InputMaybe<Scalars['ID']['input']>;
  /** Planes: the y direction is this direction uploaded for the model; needs directionX */
  directionY?: InputMaybe<Scalars['ID']['input']>;
  /** Reuse the directions of this surface of the same model */
  directionsFrom?: InputMaybe<Scalars['ID']['input']>;
  /** PCA planes with fitted ranges: both axes get the same length (the shorter widened about its centre), so the square plot shows PC1 and PC2 at one scale; default false */
  equalAspect?: InputMaybe<Scalars['Boolean']['input']>;
  /** PCA planes: replace the x and y ranges by the optimizer path's extent and a margin (the counts stay), so the plane holds its whole path; default true for PCA planes (false keeps the ranges given), ignored by other kinds */
  fitPath?: InputMaybe<Scalars['Boolean']['input']>;
  /** Default move */
  frozen?: InputMaybe<FrozenMode>;
  /** Compute only on GPU workers; default false */
  gpu?: InputMaybe<Scalars['Boolean']['input']>;
  /** Default biasbn */
  ignore?: InputMaybe<IgnoreMode>;
  /** Eigen-ratio maps: most Lanczos steps per point, each one Hessian-vector product (four gradients over the samples); default 80. A point stops earlier once it meets `tolerance` */
  lanczosSteps?: InputMaybe<Scalars['Int']['input']>;
  /** Loss by Keras name; default the model's own */
  loss?: InputMaybe<Scalars['String']['input']>;
  /** Default filter */
  norm?: InputMaybe<Normalization>;
  /** Make the y direction orthogonal to x; default false */
  orthogonalize?: InputMaybe<Scalars['Boolean']['input']>;
  /** Interpolations: what BatchNorm's running statistics do between the models; default move */
  runningStats?: InputMaybe<RunningStatsMode>;
  sampleSeed?: InputMaybe<Scalars['Int']['input']>;
  /** Evaluate a random subset of this many samples; default all */
  samples?: InputMaybe<Scalars['Int']['input']>;
  /** Seed of the random directions; default 0 */
  seed?: InputMaybe<Scalars['Int']['input']>;
  /** Eigen-ratio maps: residual tolerance of lambda_max and lambda_min at each point, relative to each (below |lambda_min| = 1e-2 |lambda_max|: to 1e-2 |lambda_max|); default 0.01 */
  tolerance?: InputMaybe<Scalars['Float']['input']>;
  x: AxisInput;
  /** Planes and PCA planes only */
  y?: InputMaybe<AxisInput>;
};

export type SurfaceStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'QUEUED'
  | 'READY'
  | 'RUNNING';

export type TrainingOptionsInput = {
  /** Default 32 */
  batchSize?: InputMaybe<Scalars['Int']['input']>;
  /** Steps between checkpoints; default one per epoch */
  checkpointEvery?: InputMaybe<Scalars['Int']['input']>;
  /** Default 5 */
  epochs?: InputMaybe<Scalars['Int']['input']>;
  /** Without a test dataset: measure the test curve on this many rows of the training dataset held out of its training rows; default none */
  holdOut?: InputMaybe<Scalars['Int']['input']>;
  /** Default 0.05 */
  learningRate?: InputMaybe<Scalars['Float']['input']>;
  optimizer?: InputMaybe<Optimizer>;
  /** Train on a random subset of this many samples */
  samples?: InputMaybe<Scalars['Int']['input']>;
  /** Default 0 */
  seed?: InputMaybe<Scalars['Int']['input']>;
  /** L2 penalty on kernels; default 0 */
  weightDecay?: InputMaybe<Scalars['Float']['input']>;
};

export type TrainingStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'QUEUED'
  | 'READY'
  | 'RUNNING';

export type UpdateAnnotationInput = {
  body?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  kind?: InputMaybe<AnnotationKind>;
  label?: InputMaybe<Scalars['String']['input']>;
  x?: InputMaybe<Scalars['Float']['input']>;
  y?: InputMaybe<Scalars['Float']['input']>;
};

export type UpdateProjectInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
};

export type UploadFileInput = {
  contentType?: InputMaybe<Scalars['String']['input']>;
  /** File name; folders are dropped (model/model.json becomes model.json) */
  name: Scalars['String']['input'];
  /** Exact size in bytes */
  size: Scalars['Float']['input'];
};

export type UploadKind =
  | 'CHECKPOINT'
  | 'DATASET'
  | 'DIRECTION'
  | 'MODEL';

export type SessionsQueryVariables = Exact<{
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type SessionsQuery = { sessions: { nodes: Array<{ id: string, browser: string, userAgent: string | null, lastAddress: string | null, createdAt: string, lastSeenAt: string, current: boolean }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type EndSessionMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type EndSessionMutation = { endSession: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null, session: { id: string, current: boolean } | null } };

export type EndOtherSessionsMutationVariables = Exact<{ [key: string]: never; }>;


export type EndOtherSessionsMutation = { endOtherSessions: { ok: boolean, ended: number | null, error: { code: ErrorCode, message: string, field: string | null } | null } };

export type ChangePasswordMutationVariables = Exact<{
  input: ChangePasswordInput;
}>;


export type ChangePasswordMutation = { changePassword: { ok: boolean, ended: number | null, error: { code: ErrorCode, message: string, field: string | null } | null } };

export type MySharedProjectsQueryVariables = Exact<{ [key: string]: never; }>;


export type MySharedProjectsQuery = { mySharedProjects: { nodes: Array<{ id: string, name: string, memberCount: number }>, pageInfo: { hasNextPage: boolean } } };

export type ProjectMemberListQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ProjectMemberListQuery = { project: { members: { nodes: Array<{ role: MemberRole, user: { id: string, name: string, email: string | null } }> } } };

export type TransferOwnershipMutationVariables = Exact<{
  projectId: Scalars['ID']['input'];
  userId: Scalars['ID']['input'];
}>;


export type TransferOwnershipMutation = { transferProjectOwnership: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null, project: { id: string } | null } };

export type DeleteAccountMutationVariables = Exact<{
  input: DeleteAccountInput;
}>;


export type DeleteAccountMutation = { deleteAccount: { ok: boolean, deletedProjects: number | null, error: { code: ErrorCode, message: string, field: string | null } | null } };

export type SignInOptionsQueryVariables = Exact<{ [key: string]: never; }>;


export type SignInOptionsQuery = { signInOptions: { password: boolean, providers: Array<{ id: string, name: string, startPath: string }> } };

export type CurveSummaryFieldsFragment = { id: string, name: string, projectId: string, status: CurveStatus, phase: CurvePhase | null, stepsDone: number, stepsTotal: number | null, pointsDone: number, pointsTotal: number | null, createdAt: string, finishedAt: string | null };

export type CurveFieldsFragment = { modelAId: string, modelBId: string, datasetId: string, testDatasetId: string | null, errorCode: string | null, errorMessage: string | null, id: string, name: string, projectId: string, status: CurveStatus, phase: CurvePhase | null, stepsDone: number, stepsTotal: number | null, pointsDone: number, pointsTotal: number | null, createdAt: string, finishedAt: string | null, options: { kind: CurveKind | null, bends: number | null, epochs: number | null, optimizer: CurveOptimizer | null, learningRate: number | null, weightDecay: number | null, batchSize: number | null, seed: number | null, points: number | null, samples: number | null, ensemble: number | null }, checkpoints: Array<{ step: number, meanLoss: number }>, values: { t: Array<number>, batchNormRecomputed: boolean, plane: { xs: Array<number>, ys: Array<number>, loss: Array<Array<number>>, accuracy: Array<Array<number>>, offPlane: number, models: Array<{ name: string | null, x: number, y: number }>, curve: Array<{ t: number | null, x: number, y: number }>, line: Array<{ t: number | null, x: number, y: number }> } | null, curve: { trainLoss: Array<number>, trainAccuracy: Array<number>, testLoss: Array<number> | null, testAccuracy: Array<number> | null }, line: { trainLoss: Array<number>, trainAccuracy: Array<number>, testLoss: Array<number> | null, testAccuracy: Array<number> | null }, curveBarriers: { trainLoss: number, trainAccuracy: number, testLoss: number | null, testAccuracy: number | null }, lineBarriers: { trainLoss: number, trainAccuracy: number, testLoss: number | null, testAccuracy: number | null }, ensemble: { members: number, t: Array<number>, trainAccuracy: number, trainAccuracyA: number, trainAccuracyB: number, testAccuracy: number | null, testAccuracyA: number | null, testAccuracyB: number | null } | null } | null };

export type ProjectCurvesQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ProjectCurvesQuery = { curves: { nodes: Array<{ id: string, name: string, projectId: string, status: CurveStatus, phase: CurvePhase | null, stepsDone: number, stepsTotal: number | null, pointsDone: number, pointsTotal: number | null, createdAt: string, finishedAt: string | null }> } };

export type CurveQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type CurveQuery = { curve: { modelAId: string, modelBId: string, datasetId: string, testDatasetId: string | null, errorCode: string | null, errorMessage: string | null, id: string, name: string, projectId: string, status: CurveStatus, phase: CurvePhase | null, stepsDone: number, stepsTotal: number | null, pointsDone: number, pointsTotal: number | null, createdAt: string, finishedAt: string | null, options: { kind: CurveKind | null, bends: number | null, epochs: number | null, optimizer: CurveOptimizer | null, learningRate: number | null, weightDecay: number | null, batchSize: number | null, seed: number | null, points: number | null, samples: number | null, ensemble: number | null }, checkpoints: Array<{ step: number, meanLoss: number }>, values: { t: Array<number>, batchNormRecomputed: boolean, plane: { xs: Array<number>, ys: Array<number>, loss: Array<Array<number>>, accuracy: Array<Array<number>>, offPlane: number, models: Array<{ name: string | null, x: number, y: number }>, curve: Array<{ t: number | null, x: number, y: number }>, line: Array<{ t: number | null, x: number, y: number }> } | null, curve: { trainLoss: Array<number>, trainAccuracy: Array<number>, testLoss: Array<number> | null, testAccuracy: Array<number> | null }, line: { trainLoss: Array<number>, trainAccuracy: Array<number>, testLoss: Array<number> | null, testAccuracy: Array<number> | null }, curveBarriers: { trainLoss: number, trainAccuracy: number, testLoss: number | null, testAccuracy: number | null }, lineBarriers: { trainLoss: number, trainAccuracy: number, testLoss: number | null, testAccuracy: number | null }, ensemble: { members: number, t: Array<number>, trainAccuracy: number, trainAccuracyA: number, trainAccuracyB: number, testAccuracy: number | null, testAccuracyA: number | null, testAccuracyB: number | null } | null } | null } };

export type ConnectModelsMutationVariables = Exact<{
  input: ConnectModelsInput;
}>;


export type ConnectModelsMutation = { connectModels: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null, curve: { id: string } | null } };

export type CancelCurveMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type CancelCurveMutation = { cancelCurve: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null, curve: { modelAId: string, modelBId: string, datasetId: string, testDatasetId: string | null, errorCode: string | null, errorMessage: string | null, id: string, name: string, projectId: string, status: CurveStatus, phase: CurvePhase | null, stepsDone: number, stepsTotal: number | null, pointsDone: number, pointsTotal: number | null, createdAt: string, finishedAt: string | null, options: { kind: CurveKind | null, bends: number | null, epochs: number | null, optimizer: CurveOptimizer | null, learningRate: number | null, weightDecay: number | null, batchSize: number | null, seed: number | null, points: number | null, samples: number | null, ensemble: number | null }, checkpoints: Array<{ step: number, meanLoss: number }>, values: { t: Array<number>, batchNormRecomputed: boolean, plane: { xs: Array<number>, ys: Array<number>, loss: Array<Array<number>>, accuracy: Array<Array<number>>, offPlane: number, models: Array<{ name: string | null, x: number, y: number }>, curve: Array<{ t: number | null, x: number, y: number }>, line: Array<{ t: number | null, x: number, y: number }> } | null, curve: { trainLoss: Array<number>, trainAccuracy: Array<number>, testLoss: Array<number> | null, testAccuracy: Array<number> | null }, line: { trainLoss: Array<number>, trainAccuracy: Array<number>, testLoss: Array<number> | null, testAccuracy: Array<number> | null }, curveBarriers: { trainLoss: number, trainAccuracy: number, testLoss: number | null, testAccuracy: number | null }, lineBarriers: { trainLoss: number, trainAccuracy: number, testLoss: number | null, testAccuracy: number | null }, ensemble: { members: number, t: Array<number>, trainAccuracy: number, trainAccuracyA: number, trainAccuracyB: number, testAccuracy: number | null, testAccuracyA: number | null, testAccuracyB: number | null } | null } | null } | null } };

export type CurveProgressSubscriptionVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type CurveProgressSubscription = { curveProgress: { modelAId: string, modelBId: string, datasetId: string, testDatasetId: string | null, errorCode: string | null, errorMessage: string | null, id: string, name: string, projectId: string, status: CurveStatus, phase: CurvePhase | null, stepsDone: number, stepsTotal: number | null, pointsDone: number, pointsTotal: number | null, createdAt: string, finishedAt: string | null, options: { kind: CurveKind | null, bends: number | null, epochs: number | null, optimizer: CurveOptimizer | null, learningRate: number | null, weightDecay: number | null, batchSize: number | null, seed: number | null, points: number | null, samples: number | null, ensemble: number | null }, checkpoints: Array<{ step: number, meanLoss: number }>, values: { t: Array<number>, batchNormRecomputed: boolean, plane: { xs: Array<number>, ys: Array<number>, loss: Array<Array<number>>, accuracy: Array<Array<number>>, offPlane: number, models: Array<{ name: string | null, x: number, y: number }>, curve: Array<{ t: number | null, x: number, y: number }>, line: Array<{ t: number | null, x: number, y: number }> } | null, curve: { trainLoss: Array<number>, trainAccuracy: Array<number>, testLoss: Array<number> | null, testAccuracy: Array<number> | null }, line: { trainLoss: Array<number>, trainAccuracy: Array<number>, testLoss: Array<number> | null, testAccuracy: Array<number> | null }, curveBarriers: { trainLoss: number, trainAccuracy: number, testLoss: number | null, testAccuracy: number | null }, lineBarriers: { trainLoss: number, trainAccuracy: number, testLoss: number | null, testAccuracy: number | null }, ensemble: { members: number, t: Array<number>, trainAccuracy: number, trainAccuracyA: number, trainAccuracyB: number, testAccuracy: number | null, testAccuracyA: number | null, testAccuracyB: number | null } | null } | null } };

export type CurveAnnotationsQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type CurveAnnotationsQuery = { curve: { id: string, annotations: { nodes: Array<{ id: string, x: number, y: number, kind: AnnotationKind, label: string, body: string, updatedAt: string, author: { id: string, name: string, email: string | null } | null }> } } };

export type ExportSettingsQueryVariables = Exact<{ [key: string]: never; }>;


export type ExportSettingsQuery = { exportSettings: { theme: FigureTheme, format: FigureFormat, width: number, height: number, unit: SizeUnit, dpi: number } | null };

export type SaveExportSettingsMutationVariables = Exact<{
  input: ExportSettingsInput;
}>;


export type SaveExportSettingsMutation = { saveExportSettings: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null, settings: { theme: FigureTheme, format: FigureFormat, width: number, height: number, unit: SizeUnit, dpi: number } | null } };

export type HealthQueryVariables = Exact<{ [key: string]: never; }>;


export type HealthQuery = { health: { status: HealthStatus, version: string | null, uptimeSeconds: number | null, database: { ok: boolean, latencyMs: number, error: string | null, serverVersion: string | null, embedded: boolean } | null, storage: { ok: boolean, latencyMs: number, error: string | null, bucket: string, embedded: boolean } | null, queue: { ok: boolean, latencyMs: number, error: string | null, queued: number, active: number, failed: number } | null, workers: Array<{ id: string, hostname: string, backend: string, device: string, gpu: boolean, lastHeartbeatAt: string }> | null } };

export type ModelCurvatureFieldsFragment = { id: string, datasetId: string, status: CurvatureStatus, samples: number, hvpsDone: number, hvpsPlanned: number, dimension: number | null, topEigenvalues: Array<number>, lambdaMin: number | null, eigenRatio: number | null, trace: number | null, traceStandardError: number | null, method: string | null, hvpErrorEstimate: number | null, hvpStep: number | null, eigenvaluesConverged: boolean | null, backend: string | null, seconds: number | null, errorMessage: string | null, createdAt: string, density: { x: Array<number>, density: Array<number>, sigma: number, nodes: Array<number>, weights: Array<number> } | null };

export type ModelPageQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ModelPageQuery = { model: { id: string, projectId: string, name: string, parameterCount: number, trainableCount: number | null, bufferCount: number | null, flopsPerSample: number | null, inputShape: Array<number>, outputShape: Array<number>, loss: string | null, lossName: string | null, notes: Array<string>, layers: Array<{ name: string, className: string, params: number }>, curvature: { id: string, datasetId: string, status: CurvatureStatus, samples: number, hvpsDone: number, hvpsPlanned: number, dimension: number | null, topEigenvalues: Array<number>, lambdaMin: number | null, eigenRatio: number | null, trace: number | null, traceStandardError: number | null, method: string | null, hvpErrorEstimate: number | null, hvpStep: number | null, eigenvaluesConverged: boolean | null, backend: string | null, seconds: number | null, errorMessage: string | null, createdAt: string, density: { x: Array<number>, density: Array<number>, sigma: number, nodes: Array<number>, weights: Array<number> } | null } | null } };

export type ModelContextQueryVariables = Exact<{
  projectId: Scalars['ID']['input'];
}>;


export type ModelContextQuery = { project: { id: string, name: string, myRole: ProjectRole }, datasets: { nodes: Array<{ id: string, name: string, rows: number, inputShape: Array<number> }> } };

export type ModelCurvatureQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ModelCurvatureQuery = { model: { id: string, curvature: { id: string, datasetId: string, status: CurvatureStatus, samples: number, hvpsDone: number, hvpsPlanned: number, dimension: number | null, topEigenvalues: Array<number>, lambdaMin: number | null, eigenRatio: number | null, trace: number | null, traceStandardError: number | null, method: string | null, hvpErrorEstimate: number | null, hvpStep: number | null, eigenvaluesConverged: boolean | null, backend: string | null, seconds: number | null, errorMessage: string | null, createdAt: string, density: { x: Array<number>, density: Array<number>, sigma: number, nodes: Array<number>, weights: Array<number> } | null } | null } };

export type ComputeModelCurvatureMutationVariables = Exact<{
  input: ComputeCurvatureInput;
}>;


export type ComputeModelCurvatureMutation = { computeModelCurvature: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null, curvature: { id: string, datasetId: string, status: CurvatureStatus, samples: number, hvpsDone: number, hvpsPlanned: number, dimension: number | null, topEigenvalues: Array<number>, lambdaMin: number | null, eigenRatio: number | null, trace: number | null, traceStandardError: number | null, method: string | null, hvpErrorEstimate: number | null, hvpStep: number | null, eigenvaluesConverged: boolean | null, backend: string | null, seconds: number | null, errorMessage: string | null, createdAt: string, density: { x: Array<number>, density: Array<number>, sigma: number, nodes: Array<number>, weights: Array<number> } | null } | null } };

export type MutationErrorFieldsFragment = { code: ErrorCode, message: string, field: string | null };

export type UserFieldsFragment = { id: string, name: string, email: string | null };

export type ProjectFieldsFragment = { id: string, name: string, description: string, visibility: ProjectVisibility, myRole: ProjectRole, shareToken: string | null, createdAt: string, owner: { id: string, name: string, email: string | null } };

export type ModelFieldsFragment = { id: string, name: string, parameterCount: number, trainableCount: number | null, bufferCount: number | null, flopsPerSample: number | null, inputShape: Array<number>, outputShape: Array<number>, loss: string | null, lossName: string | null, createdAt: string, notes: Array<string>, layers: Array<{ name: string, className: string, params: number }>, directions: { nodes: Array<{ id: string, name: string }> } };

export type DatasetFieldsFragment = { id: string, name: string, format: string, rows: number, inputShape: Array<number>, classes: number | null, createdAt: string, channelsLast: boolean };

export type SurfaceSummaryFieldsFragment = { id: string, name: string, kind: SurfaceKind, status: SurfaceStatus, pointsDone: number, pointsTotal: number, thumbnailUrl: string | null, createdAt: string, projectId: string, tags: Array<string>, model: { id: string, name: string } | null, dataset: { id: string, name: string } | null, statistics: { loss: { min: number | null, max: number | null } } | null, experiment: { id: string, name: string } | null };

export type SurfaceFieldsFragment = { myRole: ProjectRole, xs: Array<number>, ys: Array<number>, errorMessage: string | null, valuesUrl: string | null, notes: Array<string>, testDatasetId: string | null, explainedVariance: Array<number> | null, id: string, name: string, kind: SurfaceKind, status: SurfaceStatus, pointsDone: number, pointsTotal: number, thumbnailUrl: string | null, createdAt: string, projectId: string, tags: Array<string>, testDataset: { id: string, name: string } | null, project: { id: string, name: string, visibility: ProjectVisibility } | null, params: { norm: Normalization, ignore: IgnoreMode, samples: number | null, seed: number, checkpointStep: number | null, directionsFrom: string | null, fitPath: boolean, equalAspect: boolean, lanczosSteps: number, tolerance: number | null, runningStats: RunningStatsMode, x: { min: number, max: number, count: number }, y: { min: number, max: number, count: number } | null }, criticalPoints: Array<{ kind: CriticalKind, i: number, j: number, x: number, y: number, value: number, persistence: number | null }>, path: Array<{ step: number, x: number, y: number, distance: number, fromFinal: number | null, offPlaneFraction: number }> | null, modelPositions: Array<{ name: string, x: number, y: number, runningStatsOf: string | null, loss: number | null, ownLoss: number | null, accuracy: number | null, ownAccuracy: number | null }>, statistics: { nonConvexity: number | null, unconvergedPoints: number | null, loss: { min: number | null, max: number | null }, accuracy: { min: number | null, max: number | null }, testLoss: { min: number | null, max: number | null } | null, testAccuracy: { min: number | null, max: number | null } | null, lambdaMax: { min: number | null, max: number | null, mean: number | null } | null, lambdaMin: { min: number | null, max: number | null, mean: number | null } | null, ratio: { min: number | null, max: number | null, mean: number | null } | null, lanczosSteps: { min: number | null, max: number | null, mean: number | null } | null } | null, model: { id: string, name: string } | null, dataset: { id: string, name: string } | null, experiment: { id: string, name: string } | null };

export type AnnotationFieldsFragment = { id: string, x: number, y: number, kind: AnnotationKind, label: string, body: string, updatedAt: string, author: { id: string, name: string, email: string | null } | null };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { id: string, name: string, email: string | null } | null };

export type SignInMutationVariables = Exact<{
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
}>;


export type SignInMutation = { signIn: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null, user: { id: string, name: string, email: string | null } | null } };

export type SignUpMutationVariables = Exact<{
  input: SignUpInput;
}>;


export type SignUpMutation = { signUp: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null, user: { id: string, name: string, email: string | null } | null } };

export type SignOutMutationVariables = Exact<{ [key: string]: never; }>;


export type SignOutMutation = { signOut: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null } };

export type EmailVerifiedQueryVariables = Exact<{ [key: string]: never; }>;


export type EmailVerifiedQuery = { me: { id: string, emailVerified: boolean | null } | null };

export type RequestPasswordResetMutationVariables = Exact<{
  email: Scalars['String']['input'];
}>;


export type RequestPasswordResetMutation = { requestPasswordReset: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null } };

export type ResetPasswordMutationVariables = Exact<{
  token: Scalars['String']['input'];
  password: Scalars['String']['input'];
}>;


export type ResetPasswordMutation = { resetPassword: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null, user: { id: string, name: string, email: string | null } | null } };

export type VerifyEmailMutationVariables = Exact<{
  token: Scalars['String']['input'];
}>;


export type VerifyEmailMutation = { verifyEmail: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null } };

export type SendVerificationEmailMutationVariables = Exact<{ [key: string]: never; }>;


export type SendVerificationEmailMutation = { sendVerificationEmail: { ok: boolean, sent: boolean | null, error: { code: ErrorCode, message: string, field: string | null } | null } };

export type ApiTokensQueryVariables = Exact<{ [key: string]: never; }>;


export type ApiTokensQuery = { apiTokens: { nodes: Array<{ id: string, name: string, prefix: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null }> } };

export type CreateApiTokenMutationVariables = Exact<{
  name: Scalars['String']['input'];
}>;


export type CreateApiTokenMutation = { createApiToken: { ok: boolean, token: string | null, error: { code: ErrorCode, message: string, field: string | null } | null, apiToken: { id: string } | null } };

export type RevokeApiTokenMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type RevokeApiTokenMutation = { revokeApiToken: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null } };

export type ProjectsQueryVariables = Exact<{
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ProjectsQuery = { projects: { nodes: Array<{ id: string, name: string, description: string, visibility: ProjectVisibility, myRole: ProjectRole, shareToken: string | null, createdAt: string, owner: { id: string, name: string, email: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type CreateProjectMutationVariables = Exact<{
  input: CreateProjectInput;
}>;


export type CreateProjectMutation = { createProject: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null, project: { id: string, name: string, description: string, visibility: ProjectVisibility, myRole: ProjectRole, shareToken: string | null, createdAt: string, owner: { id: string, name: string, email: string | null } } | null } };

export type ProjectPageQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ProjectPageQuery = { project: { id: string, name: string, description: string, visibility: ProjectVisibility, myRole: ProjectRole, shareToken: string | null, createdAt: string, owner: { id: string, name: string, email: string | null } }, models: { nodes: Array<{ id: string, name: string, parameterCount: number, trainableCount: number | null, bufferCount: number | null, flopsPerSample: number | null, inputShape: Array<number>, outputShape: Array<number>, loss: string | null, lossName: string | null, createdAt: string, notes: Array<string>, layers: Array<{ name: string, className: string, params: number }>, directions: { nodes: Array<{ id: string, name: string }> } }> }, datasets: { nodes: Array<{ id: string, name: string, format: string, rows: number, inputShape: Array<number>, classes: number | null, createdAt: string, channelsLast: boolean }> }, gallery: { nodes: Array<{ id: string, name: string, kind: SurfaceKind, status: SurfaceStatus, pointsDone: number, pointsTotal: number, thumbnailUrl: string | null, createdAt: string, projectId: string, tags: Array<string>, model: { id: string, name: string } | null, dataset: { id: string, name: string } | null, statistics: { loss: { min: number | null, max: number | null } } | null, experiment: { id: string, name: string } | null }> } };

export type MembersQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type MembersQuery = { project: { members: { nodes: Array<{ role: MemberRole, addedAt: string, user: { id: string, name: string, email: string | null } }> }, invitations: { nodes: Array<{ id: string, email: string, role: MemberRole, createdAt: string }> }, surfaceLinks: { nodes: Array<{ id: string, surfaceId: string, surfaceName: string, path: string, createdAt: string, createdBy: { id: string, name: string } | null }> }, compareLinks: { nodes: Array<{ id: string, path: string, createdAt: string, surfaces: Array<{ id: string, name: string | null }>, createdBy: { id: string, name: string } | null }> } } };

export type SharedLinkQueryVariables = Exact<{
  token: Scalars['String']['input'];
}>;


export type SharedLinkQuery = { sharedLink: { kind: SharedLinkKind, projectId: string | null, surfaceId: string | null, surfaceIds: Array<string> | null, view: string | null } };

export type CreateSurfaceLinkMutationVariables = Exact<{
  surfaceId: Scalars['ID']['input'];
  view?: InputMaybe<Scalars['String']['input']>;
}>;


export type CreateSurfaceLinkMutation = { createSurfaceLink: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null, link: { id: string, path: string } | null } };

export type RevokeSurfaceLinkMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type RevokeSurfaceLinkMutation = { revokeSurfaceLink: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null } };

export type CreateCompareLinkMutationVariables = Exact<{
  surfaceIds: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
  view?: InputMaybe<Scalars['String']['input']>;
}>;


export type CreateCompareLinkMutation = { createCompareLink: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null, link: { id: string, path: string } | null } };

export type RevokeCompareLinkMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type RevokeCompareLinkMutation = { revokeCompareLink: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null } };

export type InviteProjectMemberMutationVariables = Exact<{
  projectId: Scalars['ID']['input'];
  email: Scalars['String']['input'];
  role: MemberRole;
}>;


export type InviteProjectMemberMutation = { inviteProjectMember: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null, invitation: { id: string, email: string } | null } };

export type WithdrawInvitationMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type WithdrawInvitationMutation = { withdrawInvitation: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null } };

export type MyInvitationsQueryVariables = Exact<{ [key: string]: never; }>;


export type MyInvitationsQuery = { myInvitations: { nodes: Array<{ id: string, projectId: string, projectName: string, role: MemberRole, createdAt: string, invitedBy: { id: string, name: string } | null }> } };

export type AcceptInvitationMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type AcceptInvitationMutation = { acceptInvitation: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null, invitation: { projectId: string } | null } };

export type DeclineInvitationMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DeclineInvitationMutation = { declineInvitation: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null } };

export type SetProjectMemberMutationVariables = Exact<{
  projectId: Scalars['ID']['input'];
  email: Scalars['String']['input'];
  role: MemberRole;
}>;


export type SetProjectMemberMutation = { setProjectMember: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null } };

export type RemoveProjectMemberMutationVariables = Exact<{
  projectId: Scalars['ID']['input'];
  userId: Scalars['ID']['input'];
}>;


export type RemoveProjectMemberMutation = { removeProjectMember: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null } };

export type SetProjectVisibilityMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  visibility: ProjectVisibility;
}>;


export type SetProjectVisibilityMutation = { setProjectVisibility: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null, project: { id: string, name: string, description: string, visibility: ProjectVisibility, myRole: ProjectRole, shareToken: string | null, createdAt: string, owner: { id: string, name: string, email: string | null } } | null } };

export type RotateShareTokenMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type RotateShareTokenMutation = { rotateShareToken: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null, project: { id: string, name: string, description: string, visibility: ProjectVisibility, myRole: ProjectRole, shareToken: string | null, createdAt: string, owner: { id: string, name: string, email: string | null } } | null } };

export type AddBuiltinDatasetMutationVariables = Exact<{
  projectId: Scalars['ID']['input'];
  dataset: BuiltinDataset;
}>;


export type AddBuiltinDatasetMutation = { addBuiltinDataset: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null, dataset: { id: string, name: string, format: string, rows: number, inputShape: Array<number>, classes: number | null, createdAt: string, channelsLast: boolean } | null } };

export type RequestUploadMutationVariables = Exact<{
  input: RequestUploadInput;
}>;


export type RequestUploadMutation = { requestUpload: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null, upload: { id: string, expiresAt: string, files: Array<{ name: string, size: number, url: string, contentType: string }> } | null } };

export type CompleteUploadMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type CompleteUploadMutation = { completeUpload: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null, model: { id: string, name: string, parameterCount: number, trainableCount: number | null, bufferCount: number | null, flopsPerSample: number | null, inputShape: Array<number>, outputShape: Array<number>, loss: string | null, lossName: string | null, createdAt: string, notes: Array<string>, layers: Array<{ name: string, className: string, params: number }>, directions: { nodes: Array<{ id: string, name: string }> } } | null, dataset: { id: string, name: string, format: string, rows: number, inputShape: Array<number>, classes: number | null, createdAt: string, channelsLast: boolean } | null, checkpoint: { id: string, step: number } | null, direction: { id: string, name: string } | null } };

export type CreateSurfaceMutationVariables = Exact<{
  input: CreateSurfaceInput;
}>;


export type CreateSurfaceMutation = { createSurface: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null, surface: { id: string } | null } };

export type SurfaceQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type SurfaceQuery = { surface: { myRole: ProjectRole, xs: Array<number>, ys: Array<number>, errorMessage: string | null, valuesUrl: string | null, notes: Array<string>, testDatasetId: string | null, explainedVariance: Array<number> | null, id: string, name: string, kind: SurfaceKind, status: SurfaceStatus, pointsDone: number, pointsTotal: number, thumbnailUrl: string | null, createdAt: string, projectId: string, tags: Array<string>, testDataset: { id: string, name: string } | null, project: { id: string, name: string, visibility: ProjectVisibility } | null, params: { norm: Normalization, ignore: IgnoreMode, samples: number | null, seed: number, checkpointStep: number | null, directionsFrom: string | null, fitPath: boolean, equalAspect: boolean, lanczosSteps: number, tolerance: number | null, runningStats: RunningStatsMode, x: { min: number, max: number, count: number }, y: { min: number, max: number, count: number } | null }, criticalPoints: Array<{ kind: CriticalKind, i: number, j: number, x: number, y: number, value: number, persistence: number | null }>, path: Array<{ step: number, x: number, y: number, distance: number, fromFinal: number | null, offPlaneFraction: number }> | null, modelPositions: Array<{ name: string, x: number, y: number, runningStatsOf: string | null, loss: number | null, ownLoss: number | null, accuracy: number | null, ownAccuracy: number | null }>, statistics: { nonConvexity: number | null, unconvergedPoints: number | null, loss: { min: number | null, max: number | null }, accuracy: { min: number | null, max: number | null }, testLoss: { min: number | null, max: number | null } | null, testAccuracy: { min: number | null, max: number | null } | null, lambdaMax: { min: number | null, max: number | null, mean: number | null } | null, lambdaMin: { min: number | null, max: number | null, mean: number | null } | null, ratio: { min: number | null, max: number | null, mean: number | null } | null, lanczosSteps: { min: number | null, max: number | null, mean: number | null } | null } | null, model: { id: string, name: string } | null, dataset: { id: string, name: string } | null, experiment: { id: string, name: string } | null } };

export type SurfaceValuesQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type SurfaceValuesQuery = { surface: { loss: Array<Array<number | null> | null> | null, accuracy: Array<Array<number | null> | null> | null } };

export type SurfaceTestValuesQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type SurfaceTestValuesQuery = { surface: { testLoss: Array<Array<number | null> | null> | null, testAccuracy: Array<Array<number | null> | null> | null } };

export type EigenRatioValuesQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type EigenRatioValuesQuery = { surface: { lambdaMax: Array<Array<number | null> | null> | null, lambdaMin: Array<Array<number | null> | null> | null, ratio: Array<Array<number | null> | null> | null, steps: Array<Array<number | null> | null> | null, converged: Array<Array<number | null> | null> | null } };

export type EigenRatioCostQueryVariables = Exact<{
  modelId: Scalars['ID']['input'];
  datasetId: Scalars['ID']['input'];
  points: Scalars['Int']['input'];
  lanczosSteps: Scalars['Int']['input'];
  samples?: InputMaybe<Scalars['Int']['input']>;
}>;


export type EigenRatioCostQuery = { eigenRatioCost: { hvps: number, expectedHvps: number | null, samples: number, estimatedSeconds: number | null, basis: string | null } };

export type SurfaceCostQueryVariables = Exact<{
  modelId: Scalars['ID']['input'];
  datasetId: Scalars['ID']['input'];
  points: Scalars['Int']['input'];
  samples?: InputMaybe<Scalars['Int']['input']>;
  testDatasetId?: InputMaybe<Scalars['ID']['input']>;
}>;


export type SurfaceCostQuery = { surfaceCost: { samples: number, testSamples: number, flopsPerPoint: number, totalFlops: number, secondsPerPoint: number | null, estimatedSeconds: number | null } };

export type SurfaceQueueQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type SurfaceQueueQuery = { surface: { id: string, queue: { position: number, surfacesAhead: number, estimatedSeconds: number | null, waitingFor: string | null } | null } };

export type CancelSurfaceMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type CancelSurfaceMutation = { cancelSurface: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null } };

export type SurfaceProgressSubscriptionVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type SurfaceProgressSubscription = { surfaceProgress: { surfaceId: string, status: SurfaceStatus, pointsDone: number, pointsTotal: number, indices: Array<number>, loss: Array<number | null>, accuracy: Array<number | null>, testLoss: Array<number | null>, testAccuracy: Array<number | null>, lambdaMax: Array<number | null>, lambdaMin: Array<number | null>, ratio: Array<number | null>, lanczosSteps: Array<number | null>, converged: Array<number | null>, errorMessage: string | null } };

export type AnnotationsQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type AnnotationsQuery = { surface: { annotations: { nodes: Array<{ id: string, x: number, y: number, kind: AnnotationKind, label: string, body: string, updatedAt: string, author: { id: string, name: string, email: string | null } | null }> } } };

export type AddAnnotationMutationVariables = Exact<{
  input: AddAnnotationInput;
}>;


export type AddAnnotationMutation = { addAnnotation: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null, annotation: { id: string, x: number, y: number, kind: AnnotationKind, label: string, body: string, updatedAt: string, author: { id: string, name: string, email: string | null } | null } | null } };

export type UpdateAnnotationMutationVariables = Exact<{
  input: UpdateAnnotationInput;
}>;


export type UpdateAnnotationMutation = { updateAnnotation: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null, annotation: { id: string, x: number, y: number, kind: AnnotationKind, label: string, body: string, updatedAt: string, author: { id: string, name: string, email: string | null } | null } | null } };

export type DeleteAnnotationMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DeleteAnnotationMutation = { deleteAnnotation: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null } };

export type GalleryQueryVariables = Exact<{
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<GalleryFilterInput>;
}>;


export type GalleryQuery = { gallery: { nodes: Array<{ id: string, name: string, kind: SurfaceKind, status: SurfaceStatus, pointsDone: number, pointsTotal: number, thumbnailUrl: string | null, createdAt: string, projectId: string, tags: Array<string>, model: { id: string, name: string } | null, dataset: { id: string, name: string } | null, statistics: { loss: { min: number | null, max: number | null } } | null, experiment: { id: string, name: string } | null }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type CompareQueryVariables = Exact<{
  ids: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
  metric: Metric;
}>;


export type CompareQuery = { compare: { min: number | null, max: number | null, sameGrid: boolean, surfaces: Array<{ myRole: ProjectRole, xs: Array<number>, ys: Array<number>, errorMessage: string | null, valuesUrl: string | null, notes: Array<string>, testDatasetId: string | null, explainedVariance: Array<number> | null, id: string, name: string, kind: SurfaceKind, status: SurfaceStatus, pointsDone: number, pointsTotal: number, thumbnailUrl: string | null, createdAt: string, projectId: string, tags: Array<string>, testDataset: { id: string, name: string } | null, project: { id: string, name: string, visibility: ProjectVisibility } | null, params: { norm: Normalization, ignore: IgnoreMode, samples: number | null, seed: number, checkpointStep: number | null, directionsFrom: string | null, fitPath: boolean, equalAspect: boolean, lanczosSteps: number, tolerance: number | null, runningStats: RunningStatsMode, x: { min: number, max: number, count: number }, y: { min: number, max: number, count: number } | null }, criticalPoints: Array<{ kind: CriticalKind, i: number, j: number, x: number, y: number, value: number, persistence: number | null }>, path: Array<{ step: number, x: number, y: number, distance: number, fromFinal: number | null, offPlaneFraction: number }> | null, modelPositions: Array<{ name: string, x: number, y: number, runningStatsOf: string | null, loss: number | null, ownLoss: number | null, accuracy: number | null, ownAccuracy: number | null }>, statistics: { nonConvexity: number | null, unconvergedPoints: number | null, loss: { min: number | null, max: number | null }, accuracy: { min: number | null, max: number | null }, testLoss: { min: number | null, max: number | null } | null, testAccuracy: { min: number | null, max: number | null } | null, lambdaMax: { min: number | null, max: number | null, mean: number | null } | null, lambdaMin: { min: number | null, max: number | null, mean: number | null } | null, ratio: { min: number | null, max: number | null, mean: number | null } | null, lanczosSteps: { min: number | null, max: number | null, mean: number | null } | null } | null, model: { id: string, name: string } | null, dataset: { id: string, name: string } | null, experiment: { id: string, name: string } | null }> } };

export type ModelDownloadsQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ModelDownloadsQuery = { model: { downloads: Array<{ name: string, url: string }> } };

export type DatasetDownloadsQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DatasetDownloadsQuery = { dataset: { downloads: Array<{ name: string, url: string }> } };

export type SeriesFrameFieldsFragment = { id: string, status: SurfaceStatus, pointsDone: number, pointsTotal: number, params: { checkpointStep: number | null } };

export type PreparingExperimentFieldsFragment = { id: string, name: string, status: ExperimentStatus, projectId: string, runs: Array<{ role: string | null, status: TrainingStatus, stepsDone: number, stepsTotal: number | null }>, surfaces: Array<{ status: SurfaceStatus, pointsDone: number, pointsTotal: number }> };

export type SurfaceSeriesQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type SurfaceSeriesQuery = { surface: { series: Array<{ id: string, status: SurfaceStatus, pointsDone: number, pointsTotal: number, params: { checkpointStep: number | null } }>, model: { checkpoints: { nodes: Array<{ step: number }> } } | null } };

export type CreateTrainingSeriesMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type CreateTrainingSeriesMutation = { createTrainingSeries: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null, surfaces: Array<{ id: string }> | null } };

export type ExperimentsInProgressQueryVariables = Exact<{ [key: string]: never; }>;


export type ExperimentsInProgressQuery = { experimentsInProgress: { nodes: Array<{ id: string, name: string, status: ExperimentStatus, projectId: string, runs: Array<{ role: string | null, status: TrainingStatus, stepsDone: number, stepsTotal: number | null }>, surfaces: Array<{ status: SurfaceStatus, pointsDone: number, pointsTotal: number }> }> } };

export type FeaturedComparisonQueryVariables = Exact<{ [key: string]: never; }>;


export type FeaturedComparisonQuery = { featuredComparison: { contrast: number, experiment: { id: string, name: string }, surfaces: Array<{ id: string, name: string, thumbnailUrl: string | null, statistics: { nonConvexity: number | null } | null }> } | null };

export type TrainingRunSummaryFieldsFragment = { id: string, name: string, projectId: string, status: TrainingStatus, stepsDone: number, stepsTotal: number | null, role: string | null, createdAt: string, finishedAt: string | null };

export type TrainingRunFieldsFragment = { datasetId: string, testDatasetId: string | null, modelId: string | null, errorCode: string | null, errorMessage: string | null, id: string, name: string, projectId: string, status: TrainingStatus, stepsDone: number, stepsTotal: number | null, role: string | null, createdAt: string, finishedAt: string | null, architecture: { kind: ArchitectureKind, depth: number | null, width: number | null, residual: boolean | null, channels: Array<number> | null, blocks: number | null, downsample: number | null, modelId: string | null }, options: { optimizer: Optimizer | null, learningRate: number | null, batchSize: number | null, weightDecay: number | null, epochs: number | null, seed: number | null, checkpointEvery: number | null, samples: number | null }, curve: Array<{ step: number, epoch: number, trainLoss: number, trainAccuracy: number, testLoss: number | null, testAccuracy: number | null }> };

export type ExperimentSummaryFieldsFragment = { id: string, name: string, kind: ExperimentKind, status: ExperimentStatus, projectId: string, createdAt: string, runs: Array<{ id: string, status: TrainingStatus, stepsDone: number, stepsTotal: number | null, role: string | null }> };

export type ExperimentFieldsFragment = { id: string, name: string, kind: ExperimentKind, status: ExperimentStatus, projectId: string, createdAt: string, caption: string, datasetId: string, runs: Array<{ datasetId: string, testDatasetId: string | null, modelId: string | null, errorCode: string | null, errorMessage: string | null, id: string, name: string, projectId: string, status: TrainingStatus, stepsDone: number, stepsTotal: number | null, role: string | null, createdAt: string, finishedAt: string | null, architecture: { kind: ArchitectureKind, depth: number | null, width: number | null, residual: boolean | null, channels: Array<number> | null, blocks: number | null, downsample: number | null, modelId: string | null }, options: { optimizer: Optimizer | null, learningRate: number | null, batchSize: number | null, weightDecay: number | null, epochs: number | null, seed: number | null, checkpointEvery: number | null, samples: number | null }, curve: Array<{ step: number, epoch: number, trainLoss: number, trainAccuracy: number, testLoss: number | null, testAccuracy: number | null }> }>, surfaces: Array<{ id: string, name: string, kind: SurfaceKind, status: SurfaceStatus, pointsDone: number, pointsTotal: number, thumbnailUrl: string | null, createdAt: string, projectId: string, tags: Array<string>, model: { id: string, name: string } | null, dataset: { id: string, name: string } | null, statistics: { loss: { min: number | null, max: number | null } } | null, experiment: { id: string, name: string } | null }>, pairs: Array<{ title: string, sides: Array<{ role: string, runId: string, testError: number | null, testLoss: number | null }>, panels: Array<{ kind: string, normalization: Normalization | null, surfaces: Array<{ id: string, name: string, kind: SurfaceKind, status: SurfaceStatus, pointsDone: number, pointsTotal: number, thumbnailUrl: string | null, statistics: { basinWidth: number | null } | null }> }> }> | null, curve: { id: string, name: string, status: CurveStatus, phase: CurvePhase | null, stepsDone: number, stepsTotal: number | null, pointsDone: number, pointsTotal: number | null, errorMessage: string | null, values: { curveBarriers: { trainLoss: number, trainAccuracy: number }, lineBarriers: { trainLoss: number, trainAccuracy: number } } | null } | null };

export type ProjectTrainingQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ProjectTrainingQuery = { trainingRuns: { nodes: Array<{ id: string, name: string, projectId: string, status: TrainingStatus, stepsDone: number, stepsTotal: number | null, role: string | null, createdAt: string, finishedAt: string | null }> }, experiments: { nodes: Array<{ id: string, name: string, kind: ExperimentKind, status: ExperimentStatus, projectId: string, createdAt: string, runs: Array<{ id: string, status: TrainingStatus, stepsDone: number, stepsTotal: number | null, role: string | null }> }> } };

export type TrainingContextQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type TrainingContextQuery = { project: { id: string, name: string, myRole: ProjectRole }, models: { nodes: Array<{ id: string, name: string, parameterCount: number, trainableCount: number | null, bufferCount: number | null }> }, datasets: { nodes: Array<{ id: string, name: string, rows: number }> } };

export type TrainingRunQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type TrainingRunQuery = { trainingRun: { datasetId: string, testDatasetId: string | null, modelId: string | null, errorCode: string | null, errorMessage: string | null, id: string, name: string, projectId: string, status: TrainingStatus, stepsDone: number, stepsTotal: number | null, role: string | null, createdAt: string, finishedAt: string | null, architecture: { kind: ArchitectureKind, depth: number | null, width: number | null, residual: boolean | null, channels: Array<number> | null, blocks: number | null, downsample: number | null, modelId: string | null }, options: { optimizer: Optimizer | null, learningRate: number | null, batchSize: number | null, weightDecay: number | null, epochs: number | null, seed: number | null, checkpointEvery: number | null, samples: number | null }, curve: Array<{ step: number, epoch: number, trainLoss: number, trainAccuracy: number, testLoss: number | null, testAccuracy: number | null }> } };

export type StartTrainingMutationVariables = Exact<{
  input: StartTrainingInput;
}>;


export type StartTrainingMutation = { startTraining: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null, run: { id: string } | null } };

export type CancelTrainingMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type CancelTrainingMutation = { cancelTraining: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null, run: { datasetId: string, testDatasetId: string | null, modelId: string | null, errorCode: string | null, errorMessage: string | null, id: string, name: string, projectId: string, status: TrainingStatus, stepsDone: number, stepsTotal: number | null, role: string | null, createdAt: string, finishedAt: string | null, architecture: { kind: ArchitectureKind, depth: number | null, width: number | null, residual: boolean | null, channels: Array<number> | null, blocks: number | null, downsample: number | null, modelId: string | null }, options: { optimizer: Optimizer | null, learningRate: number | null, batchSize: number | null, weightDecay: number | null, epochs: number | null, seed: number | null, checkpointEvery: number | null, samples: number | null }, curve: Array<{ step: number, epoch: number, trainLoss: number, trainAccuracy: number, testLoss: number | null, testAccuracy: number | null }> } | null } };

export type TrainingProgressSubscriptionVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type TrainingProgressSubscription = { trainingProgress: { datasetId: string, testDatasetId: string | null, modelId: string | null, errorCode: string | null, errorMessage: string | null, id: string, name: string, projectId: string, status: TrainingStatus, stepsDone: number, stepsTotal: number | null, role: string | null, createdAt: string, finishedAt: string | null, architecture: { kind: ArchitectureKind, depth: number | null, width: number | null, residual: boolean | null, channels: Array<number> | null, blocks: number | null, downsample: number | null, modelId: string | null }, options: { optimizer: Optimizer | null, learningRate: number | null, batchSize: number | null, weightDecay: number | null, epochs: number | null, seed: number | null, checkpointEvery: number | null, samples: number | null }, curve: Array<{ step: number, epoch: number, trainLoss: number, trainAccuracy: number, testLoss: number | null, testAccuracy: number | null }> } };

export type ExperimentQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ExperimentQuery = { experiment: { id: string, name: string, kind: ExperimentKind, status: ExperimentStatus, projectId: string, createdAt: string, caption: string, datasetId: string, runs: Array<{ datasetId: string, testDatasetId: string | null, modelId: string | null, errorCode: string | null, errorMessage: string | null, id: string, name: string, projectId: string, status: TrainingStatus, stepsDone: number, stepsTotal: number | null, role: string | null, createdAt: string, finishedAt: string | null, architecture: { kind: ArchitectureKind, depth: number | null, width: number | null, residual: boolean | null, channels: Array<number> | null, blocks: number | null, downsample: number | null, modelId: string | null }, options: { optimizer: Optimizer | null, learningRate: number | null, batchSize: number | null, weightDecay: number | null, epochs: number | null, seed: number | null, checkpointEvery: number | null, samples: number | null }, curve: Array<{ step: number, epoch: number, trainLoss: number, trainAccuracy: number, testLoss: number | null, testAccuracy: number | null }> }>, surfaces: Array<{ id: string, name: string, kind: SurfaceKind, status: SurfaceStatus, pointsDone: number, pointsTotal: number, thumbnailUrl: string | null, createdAt: string, projectId: string, tags: Array<string>, model: { id: string, name: string } | null, dataset: { id: string, name: string } | null, statistics: { loss: { min: number | null, max: number | null } } | null, experiment: { id: string, name: string } | null }>, pairs: Array<{ title: string, sides: Array<{ role: string, runId: string, testError: number | null, testLoss: number | null }>, panels: Array<{ kind: string, normalization: Normalization | null, surfaces: Array<{ id: string, name: string, kind: SurfaceKind, status: SurfaceStatus, pointsDone: number, pointsTotal: number, thumbnailUrl: string | null, statistics: { basinWidth: number | null } | null }> }> }> | null, curve: { id: string, name: string, status: CurveStatus, phase: CurvePhase | null, stepsDone: number, stepsTotal: number | null, pointsDone: number, pointsTotal: number | null, errorMessage: string | null, values: { curveBarriers: { trainLoss: number, trainAccuracy: number }, lineBarriers: { trainLoss: number, trainAccuracy: number } } | null } | null } };

export type StartExperimentMutationVariables = Exact<{
  input: StartExperimentInput;
}>;


export type StartExperimentMutation = { startExperiment: { ok: boolean, error: { code: ErrorCode, message: string, field: string | null } | null, experiment: { id: string } | null } };

export type ExperimentCaptionQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ExperimentCaptionQuery = { experiment: { id: string, name: string, caption: string, runs: Array<{ id: string, role: string | null }>, surfaces: Array<{ id: string }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const CurveSummaryFieldsFragmentDoc = new TypedDocumentString(`
    fragment CurveSummaryFields on Curve {
  id
  name
  projectId
  status
  phase
  stepsDone
  stepsTotal
  pointsDone
  pointsTotal
  createdAt
  finishedAt
}
    `, {"fragmentName":"CurveSummaryFields"}) as unknown as TypedDocumentString<CurveSummaryFieldsFragment, unknown>;
export const CurveFieldsFragmentDoc = new TypedDocumentString(`
    fragment CurveFields on Curve {
  ...CurveSummaryFields
  modelAId
  modelBId
  datasetId
  testDatasetId
  errorCode
  errorMessage
  options {
    kind
    bends
    epochs
    optimizer
    learningRate
    weightDecay
    batchSize
    seed
    points
    samples
    ensemble
  }
  checkpoints {
    step
    meanLoss
  }
  values {
    t
    batchNormRecomputed
    plane {
      xs
      ys
      loss
      accuracy
      offPlane
      models {
        name
        x
        y
      }
      curve {
        t
        x
        y
      }
      line {
        t
        x
        y
      }
    }
    curve {
      trainLoss
      trainAccuracy
      testLoss
      testAccuracy
    }
    line {
      trainLoss
      trainAccuracy
      testLoss
      testAccuracy
    }
    curveBarriers {
      trainLoss
      trainAccuracy
      testLoss
      testAccuracy
    }
    lineBarriers {
      trainLoss
      trainAccuracy
      testLoss
      testAccuracy
    }
    ensemble {
      members
      t
      trainAccuracy
      trainAccuracyA
      trainAccuracyB
      testAccuracy
      testAccuracyA
      testAccuracyB
    }
  }
}
    fragment CurveSummaryFields on Curve {
  id
  name
  projectId
  status
  phase
  stepsDone
  stepsTotal
  pointsDone
  pointsTotal
  createdAt
  finishedAt
}`, {"fragmentName":"CurveFields"}) as unknown as TypedDocumentString<CurveFieldsFragment, unknown>;
export const ModelCurvatureFieldsFragmentDoc = new TypedDocumentString(`
    fragment ModelCurvatureFields on ModelCurvature {
  id
  datasetId
  status
  samples
  hvpsDone
  hvpsPlanned
  dimension
  topEigenvalues
  lambdaMin
  eigenRatio
  trace
  traceStandardError
  method
  hvpErrorEstimate
  hvpStep
  eigenvaluesConverged
  backend
  seconds
  errorMessage
  createdAt
  density {
    x
    density
    sigma
    nodes
    weights
  }
}
    `, {"fragmentName":"ModelCurvatureFields"}) as unknown as TypedDocumentString<ModelCurvatureFieldsFragment, unknown>;
export const MutationErrorFieldsFragmentDoc = new TypedDocumentString(`
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}
    `, {"fragmentName":"MutationErrorFields"}) as unknown as TypedDocumentString<MutationErrorFieldsFragment, unknown>;
export const UserFieldsFragmentDoc = new TypedDocumentString(`
    fragment UserFields on User {
  id
  name
  email
}
    `, {"fragmentName":"UserFields"}) as unknown as TypedDocumentString<UserFieldsFragment, unknown>;
export const ProjectFieldsFragmentDoc = new TypedDocumentString(`
    fragment ProjectFields on Project {
  id
  name
  description
  visibility
  myRole
  shareToken
  createdAt
  owner {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  name
  email
}`, {"fragmentName":"ProjectFields"}) as unknown as TypedDocumentString<ProjectFieldsFragment, unknown>;
export const ModelFieldsFragmentDoc = new TypedDocumentString(`
    fragment ModelFields on Model {
  id
  name
  parameterCount
  trainableCount
  bufferCount
  flopsPerSample
  inputShape
  outputShape
  loss
  lossName
  createdAt
  notes
  layers {
    name
    className
    params
  }
  directions(first: 10) {
    nodes {
      id
      name
    }
  }
}
    `, {"fragmentName":"ModelFields"}) as unknown as TypedDocumentString<ModelFieldsFragment, unknown>;
export const DatasetFieldsFragmentDoc = new TypedDocumentString(`
    fragment DatasetFields on Dataset {
  id
  name
  format
  rows
  inputShape
  classes
  createdAt
  channelsLast
}
    `, {"fragmentName":"DatasetFields"}) as unknown as TypedDocumentString<DatasetFieldsFragment, unknown>;
export const SurfaceSummaryFieldsFragmentDoc = new TypedDocumentString(`
    fragment SurfaceSummaryFields on Surface {
  id
  name
  kind
  status
  pointsDone
  pointsTotal
  thumbnailUrl
  createdAt
  projectId
  tags
  model {
    id
    name
  }
  dataset {
    id
    name
  }
  statistics {
    loss {
      min
      max
    }
  }
  experiment {
    id
    name
  }
}
    `, {"fragmentName":"SurfaceSummaryFields"}) as unknown as TypedDocumentString<SurfaceSummaryFieldsFragment, unknown>;
export const SurfaceFieldsFragmentDoc = new TypedDocumentString(`
    fragment SurfaceFields on Surface {
  ...SurfaceSummaryFields
  myRole
  xs
  ys
  errorMessage
  valuesUrl
  notes
  testDatasetId
  testDataset {
    id
    name
  }
  project {
    id
    name
    visibility
  }
  params {
    x {
      min
      max
      count
    }
    y {
      min
      max
      count
    }
    norm
    ignore
    samples
    seed
    checkpointStep
    directionsFrom
    fitPath
    equalAspect
    lanczosSteps
    tolerance
    runningStats
  }
  criticalPoints(minPersistence: 0) {
    kind
    i
    j
    x
    y
    value
    persistence
  }
  path {
    step
    x
    y
    distance
    fromFinal
    offPlaneFraction
  }
  explainedVariance
  modelPositions {
    name
    x
    y
    runningStatsOf
    loss
    ownLoss
    accuracy
    ownAccuracy
  }
  statistics {
    loss {
      min
      max
    }
    accuracy {
      min
      max
    }
    testLoss {
      min
      max
    }
    testAccuracy {
      min
      max
    }
    nonConvexity
    lambdaMax {
      min
      max
      mean
    }
    lambdaMin {
      min
      max
      mean
    }
    ratio {
      min
      max
      mean
    }
    unconvergedPoints
    lanczosSteps {
      min
      max
      mean
    }
  }
}
    fragment SurfaceSummaryFields on Surface {
  id
  name
  kind
  status
  pointsDone
  pointsTotal
  thumbnailUrl
  createdAt
  projectId
  tags
  model {
    id
    name
  }
  dataset {
    id
    name
  }
  statistics {
    loss {
      min
      max
    }
  }
  experiment {
    id
    name
  }
}`, {"fragmentName":"SurfaceFields"}) as unknown as TypedDocumentString<SurfaceFieldsFragment, unknown>;
export const AnnotationFieldsFragmentDoc = new TypedDocumentString(`
    fragment AnnotationFields on Annotation {
  id
  x
  y
  kind
  label
  body
  updatedAt
  author {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  name
  email
}`, {"fragmentName":"AnnotationFields"}) as unknown as TypedDocumentString<AnnotationFieldsFragment, unknown>;
export const SeriesFrameFieldsFragmentDoc = new TypedDocumentString(`
    fragment SeriesFrameFields on Surface {
  id
  status
  pointsDone
  pointsTotal
  params {
    checkpointStep
  }
}
    `, {"fragmentName":"SeriesFrameFields"}) as unknown as TypedDocumentString<SeriesFrameFieldsFragment, unknown>;
export const PreparingExperimentFieldsFragmentDoc = new TypedDocumentString(`
    fragment PreparingExperimentFields on Experiment {
  id
  name
  status
  projectId
  runs {
    role
    status
    stepsDone
    stepsTotal
  }
  surfaces {
    status
    pointsDone
    pointsTotal
  }
}
    `, {"fragmentName":"PreparingExperimentFields"}) as unknown as TypedDocumentString<PreparingExperimentFieldsFragment, unknown>;
export const ExperimentSummaryFieldsFragmentDoc = new TypedDocumentString(`
    fragment ExperimentSummaryFields on Experiment {
  id
  name
  kind
  status
  projectId
  createdAt
  runs {
    id
    status
    stepsDone
    stepsTotal
    role
  }
}
    `, {"fragmentName":"ExperimentSummaryFields"}) as unknown as TypedDocumentString<ExperimentSummaryFieldsFragment, unknown>;
export const TrainingRunSummaryFieldsFragmentDoc = new TypedDocumentString(`
    fragment TrainingRunSummaryFields on TrainingRun {
  id
  name
  projectId
  status
  stepsDone
  stepsTotal
  role
  createdAt
  finishedAt
}
    `, {"fragmentName":"TrainingRunSummaryFields"}) as unknown as TypedDocumentString<TrainingRunSummaryFieldsFragment, unknown>;
export const TrainingRunFieldsFragmentDoc = new TypedDocumentString(`
    fragment TrainingRunFields on TrainingRun {
  ...TrainingRunSummaryFields
  datasetId
  testDatasetId
  modelId
  errorCode
  errorMessage
  architecture {
    kind
    depth
    width
    residual
    channels
    blocks
    downsample
    modelId
  }
  options {
    optimizer
    learningRate
    batchSize
    weightDecay
    epochs
    seed
    checkpointEvery
    samples
  }
  curve {
    step
    epoch
    trainLoss
    trainAccuracy
    testLoss
    testAccuracy
  }
}
    fragment TrainingRunSummaryFields on TrainingRun {
  id
  name
  projectId
  status
  stepsDone
  stepsTotal
  role
  createdAt
  finishedAt
}`, {"fragmentName":"TrainingRunFields"}) as unknown as TypedDocumentString<TrainingRunFieldsFragment, unknown>;
export const ExperimentFieldsFragmentDoc = new TypedDocumentString(`
    fragment ExperimentFields on Experiment {
  id
  name
  kind
  status
  projectId
  createdAt
  caption
  datasetId
  runs {
    ...TrainingRunFields
  }
  surfaces {
    ...SurfaceSummaryFields
  }
  pairs {
    title
    sides {
      role
      runId
      testError
      testLoss
    }
    panels {
      kind
      normalization
      surfaces {
        id
        name
        kind
        status
        pointsDone
        pointsTotal
        thumbnailUrl
        statistics {
          basinWidth
        }
      }
    }
  }
  curve {
    id
    name
    status
    phase
    stepsDone
    stepsTotal
    pointsDone
    pointsTotal
    errorMessage
    values {
      curveBarriers {
        trainLoss
        trainAccuracy
      }
      lineBarriers {
        trainLoss
        trainAccuracy
      }
    }
  }
}
    fragment SurfaceSummaryFields on Surface {
  id
  name
  kind
  status
  pointsDone
  pointsTotal
  thumbnailUrl
  createdAt
  projectId
  tags
  model {
    id
    name
  }
  dataset {
    id
    name
  }
  statistics {
    loss {
      min
      max
    }
  }
  experiment {
    id
    name
  }
}
fragment TrainingRunSummaryFields on TrainingRun {
  id
  name
  projectId
  status
  stepsDone
  stepsTotal
  role
  createdAt
  finishedAt
}
fragment TrainingRunFields on TrainingRun {
  ...TrainingRunSummaryFields
  datasetId
  testDatasetId
  modelId
  errorCode
  errorMessage
  architecture {
    kind
    depth
    width
    residual
    channels
    blocks
    downsample
    modelId
  }
  options {
    optimizer
    learningRate
    batchSize
    weightDecay
    epochs
    seed
    checkpointEvery
    samples
  }
  curve {
    step
    epoch
    trainLoss
    trainAccuracy
    testLoss
    testAccuracy
  }
}`, {"fragmentName":"ExperimentFields"}) as unknown as TypedDocumentString<ExperimentFieldsFragment, unknown>;
export const SessionsDocument = new TypedDocumentString(`
    query Sessions($after: String) {
  sessions(first: 50, after: $after) {
    nodes {
      id
      browser
      userAgent
      lastAddress
      createdAt
      lastSeenAt
      current
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<SessionsQuery, SessionsQueryVariables>;
export const EndSessionDocument = new TypedDocumentString(`
    mutation EndSession($id: ID!) {
  endSession(id: $id) {
    ok
    error {
      ...MutationErrorFields
    }
    session {
      id
      current
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<EndSessionMutation, EndSessionMutationVariables>;
export const EndOtherSessionsDocument = new TypedDocumentString(`
    mutation EndOtherSessions {
  endOtherSessions {
    ok
    error {
      ...MutationErrorFields
    }
    ended
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<EndOtherSessionsMutation, EndOtherSessionsMutationVariables>;
export const ChangePasswordDocument = new TypedDocumentString(`
    mutation ChangePassword($input: ChangePasswordInput!) {
  changePassword(input: $input) {
    ok
    error {
      ...MutationErrorFields
    }
    ended
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<ChangePasswordMutation, ChangePasswordMutationVariables>;
export const MySharedProjectsDocument = new TypedDocumentString(`
    query MySharedProjects {
  mySharedProjects(first: 100) {
    nodes {
      id
      name
      memberCount
    }
    pageInfo {
      hasNextPage
    }
  }
}
    `) as unknown as TypedDocumentString<MySharedProjectsQuery, MySharedProjectsQueryVariables>;
export const ProjectMemberListDocument = new TypedDocumentString(`
    query ProjectMemberList($id: ID!) {
  project(id: $id) {
    members(first: 100) {
      nodes {
        role
        user {
          id
          name
          email
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ProjectMemberListQuery, ProjectMemberListQueryVariables>;
export const TransferOwnershipDocument = new TypedDocumentString(`
    mutation TransferOwnership($projectId: ID!, $userId: ID!) {
  transferProjectOwnership(projectId: $projectId, userId: $userId) {
    ok
    error {
      ...MutationErrorFields
    }
    project {
      id
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<TransferOwnershipMutation, TransferOwnershipMutationVariables>;
export const DeleteAccountDocument = new TypedDocumentString(`
    mutation DeleteAccount($input: DeleteAccountInput!) {
  deleteAccount(input: $input) {
    ok
    error {
      ...MutationErrorFields
    }
    deletedProjects
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<DeleteAccountMutation, DeleteAccountMutationVariables>;
export const SignInOptionsDocument = new TypedDocumentString(`
    query SignInOptions {
  signInOptions {
    password
    providers {
      id
      name
      startPath
    }
  }
}
    `) as unknown as TypedDocumentString<SignInOptionsQuery, SignInOptionsQueryVariables>;
export const ProjectCurvesDocument = new TypedDocumentString(`
    query ProjectCurves($id: ID!) {
  curves(projectId: $id, first: 100) {
    nodes {
      ...CurveSummaryFields
    }
  }
}
    fragment CurveSummaryFields on Curve {
  id
  name
  projectId
  status
  phase
  stepsDone
  stepsTotal
  pointsDone
  pointsTotal
  createdAt
  finishedAt
}`) as unknown as TypedDocumentString<ProjectCurvesQuery, ProjectCurvesQueryVariables>;
export const CurveDocument = new TypedDocumentString(`
    query Curve($id: ID!) {
  curve(id: $id) {
    ...CurveFields
  }
}
    fragment CurveSummaryFields on Curve {
  id
  name
  projectId
  status
  phase
  stepsDone
  stepsTotal
  pointsDone
  pointsTotal
  createdAt
  finishedAt
}
fragment CurveFields on Curve {
  ...CurveSummaryFields
  modelAId
  modelBId
  datasetId
  testDatasetId
  errorCode
  errorMessage
  options {
    kind
    bends
    epochs
    optimizer
    learningRate
    weightDecay
    batchSize
    seed
    points
    samples
    ensemble
  }
  checkpoints {
    step
    meanLoss
  }
  values {
    t
    batchNormRecomputed
    plane {
      xs
      ys
      loss
      accuracy
      offPlane
      models {
        name
        x
        y
      }
      curve {
        t
        x
        y
      }
      line {
        t
        x
        y
      }
    }
    curve {
      trainLoss
      trainAccuracy
      testLoss
      testAccuracy
    }
    line {
      trainLoss
      trainAccuracy
      testLoss
      testAccuracy
    }
    curveBarriers {
      trainLoss
      trainAccuracy
      testLoss
      testAccuracy
    }
    lineBarriers {
      trainLoss
      trainAccuracy
      testLoss
      testAccuracy
    }
    ensemble {
      members
      t
      trainAccuracy
      trainAccuracyA
      trainAccuracyB
      testAccuracy
      testAccuracyA
      testAccuracyB
    }
  }
}`) as unknown as TypedDocumentString<CurveQuery, CurveQueryVariables>;
export const ConnectModelsDocument = new TypedDocumentString(`
    mutation ConnectModels($input: ConnectModelsInput!) {
  connectModels(input: $input) {
    ok
    error {
      ...MutationErrorFields
    }
    curve {
      id
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<ConnectModelsMutation, ConnectModelsMutationVariables>;
export const CancelCurveDocument = new TypedDocumentString(`
    mutation CancelCurve($id: ID!) {
  cancelCurve(id: $id) {
    ok
    error {
      ...MutationErrorFields
    }
    curve {
      ...CurveFields
    }
  }
}
    fragment CurveSummaryFields on Curve {
  id
  name
  projectId
  status
  phase
  stepsDone
  stepsTotal
  pointsDone
  pointsTotal
  createdAt
  finishedAt
}
fragment CurveFields on Curve {
  ...CurveSummaryFields
  modelAId
  modelBId
  datasetId
  testDatasetId
  errorCode
  errorMessage
  options {
    kind
    bends
    epochs
    optimizer
    learningRate
    weightDecay
    batchSize
    seed
    points
    samples
    ensemble
  }
  checkpoints {
    step
    meanLoss
  }
  values {
    t
    batchNormRecomputed
    plane {
      xs
      ys
      loss
      accuracy
      offPlane
      models {
        name
        x
        y
      }
      curve {
        t
        x
        y
      }
      line {
        t
        x
        y
      }
    }
    curve {
      trainLoss
      trainAccuracy
      testLoss
      testAccuracy
    }
    line {
      trainLoss
      trainAccuracy
      testLoss
      testAccuracy
    }
    curveBarriers {
      trainLoss
      trainAccuracy
      testLoss
      testAccuracy
    }
    lineBarriers {
      trainLoss
      trainAccuracy
      testLoss
      testAccuracy
    }
    ensemble {
      members
      t
      trainAccuracy
      trainAccuracyA
      trainAccuracyB
      testAccuracy
      testAccuracyA
      testAccuracyB
    }
  }
}
fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<CancelCurveMutation, CancelCurveMutationVariables>;
export const CurveProgressDocument = new TypedDocumentString(`
    subscription CurveProgress($id: ID!) {
  curveProgress(id: $id) {
    ...CurveFields
  }
}
    fragment CurveSummaryFields on Curve {
  id
  name
  projectId
  status
  phase
  stepsDone
  stepsTotal
  pointsDone
  pointsTotal
  createdAt
  finishedAt
}
fragment CurveFields on Curve {
  ...CurveSummaryFields
  modelAId
  modelBId
  datasetId
  testDatasetId
  errorCode
  errorMessage
  options {
    kind
    bends
    epochs
    optimizer
    learningRate
    weightDecay
    batchSize
    seed
    points
    samples
    ensemble
  }
  checkpoints {
    step
    meanLoss
  }
  values {
    t
    batchNormRecomputed
    plane {
      xs
      ys
      loss
      accuracy
      offPlane
      models {
        name
        x
        y
      }
      curve {
        t
        x
        y
      }
      line {
        t
        x
        y
      }
    }
    curve {
      trainLoss
      trainAccuracy
      testLoss
      testAccuracy
    }
    line {
      trainLoss
      trainAccuracy
      testLoss
      testAccuracy
    }
    curveBarriers {
      trainLoss
      trainAccuracy
      testLoss
      testAccuracy
    }
    lineBarriers {
      trainLoss
      trainAccuracy
      testLoss
      testAccuracy
    }
    ensemble {
      members
      t
      trainAccuracy
      trainAccuracyA
      trainAccuracyB
      testAccuracy
      testAccuracyA
      testAccuracyB
    }
  }
}`) as unknown as TypedDocumentString<CurveProgressSubscription, CurveProgressSubscriptionVariables>;
export const CurveAnnotationsDocument = new TypedDocumentString(`
    query CurveAnnotations($id: ID!) {
  curve(id: $id) {
    id
    annotations(first: 100) {
      nodes {
        ...AnnotationFields
      }
    }
  }
}
    fragment UserFields on User {
  id
  name
  email
}
fragment AnnotationFields on Annotation {
  id
  x
  y
  kind
  label
  body
  updatedAt
  author {
    ...UserFields
  }
}`) as unknown as TypedDocumentString<CurveAnnotationsQuery, CurveAnnotationsQueryVariables>;
export const ExportSettingsDocument = new TypedDocumentString(`
    query ExportSettings {
  exportSettings {
    theme
    format
    width
    height
    unit
    dpi
  }
}
    `) as unknown as TypedDocumentString<ExportSettingsQuery, ExportSettingsQueryVariables>;
export const SaveExportSettingsDocument = new TypedDocumentString(`
    mutation SaveExportSettings($input: ExportSettingsInput!) {
  saveExportSettings(input: $input) {
    ok
    error {
      ...MutationErrorFields
    }
    settings {
      theme
      format
      width
      height
      unit
      dpi
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<SaveExportSettingsMutation, SaveExportSettingsMutationVariables>;
export const HealthDocument = new TypedDocumentString(`
    query Health {
  health {
    status
    version
    uptimeSeconds
    database {
      ok
      latencyMs
      error
      serverVersion
      embedded
    }
    storage {
      ok
      latencyMs
      error
      bucket
      embedded
    }
    queue {
      ok
      latencyMs
      error
      queued
      active
      failed
    }
    workers {
      id
      hostname
      backend
      device
      gpu
      lastHeartbeatAt
    }
  }
}
    `) as unknown as TypedDocumentString<HealthQuery, HealthQueryVariables>;
export const ModelPageDocument = new TypedDocumentString(`
    query ModelPage($id: ID!) {
  model(id: $id) {
    id
    projectId
    name
    parameterCount
    trainableCount
    bufferCount
    flopsPerSample
    inputShape
    outputShape
    loss
    lossName
    notes
    layers {
      name
      className
      params
    }
    curvature {
      ...ModelCurvatureFields
    }
  }
}
    fragment ModelCurvatureFields on ModelCurvature {
  id
  datasetId
  status
  samples
  hvpsDone
  hvpsPlanned
  dimension
  topEigenvalues
  lambdaMin
  eigenRatio
  trace
  traceStandardError
  method
  hvpErrorEstimate
  hvpStep
  eigenvaluesConverged
  backend
  seconds
  errorMessage
  createdAt
  density {
    x
    density
    sigma
    nodes
    weights
  }
}`) as unknown as TypedDocumentString<ModelPageQuery, ModelPageQueryVariables>;
export const ModelContextDocument = new TypedDocumentString(`
    query ModelContext($projectId: ID!) {
  project(id: $projectId) {
    id
    name
    myRole
  }
  datasets(projectId: $projectId, first: 100) {
    nodes {
      id
      name
      rows
      inputShape
    }
  }
}
    `) as unknown as TypedDocumentString<ModelContextQuery, ModelContextQueryVariables>;
export const ModelCurvatureDocument = new TypedDocumentString(`
    query ModelCurvature($id: ID!) {
  model(id: $id) {
    id
    curvature {
      ...ModelCurvatureFields
    }
  }
}
    fragment ModelCurvatureFields on ModelCurvature {
  id
  datasetId
  status
  samples
  hvpsDone
  hvpsPlanned
  dimension
  topEigenvalues
  lambdaMin
  eigenRatio
  trace
  traceStandardError
  method
  hvpErrorEstimate
  hvpStep
  eigenvaluesConverged
  backend
  seconds
  errorMessage
  createdAt
  density {
    x
    density
    sigma
    nodes
    weights
  }
}`) as unknown as TypedDocumentString<ModelCurvatureQuery, ModelCurvatureQueryVariables>;
export const ComputeModelCurvatureDocument = new TypedDocumentString(`
    mutation ComputeModelCurvature($input: ComputeCurvatureInput!) {
  computeModelCurvature(input: $input) {
    ok
    error {
      ...MutationErrorFields
    }
    curvature {
      ...ModelCurvatureFields
    }
  }
}
    fragment ModelCurvatureFields on ModelCurvature {
  id
  datasetId
  status
  samples
  hvpsDone
  hvpsPlanned
  dimension
  topEigenvalues
  lambdaMin
  eigenRatio
  trace
  traceStandardError
  method
  hvpErrorEstimate
  hvpStep
  eigenvaluesConverged
  backend
  seconds
  errorMessage
  createdAt
  density {
    x
    density
    sigma
    nodes
    weights
  }
}
fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<ComputeModelCurvatureMutation, ComputeModelCurvatureMutationVariables>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  name
  email
}`) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const SignInDocument = new TypedDocumentString(`
    mutation SignIn($email: String!, $password: String!) {
  signIn(email: $email, password: $password) {
    ok
    error {
      ...MutationErrorFields
    }
    user {
      ...UserFields
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}
fragment UserFields on User {
  id
  name
  email
}`) as unknown as TypedDocumentString<SignInMutation, SignInMutationVariables>;
export const SignUpDocument = new TypedDocumentString(`
    mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) {
    ok
    error {
      ...MutationErrorFields
    }
    user {
      ...UserFields
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}
fragment UserFields on User {
  id
  name
  email
}`) as unknown as TypedDocumentString<SignUpMutation, SignUpMutationVariables>;
export const SignOutDocument = new TypedDocumentString(`
    mutation SignOut {
  signOut {
    ok
    error {
      ...MutationErrorFields
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<SignOutMutation, SignOutMutationVariables>;
export const EmailVerifiedDocument = new TypedDocumentString(`
    query EmailVerified {
  me {
    id
    emailVerified
  }
}
    `) as unknown as TypedDocumentString<EmailVerifiedQuery, EmailVerifiedQueryVariables>;
export const RequestPasswordResetDocument = new TypedDocumentString(`
    mutation RequestPasswordReset($email: String!) {
  requestPasswordReset(email: $email) {
    ok
    error {
      ...MutationErrorFields
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<RequestPasswordResetMutation, RequestPasswordResetMutationVariables>;
export const ResetPasswordDocument = new TypedDocumentString(`
    mutation ResetPassword($token: String!, $password: String!) {
  resetPassword(token: $token, password: $password) {
    ok
    error {
      ...MutationErrorFields
    }
    user {
      ...UserFields
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}
fragment UserFields on User {
  id
  name
  email
}`) as unknown as TypedDocumentString<ResetPasswordMutation, ResetPasswordMutationVariables>;
export const VerifyEmailDocument = new TypedDocumentString(`
    mutation VerifyEmail($token: String!) {
  verifyEmail(token: $token) {
    ok
    error {
      ...MutationErrorFields
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<VerifyEmailMutation, VerifyEmailMutationVariables>;
export const SendVerificationEmailDocument = new TypedDocumentString(`
    mutation SendVerificationEmail {
  sendVerificationEmail {
    ok
    sent
    error {
      ...MutationErrorFields
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<SendVerificationEmailMutation, SendVerificationEmailMutationVariables>;
export const ApiTokensDocument = new TypedDocumentString(`
    query ApiTokens {
  apiTokens(first: 100) {
    nodes {
      id
      name
      prefix
      createdAt
      lastUsedAt
      revokedAt
    }
  }
}
    `) as unknown as TypedDocumentString<ApiTokensQuery, ApiTokensQueryVariables>;
export const CreateApiTokenDocument = new TypedDocumentString(`
    mutation CreateApiToken($name: String!) {
  createApiToken(name: $name) {
    ok
    error {
      ...MutationErrorFields
    }
    token
    apiToken {
      id
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<CreateApiTokenMutation, CreateApiTokenMutationVariables>;
export const RevokeApiTokenDocument = new TypedDocumentString(`
    mutation RevokeApiToken($id: ID!) {
  revokeApiToken(id: $id) {
    ok
    error {
      ...MutationErrorFields
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<RevokeApiTokenMutation, RevokeApiTokenMutationVariables>;
export const ProjectsDocument = new TypedDocumentString(`
    query Projects($after: String) {
  projects(first: 50, after: $after) {
    nodes {
      ...ProjectFields
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment UserFields on User {
  id
  name
  email
}
fragment ProjectFields on Project {
  id
  name
  description
  visibility
  myRole
  shareToken
  createdAt
  owner {
    ...UserFields
  }
}`) as unknown as TypedDocumentString<ProjectsQuery, ProjectsQueryVariables>;
export const CreateProjectDocument = new TypedDocumentString(`
    mutation CreateProject($input: CreateProjectInput!) {
  createProject(input: $input) {
    ok
    error {
      ...MutationErrorFields
    }
    project {
      ...ProjectFields
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}
fragment UserFields on User {
  id
  name
  email
}
fragment ProjectFields on Project {
  id
  name
  description
  visibility
  myRole
  shareToken
  createdAt
  owner {
    ...UserFields
  }
}`) as unknown as TypedDocumentString<CreateProjectMutation, CreateProjectMutationVariables>;
export const ProjectPageDocument = new TypedDocumentString(`
    query ProjectPage($id: ID!) {
  project(id: $id) {
    ...ProjectFields
  }
  models(projectId: $id, first: 100) {
    nodes {
      ...ModelFields
    }
  }
  datasets(projectId: $id, first: 100) {
    nodes {
      ...DatasetFields
    }
  }
  gallery(first: 100, filter: {projectId: $id}) {
    nodes {
      ...SurfaceSummaryFields
    }
  }
}
    fragment UserFields on User {
  id
  name
  email
}
fragment ProjectFields on Project {
  id
  name
  description
  visibility
  myRole
  shareToken
  createdAt
  owner {
    ...UserFields
  }
}
fragment ModelFields on Model {
  id
  name
  parameterCount
  trainableCount
  bufferCount
  flopsPerSample
  inputShape
  outputShape
  loss
  lossName
  createdAt
  notes
  layers {
    name
    className
    params
  }
  directions(first: 10) {
    nodes {
      id
      name
    }
  }
}
fragment DatasetFields on Dataset {
  id
  name
  format
  rows
  inputShape
  classes
  createdAt
  channelsLast
}
fragment SurfaceSummaryFields on Surface {
  id
  name
  kind
  status
  pointsDone
  pointsTotal
  thumbnailUrl
  createdAt
  projectId
  tags
  model {
    id
    name
  }
  dataset {
    id
    name
  }
  statistics {
    loss {
      min
      max
    }
  }
  experiment {
    id
    name
  }
}`) as unknown as TypedDocumentString<ProjectPageQuery, ProjectPageQueryVariables>;
export const MembersDocument = new TypedDocumentString(`
    query Members($id: ID!) {
  project(id: $id) {
    members(first: 100) {
      nodes {
        role
        addedAt
        user {
          ...UserFields
        }
      }
    }
    invitations(first: 100) {
      nodes {
        id
        email
        role
        createdAt
      }
    }
    surfaceLinks(first: 100) {
      nodes {
        id
        surfaceId
        surfaceName
        path
        createdAt
        createdBy {
          id
          name
        }
      }
    }
    compareLinks(first: 100) {
      nodes {
        id
        path
        createdAt
        surfaces {
          id
          name
        }
        createdBy {
          id
          name
        }
      }
    }
  }
}
    fragment UserFields on User {
  id
  name
  email
}`) as unknown as TypedDocumentString<MembersQuery, MembersQueryVariables>;
export const SharedLinkDocument = new TypedDocumentString(`
    query SharedLink($token: String!) {
  sharedLink(token: $token) {
    kind
    projectId
    surfaceId
    surfaceIds
    view
  }
}
    `) as unknown as TypedDocumentString<SharedLinkQuery, SharedLinkQueryVariables>;
export const CreateSurfaceLinkDocument = new TypedDocumentString(`
    mutation CreateSurfaceLink($surfaceId: ID!, $view: String) {
  createSurfaceLink(surfaceId: $surfaceId, view: $view) {
    ok
    error {
      ...MutationErrorFields
    }
    link {
      id
      path
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<CreateSurfaceLinkMutation, CreateSurfaceLinkMutationVariables>;
export const RevokeSurfaceLinkDocument = new TypedDocumentString(`
    mutation RevokeSurfaceLink($id: ID!) {
  revokeSurfaceLink(id: $id) {
    ok
    error {
      ...MutationErrorFields
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<RevokeSurfaceLinkMutation, RevokeSurfaceLinkMutationVariables>;
export const CreateCompareLinkDocument = new TypedDocumentString(`
    mutation CreateCompareLink($surfaceIds: [ID!]!, $view: String) {
  createCompareLink(surfaceIds: $surfaceIds, view: $view) {
    ok
    error {
      ...MutationErrorFields
    }
    link {
      id
      path
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<CreateCompareLinkMutation, CreateCompareLinkMutationVariables>;
export const RevokeCompareLinkDocument = new TypedDocumentString(`
    mutation RevokeCompareLink($id: ID!) {
  revokeCompareLink(id: $id) {
    ok
    error {
      ...MutationErrorFields
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<RevokeCompareLinkMutation, RevokeCompareLinkMutationVariables>;
export const InviteProjectMemberDocument = new TypedDocumentString(`
    mutation InviteProjectMember($projectId: ID!, $email: String!, $role: MemberRole!) {
  inviteProjectMember(projectId: $projectId, email: $email, role: $role) {
    ok
    error {
      ...MutationErrorFields
    }
    invitation {
      id
      email
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<InviteProjectMemberMutation, InviteProjectMemberMutationVariables>;
export const WithdrawInvitationDocument = new TypedDocumentString(`
    mutation WithdrawInvitation($id: ID!) {
  withdrawInvitation(id: $id) {
    ok
    error {
      ...MutationErrorFields
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<WithdrawInvitationMutation, WithdrawInvitationMutationVariables>;
export const MyInvitationsDocument = new TypedDocumentString(`
    query MyInvitations {
  myInvitations(first: 100) {
    nodes {
      id
      projectId
      projectName
      role
      createdAt
      invitedBy {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<MyInvitationsQuery, MyInvitationsQueryVariables>;
export const AcceptInvitationDocument = new TypedDocumentString(`
    mutation AcceptInvitation($id: ID!) {
  acceptInvitation(id: $id) {
    ok
    error {
      ...MutationErrorFields
    }
    invitation {
      projectId
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<AcceptInvitationMutation, AcceptInvitationMutationVariables>;
export const DeclineInvitationDocument = new TypedDocumentString(`
    mutation DeclineInvitation($id: ID!) {
  declineInvitation(id: $id) {
    ok
    error {
      ...MutationErrorFields
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<DeclineInvitationMutation, DeclineInvitationMutationVariables>;
export const SetProjectMemberDocument = new TypedDocumentString(`
    mutation SetProjectMember($projectId: ID!, $email: String!, $role: MemberRole!) {
  setProjectMember(projectId: $projectId, email: $email, role: $role) {
    ok
    error {
      ...MutationErrorFields
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<SetProjectMemberMutation, SetProjectMemberMutationVariables>;
export const RemoveProjectMemberDocument = new TypedDocumentString(`
    mutation RemoveProjectMember($projectId: ID!, $userId: ID!) {
  removeProjectMember(projectId: $projectId, userId: $userId) {
    ok
    error {
      ...MutationErrorFields
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<RemoveProjectMemberMutation, RemoveProjectMemberMutationVariables>;
export const SetProjectVisibilityDocument = new TypedDocumentString(`
    mutation SetProjectVisibility($id: ID!, $visibility: ProjectVisibility!) {
  setProjectVisibility(id: $id, visibility: $visibility) {
    ok
    error {
      ...MutationErrorFields
    }
    project {
      ...ProjectFields
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}
fragment UserFields on User {
  id
  name
  email
}
fragment ProjectFields on Project {
  id
  name
  description
  visibility
  myRole
  shareToken
  createdAt
  owner {
    ...UserFields
  }
}`) as unknown as TypedDocumentString<SetProjectVisibilityMutation, SetProjectVisibilityMutationVariables>;
export const RotateShareTokenDocument = new TypedDocumentString(`
    mutation RotateShareToken($id: ID!) {
  rotateShareToken(id: $id) {
    ok
    error {
      ...MutationErrorFields
    }
    project {
      ...ProjectFields
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}
fragment UserFields on User {
  id
  name
  email
}
fragment ProjectFields on Project {
  id
  name
  description
  visibility
  myRole
  shareToken
  createdAt
  owner {
    ...UserFields
  }
}`) as unknown as TypedDocumentString<RotateShareTokenMutation, RotateShareTokenMutationVariables>;
export const AddBuiltinDatasetDocument = new TypedDocumentString(`
    mutation AddBuiltinDataset($projectId: ID!, $dataset: BuiltinDataset!) {
  addBuiltinDataset(projectId: $projectId, dataset: $dataset) {
    ok
    error {
      ...MutationErrorFields
    }
    dataset {
      ...DatasetFields
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}
fragment DatasetFields on Dataset {
  id
  name
  format
  rows
  inputShape
  classes
  createdAt
  channelsLast
}`) as unknown as TypedDocumentString<AddBuiltinDatasetMutation, AddBuiltinDatasetMutationVariables>;
export const RequestUploadDocument = new TypedDocumentString(`
    mutation RequestUpload($input: RequestUploadInput!) {
  requestUpload(input: $input) {
    ok
    error {
      ...MutationErrorFields
    }
    upload {
      id
      expiresAt
      files {
        name
        size
        url
        contentType
      }
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<RequestUploadMutation, RequestUploadMutationVariables>;
export const CompleteUploadDocument = new TypedDocumentString(`
    mutation CompleteUpload($id: ID!) {
  completeUpload(id: $id) {
    ok
    error {
      ...MutationErrorFields
    }
    model {
      ...ModelFields
    }
    dataset {
      ...DatasetFields
    }
    checkpoint {
      id
      step
    }
    direction {
      id
      name
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}
fragment ModelFields on Model {
  id
  name
  parameterCount
  trainableCount
  bufferCount
  flopsPerSample
  inputShape
  outputShape
  loss
  lossName
  createdAt
  notes
  layers {
    name
    className
    params
  }
  directions(first: 10) {
    nodes {
      id
      name
    }
  }
}
fragment DatasetFields on Dataset {
  id
  name
  format
  rows
  inputShape
  classes
  createdAt
  channelsLast
}`) as unknown as TypedDocumentString<CompleteUploadMutation, CompleteUploadMutationVariables>;
export const CreateSurfaceDocument = new TypedDocumentString(`
    mutation CreateSurface($input: CreateSurfaceInput!) {
  createSurface(input: $input) {
    ok
    error {
      ...MutationErrorFields
    }
    surface {
      id
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<CreateSurfaceMutation, CreateSurfaceMutationVariables>;
export const SurfaceDocument = new TypedDocumentString(`
    query Surface($id: ID!) {
  surface(id: $id) {
    ...SurfaceFields
  }
}
    fragment SurfaceSummaryFields on Surface {
  id
  name
  kind
  status
  pointsDone
  pointsTotal
  thumbnailUrl
  createdAt
  projectId
  tags
  model {
    id
    name
  }
  dataset {
    id
    name
  }
  statistics {
    loss {
      min
      max
    }
  }
  experiment {
    id
    name
  }
}
fragment SurfaceFields on Surface {
  ...SurfaceSummaryFields
  myRole
  xs
  ys
  errorMessage
  valuesUrl
  notes
  testDatasetId
  testDataset {
    id
    name
  }
  project {
    id
    name
    visibility
  }
  params {
    x {
      min
      max
      count
    }
    y {
      min
      max
      count
    }
    norm
    ignore
    samples
    seed
    checkpointStep
    directionsFrom
    fitPath
    equalAspect
    lanczosSteps
    tolerance
    runningStats
  }
  criticalPoints(minPersistence: 0) {
    kind
    i
    j
    x
    y
    value
    persistence
  }
  path {
    step
    x
    y
    distance
    fromFinal
    offPlaneFraction
  }
  explainedVariance
  modelPositions {
    name
    x
    y
    runningStatsOf
    loss
    ownLoss
    accuracy
    ownAccuracy
  }
  statistics {
    loss {
      min
      max
    }
    accuracy {
      min
      max
    }
    testLoss {
      min
      max
    }
    testAccuracy {
      min
      max
    }
    nonConvexity
    lambdaMax {
      min
      max
      mean
    }
    lambdaMin {
      min
      max
      mean
    }
    ratio {
      min
      max
      mean
    }
    unconvergedPoints
    lanczosSteps {
      min
      max
      mean
    }
  }
}`) as unknown as TypedDocumentString<SurfaceQuery, SurfaceQueryVariables>;
export const SurfaceValuesDocument = new TypedDocumentString(`
    query SurfaceValues($id: ID!) {
  surface(id: $id) {
    loss: values(metric: LOSS)
    accuracy: values(metric: ACCURACY)
  }
}
    `) as unknown as TypedDocumentString<SurfaceValuesQuery, SurfaceValuesQueryVariables>;
export const SurfaceTestValuesDocument = new TypedDocumentString(`
    query SurfaceTestValues($id: ID!) {
  surface(id: $id) {
    testLoss: values(metric: TEST_LOSS)
    testAccuracy: values(metric: TEST_ACCURACY)
  }
}
    `) as unknown as TypedDocumentString<SurfaceTestValuesQuery, SurfaceTestValuesQueryVariables>;
export const EigenRatioValuesDocument = new TypedDocumentString(`
    query EigenRatioValues($id: ID!) {
  surface(id: $id) {
    lambdaMax: values(metric: LAMBDA_MAX)
    lambdaMin: values(metric: LAMBDA_MIN)
    ratio: values(metric: RATIO)
    steps: values(metric: LANCZOS_STEPS)
    converged: values(metric: CONVERGED)
  }
}
    `) as unknown as TypedDocumentString<EigenRatioValuesQuery, EigenRatioValuesQueryVariables>;
export const EigenRatioCostDocument = new TypedDocumentString(`
    query EigenRatioCost($modelId: ID!, $datasetId: ID!, $points: Int!, $lanczosSteps: Int!, $samples: Int) {
  eigenRatioCost(
    modelId: $modelId
    datasetId: $datasetId
    points: $points
    lanczosSteps: $lanczosSteps
    samples: $samples
  ) {
    hvps
    expectedHvps
    samples
    estimatedSeconds
    basis
  }
}
    `) as unknown as TypedDocumentString<EigenRatioCostQuery, EigenRatioCostQueryVariables>;
export const SurfaceCostDocument = new TypedDocumentString(`
    query SurfaceCost($modelId: ID!, $datasetId: ID!, $points: Int!, $samples: Int, $testDatasetId: ID) {
  surfaceCost(
    modelId: $modelId
    datasetId: $datasetId
    points: $points
    samples: $samples
    testDatasetId: $testDatasetId
  ) {
    samples
    testSamples
    flopsPerPoint
    totalFlops
    secondsPerPoint
    estimatedSeconds
  }
}
    `) as unknown as TypedDocumentString<SurfaceCostQuery, SurfaceCostQueryVariables>;
export const SurfaceQueueDocument = new TypedDocumentString(`
    query SurfaceQueue($id: ID!) {
  surface(id: $id) {
    id
    queue {
      position
      surfacesAhead
      estimatedSeconds
      waitingFor
    }
  }
}
    `) as unknown as TypedDocumentString<SurfaceQueueQuery, SurfaceQueueQueryVariables>;
export const CancelSurfaceDocument = new TypedDocumentString(`
    mutation CancelSurface($id: ID!) {
  cancelSurface(id: $id) {
    ok
    error {
      ...MutationErrorFields
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<CancelSurfaceMutation, CancelSurfaceMutationVariables>;
export const SurfaceProgressDocument = new TypedDocumentString(`
    subscription SurfaceProgress($id: ID!) {
  surfaceProgress(id: $id) {
    surfaceId
    status
    pointsDone
    pointsTotal
    indices
    loss
    accuracy
    testLoss
    testAccuracy
    lambdaMax
    lambdaMin
    ratio
    lanczosSteps
    converged
    errorMessage
  }
}
    `) as unknown as TypedDocumentString<SurfaceProgressSubscription, SurfaceProgressSubscriptionVariables>;
export const AnnotationsDocument = new TypedDocumentString(`
    query Annotations($id: ID!) {
  surface(id: $id) {
    annotations(first: 100) {
      nodes {
        ...AnnotationFields
      }
    }
  }
}
    fragment UserFields on User {
  id
  name
  email
}
fragment AnnotationFields on Annotation {
  id
  x
  y
  kind
  label
  body
  updatedAt
  author {
    ...UserFields
  }
}`) as unknown as TypedDocumentString<AnnotationsQuery, AnnotationsQueryVariables>;
export const AddAnnotationDocument = new TypedDocumentString(`
    mutation AddAnnotation($input: AddAnnotationInput!) {
  addAnnotation(input: $input) {
    ok
    error {
      ...MutationErrorFields
    }
    annotation {
      ...AnnotationFields
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}
fragment UserFields on User {
  id
  name
  email
}
fragment AnnotationFields on Annotation {
  id
  x
  y
  kind
  label
  body
  updatedAt
  author {
    ...UserFields
  }
}`) as unknown as TypedDocumentString<AddAnnotationMutation, AddAnnotationMutationVariables>;
export const UpdateAnnotationDocument = new TypedDocumentString(`
    mutation UpdateAnnotation($input: UpdateAnnotationInput!) {
  updateAnnotation(input: $input) {
    ok
    error {
      ...MutationErrorFields
    }
    annotation {
      ...AnnotationFields
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}
fragment UserFields on User {
  id
  name
  email
}
fragment AnnotationFields on Annotation {
  id
  x
  y
  kind
  label
  body
  updatedAt
  author {
    ...UserFields
  }
}`) as unknown as TypedDocumentString<UpdateAnnotationMutation, UpdateAnnotationMutationVariables>;
export const DeleteAnnotationDocument = new TypedDocumentString(`
    mutation DeleteAnnotation($id: ID!) {
  deleteAnnotation(id: $id) {
    ok
    error {
      ...MutationErrorFields
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<DeleteAnnotationMutation, DeleteAnnotationMutationVariables>;
export const GalleryDocument = new TypedDocumentString(`
    query Gallery($after: String, $filter: GalleryFilterInput) {
  gallery(first: 12, after: $after, filter: $filter) {
    nodes {
      ...SurfaceSummaryFields
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment SurfaceSummaryFields on Surface {
  id
  name
  kind
  status
  pointsDone
  pointsTotal
  thumbnailUrl
  createdAt
  projectId
  tags
  model {
    id
    name
  }
  dataset {
    id
    name
  }
  statistics {
    loss {
      min
      max
    }
  }
  experiment {
    id
    name
  }
}`) as unknown as TypedDocumentString<GalleryQuery, GalleryQueryVariables>;
export const CompareDocument = new TypedDocumentString(`
    query Compare($ids: [ID!]!, $metric: Metric!) {
  compare(ids: $ids, metric: $metric) {
    min
    max
    sameGrid
    surfaces {
      ...SurfaceFields
    }
  }
}
    fragment SurfaceSummaryFields on Surface {
  id
  name
  kind
  status
  pointsDone
  pointsTotal
  thumbnailUrl
  createdAt
  projectId
  tags
  model {
    id
    name
  }
  dataset {
    id
    name
  }
  statistics {
    loss {
      min
      max
    }
  }
  experiment {
    id
    name
  }
}
fragment SurfaceFields on Surface {
  ...SurfaceSummaryFields
  myRole
  xs
  ys
  errorMessage
  valuesUrl
  notes
  testDatasetId
  testDataset {
    id
    name
  }
  project {
    id
    name
    visibility
  }
  params {
    x {
      min
      max
      count
    }
    y {
      min
      max
      count
    }
    norm
    ignore
    samples
    seed
    checkpointStep
    directionsFrom
    fitPath
    equalAspect
    lanczosSteps
    tolerance
    runningStats
  }
  criticalPoints(minPersistence: 0) {
    kind
    i
    j
    x
    y
    value
    persistence
  }
  path {
    step
    x
    y
    distance
    fromFinal
    offPlaneFraction
  }
  explainedVariance
  modelPositions {
    name
    x
    y
    runningStatsOf
    loss
    ownLoss
    accuracy
    ownAccuracy
  }
  statistics {
    loss {
      min
      max
    }
    accuracy {
      min
      max
    }
    testLoss {
      min
      max
    }
    testAccuracy {
      min
      max
    }
    nonConvexity
    lambdaMax {
      min
      max
      mean
    }
    lambdaMin {
      min
      max
      mean
    }
    ratio {
      min
      max
      mean
    }
    unconvergedPoints
    lanczosSteps {
      min
      max
      mean
    }
  }
}`) as unknown as TypedDocumentString<CompareQuery, CompareQueryVariables>;
export const ModelDownloadsDocument = new TypedDocumentString(`
    query ModelDownloads($id: ID!) {
  model(id: $id) {
    downloads {
      name
      url
    }
  }
}
    `) as unknown as TypedDocumentString<ModelDownloadsQuery, ModelDownloadsQueryVariables>;
export const DatasetDownloadsDocument = new TypedDocumentString(`
    query DatasetDownloads($id: ID!) {
  dataset(id: $id) {
    downloads {
      name
      url
    }
  }
}
    `) as unknown as TypedDocumentString<DatasetDownloadsQuery, DatasetDownloadsQueryVariables>;
export const SurfaceSeriesDocument = new TypedDocumentString(`
    query SurfaceSeries($id: ID!) {
  surface(id: $id) {
    series {
      ...SeriesFrameFields
    }
    model {
      checkpoints(first: 51) {
        nodes {
          step
        }
      }
    }
  }
}
    fragment SeriesFrameFields on Surface {
  id
  status
  pointsDone
  pointsTotal
  params {
    checkpointStep
  }
}`) as unknown as TypedDocumentString<SurfaceSeriesQuery, SurfaceSeriesQueryVariables>;
export const CreateTrainingSeriesDocument = new TypedDocumentString(`
    mutation CreateTrainingSeries($id: ID!) {
  createTrainingSeries(surfaceId: $id) {
    ok
    error {
      ...MutationErrorFields
    }
    surfaces {
      id
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<CreateTrainingSeriesMutation, CreateTrainingSeriesMutationVariables>;
export const ExperimentsInProgressDocument = new TypedDocumentString(`
    query ExperimentsInProgress {
  experimentsInProgress(first: 12) {
    nodes {
      ...PreparingExperimentFields
    }
  }
}
    fragment PreparingExperimentFields on Experiment {
  id
  name
  status
  projectId
  runs {
    role
    status
    stepsDone
    stepsTotal
  }
  surfaces {
    status
    pointsDone
    pointsTotal
  }
}`) as unknown as TypedDocumentString<ExperimentsInProgressQuery, ExperimentsInProgressQueryVariables>;
export const FeaturedComparisonDocument = new TypedDocumentString(`
    query FeaturedComparison {
  featuredComparison {
    contrast
    experiment {
      id
      name
    }
    surfaces {
      id
      name
      thumbnailUrl
      statistics {
        nonConvexity
      }
    }
  }
}
    `) as unknown as TypedDocumentString<FeaturedComparisonQuery, FeaturedComparisonQueryVariables>;
export const ProjectTrainingDocument = new TypedDocumentString(`
    query ProjectTraining($id: ID!) {
  trainingRuns(projectId: $id, first: 100) {
    nodes {
      ...TrainingRunSummaryFields
    }
  }
  experiments(projectId: $id, first: 100) {
    nodes {
      ...ExperimentSummaryFields
    }
  }
}
    fragment TrainingRunSummaryFields on TrainingRun {
  id
  name
  projectId
  status
  stepsDone
  stepsTotal
  role
  createdAt
  finishedAt
}
fragment ExperimentSummaryFields on Experiment {
  id
  name
  kind
  status
  projectId
  createdAt
  runs {
    id
    status
    stepsDone
    stepsTotal
    role
  }
}`) as unknown as TypedDocumentString<ProjectTrainingQuery, ProjectTrainingQueryVariables>;
export const TrainingContextDocument = new TypedDocumentString(`
    query TrainingContext($id: ID!) {
  project(id: $id) {
    id
    name
    myRole
  }
  models(projectId: $id, first: 100) {
    nodes {
      id
      name
      parameterCount
      trainableCount
      bufferCount
    }
  }
  datasets(projectId: $id, first: 100) {
    nodes {
      id
      name
      rows
    }
  }
}
    `) as unknown as TypedDocumentString<TrainingContextQuery, TrainingContextQueryVariables>;
export const TrainingRunDocument = new TypedDocumentString(`
    query TrainingRun($id: ID!) {
  trainingRun(id: $id) {
    ...TrainingRunFields
  }
}
    fragment TrainingRunSummaryFields on TrainingRun {
  id
  name
  projectId
  status
  stepsDone
  stepsTotal
  role
  createdAt
  finishedAt
}
fragment TrainingRunFields on TrainingRun {
  ...TrainingRunSummaryFields
  datasetId
  testDatasetId
  modelId
  errorCode
  errorMessage
  architecture {
    kind
    depth
    width
    residual
    channels
    blocks
    downsample
    modelId
  }
  options {
    optimizer
    learningRate
    batchSize
    weightDecay
    epochs
    seed
    checkpointEvery
    samples
  }
  curve {
    step
    epoch
    trainLoss
    trainAccuracy
    testLoss
    testAccuracy
  }
}`) as unknown as TypedDocumentString<TrainingRunQuery, TrainingRunQueryVariables>;
export const StartTrainingDocument = new TypedDocumentString(`
    mutation StartTraining($input: StartTrainingInput!) {
  startTraining(input: $input) {
    ok
    error {
      ...MutationErrorFields
    }
    run {
      id
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<StartTrainingMutation, StartTrainingMutationVariables>;
export const CancelTrainingDocument = new TypedDocumentString(`
    mutation CancelTraining($id: ID!) {
  cancelTraining(id: $id) {
    ok
    error {
      ...MutationErrorFields
    }
    run {
      ...TrainingRunFields
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}
fragment TrainingRunSummaryFields on TrainingRun {
  id
  name
  projectId
  status
  stepsDone
  stepsTotal
  role
  createdAt
  finishedAt
}
fragment TrainingRunFields on TrainingRun {
  ...TrainingRunSummaryFields
  datasetId
  testDatasetId
  modelId
  errorCode
  errorMessage
  architecture {
    kind
    depth
    width
    residual
    channels
    blocks
    downsample
    modelId
  }
  options {
    optimizer
    learningRate
    batchSize
    weightDecay
    epochs
    seed
    checkpointEvery
    samples
  }
  curve {
    step
    epoch
    trainLoss
    trainAccuracy
    testLoss
    testAccuracy
  }
}`) as unknown as TypedDocumentString<CancelTrainingMutation, CancelTrainingMutationVariables>;
export const TrainingProgressDocument = new TypedDocumentString(`
    subscription TrainingProgress($id: ID!) {
  trainingProgress(id: $id) {
    ...TrainingRunFields
  }
}
    fragment TrainingRunSummaryFields on TrainingRun {
  id
  name
  projectId
  status
  stepsDone
  stepsTotal
  role
  createdAt
  finishedAt
}
fragment TrainingRunFields on TrainingRun {
  ...TrainingRunSummaryFields
  datasetId
  testDatasetId
  modelId
  errorCode
  errorMessage
  architecture {
    kind
    depth
    width
    residual
    channels
    blocks
    downsample
    modelId
  }
  options {
    optimizer
    learningRate
    batchSize
    weightDecay
    epochs
    seed
    checkpointEvery
    samples
  }
  curve {
    step
    epoch
    trainLoss
    trainAccuracy
    testLoss
    testAccuracy
  }
}`) as unknown as TypedDocumentString<TrainingProgressSubscription, TrainingProgressSubscriptionVariables>;
export const ExperimentDocument = new TypedDocumentString(`
    query Experiment($id: ID!) {
  experiment(id: $id) {
    ...ExperimentFields
  }
}
    fragment SurfaceSummaryFields on Surface {
  id
  name
  kind
  status
  pointsDone
  pointsTotal
  thumbnailUrl
  createdAt
  projectId
  tags
  model {
    id
    name
  }
  dataset {
    id
    name
  }
  statistics {
    loss {
      min
      max
    }
  }
  experiment {
    id
    name
  }
}
fragment TrainingRunSummaryFields on TrainingRun {
  id
  name
  projectId
  status
  stepsDone
  stepsTotal
  role
  createdAt
  finishedAt
}
fragment TrainingRunFields on TrainingRun {
  ...TrainingRunSummaryFields
  datasetId
  testDatasetId
  modelId
  errorCode
  errorMessage
  architecture {
    kind
    depth
    width
    residual
    channels
    blocks
    downsample
    modelId
  }
  options {
    optimizer
    learningRate
    batchSize
    weightDecay
    epochs
    seed
    checkpointEvery
    samples
  }
  curve {
    step
    epoch
    trainLoss
    trainAccuracy
    testLoss
    testAccuracy
  }
}
fragment ExperimentFields on Experiment {
  id
  name
  kind
  status
  projectId
  createdAt
  caption
  datasetId
  runs {
    ...TrainingRunFields
  }
  surfaces {
    ...SurfaceSummaryFields
  }
  pairs {
    title
    sides {
      role
      runId
      testError
      testLoss
    }
    panels {
      kind
      normalization
      surfaces {
        id
        name
        kind
        status
        pointsDone
        pointsTotal
        thumbnailUrl
        statistics {
          basinWidth
        }
      }
    }
  }
  curve {
    id
    name
    status
    phase
    stepsDone
    stepsTotal
    pointsDone
    pointsTotal
    errorMessage
    values {
      curveBarriers {
        trainLoss
        trainAccuracy
      }
      lineBarriers {
        trainLoss
        trainAccuracy
      }
    }
  }
}`) as unknown as TypedDocumentString<ExperimentQuery, ExperimentQueryVariables>;
export const StartExperimentDocument = new TypedDocumentString(`
    mutation StartExperiment($input: StartExperimentInput!) {
  startExperiment(input: $input) {
    ok
    error {
      ...MutationErrorFields
    }
    experiment {
      id
    }
  }
}
    fragment MutationErrorFields on MutationError {
  code
  message
  field
}`) as unknown as TypedDocumentString<StartExperimentMutation, StartExperimentMutationVariables>;
export const ExperimentCaptionDocument = new TypedDocumentString(`
    query ExperimentCaption($id: ID!) {
  experiment(id: $id) {
    id
    name
    caption
    runs {
      id
      role
    }
    surfaces {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<ExperimentCaptionQuery, ExperimentCaptionQueryVariables>;