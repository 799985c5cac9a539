/** What every resolver receives: the process's services and this request's caller, logger and loaders. */
import type DataLoader from "dataloader";
import type { Config } from "../config.js";
import type { Pool } from "../db/pool.js";
import type { Logger } from "../logger.js";
import type { AccountDeletionService } from "../modules/accounts/account-deletion.service.js";
import type { AccountsService, UserRecord } from "../modules/accounts/accounts.service.js";
import type { SessionsService } from "../modules/accounts/sessions.service.js";
import type { SsoService } from "../modules/accounts/sso.service.js";
import type { Actor } from "../modules/accounts/actor.js";
import type { AnnotationsService } from "../modules/annotations/annotations.service.js";
import type { DatasetRecord, DatasetsService } from "../modules/datasets/datasets.service.js";
import type { ExperimentRecord, ExperimentsService } from "../modules/experiments/experiments.service.js";
import type { HealthMonitor } from "../modules/health/health.service.js";
import type { RateLimits } from "../modules/accounts/rate-limits.js";
import type { EmailVerificationService } from "../modules/accounts/email-verification.service.js";
import type { PasswordResetService } from "../modules/accounts/password-reset.service.js";
import type { Outbox } from "../mail/outbox.js";
import type { ModelRecord, ModelsService } from "../modules/models/models.service.js";
import type { ProgressHub } from "../modules/surfaces/progress-hub.js";
import type { SurfacesService } from "../modules/surfaces/surfaces.service.js";
import type { SurfaceCostService } from "../modules/surfaces/surface-cost.service.js";
import type { InvitationsService } from "../modules/projects/invitations.service.js";
import type { OwnershipService } from "../modules/projects/ownership.service.js";
import type { ProjectsService } from "../modules/projects/projects.service.js";
import type { SharingService } from "../modules/projects/sharing.service.js";
import type { CompareLinksService } from "../modules/projects/compare-links.service.js";
import type { TrainingService } from "../modules/training/training.service.js";
import type { CurvesService } from "../modules/curves/curves.service.js";
import type { UploadsService } from "../modules/uploads/uploads.service.js";
import type { WorkerService } from "../modules/workers/worker.service.js";
import type { Queue } from "../queue/queue.js";
import type { ObjectStore } from "../storage/object-store.js";

/** Long-lived services of the API process, built once at start. */
export interface Services {
  config: Config;
  pool: Pool;
  store: ObjectStore;
  queue: Queue;
  workers: WorkerService;
  accounts: AccountsService;
  /** The caller's own sessions and password change. */
  sessions: SessionsService;
  /** Single sign-on with the OpenID Connect providers of OIDC_PROVIDERS. */
  sso: SsoService;
  accountDeletion: AccountDeletionService;
  passwordResets: PasswordResetService;
  emailVerification: EmailVerificationService;
  /** Outgoing email, sent after the answer (SMTP, or the log and `$DATA_DIR/mail`). */
  outbox: Outbox;
  projects: ProjectsService;
  /** Handing a project to a member. */
  ownership: OwnershipService;
  sharing: SharingService;
  compareLinks: CompareLinksService;
  invitations: InvitationsService;
  models: ModelsService;
  datasets: DatasetsService;
  uploads: UploadsService;
  surfaces: SurfacesService;
  /** The cost of a surface before it starts. */
  surfaceCost: SurfaceCostService;
  annotations: AnnotationsService;
  training: TrainingService;
  /** Curves between two models (mode connectivity). */
  curves: CurvesService;
  experiments: ExperimentsService;
  progress: ProgressHub;
  /** The health snapshot, refreshed in the background. */
  health: HealthMonitor;
  /** Per-address and per-account rate limits. */
  limits: RateLimits;
  /** True when the object store is the embedded one (one-machine mode). */
  embeddedStorage: boolean;
  /** Where users reach the service (PUBLIC_URL, or the bound port when a free one was asked for). */
  publicUrl: string;
  startedAt: Date;
}

/** Sets and clears the session cookie of the current HTTP response. */
export interface SessionCookie {
  /** The session secret sent with this request, if any. */
  current: string | undefined;
  set(secret: string): void;
  clear(): void;
}

/** Per-request batch loaders, so lists resolve related objects in one query each. */
export interface Loaders {
  users: DataLoader<string, UserRecord | undefined>;
  models: DataLoader<string, ModelRecord | undefined>;
  datasets: DataLoader<string, DatasetRecord | undefined>;
  /** Surface id to the experiment that made it. */
  experimentsBySurface: DataLoader<string, ExperimentRecord | undefined>;
}

export interface Context {
  services: Services;
  requestId: string;
  log: Logger;
  actor: Actor;
  /** View-only token of a share link (header `X-Share-Token`), if the caller holds one. */
  shareToken: string | undefined;
  session: SessionCookie;
  loaders: Loaders;
  /** The client's network address, and how to tell it when to come back. */
  client: ClientInfo;
  /** What this request may still send back (see graphql/limits.ts). */
  budget: ResponseBudget;
}

export interface ClientInfo {
  /** The address the request came from: the connection's, or what a proxy named in TRUST_PROXY forwarded. */
  address: string;
  /** The `User-Agent` header, when the client sent one (recorded with a new session). */
  userAgent?: string | undefined;
  /** Sends `Retry-After` with the response (HTTP only). */
  retryAfter(seconds: number): void;
}

/** Grid values a response may still carry; `values` fields spend it before loading anything. */
export interface ResponseBudget {
  values: number;
}
