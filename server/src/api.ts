/**
 * The API process role: database (with migrations), object storage, the queue, and the HTTP
 * server. Used alone by `lossatlas serve` and inside `lossatlas start`.
 */
// First: the sweeper reaches modules whose classes carry type-graphql decorators.
import "reflect-metadata";
import type { Config } from "./config.js";
import { migrate } from "./db/migrate.js";
import { type Pool, connectDatabase, isDatabaseShutdown, logConnectionLoss } from "./db/pool.js";
import { sweepLostWork } from "./compute/sweeper.js";
import { ensureQueues } from "./jobs/definitions.js";
import { StartupError } from "./errors.js";
import type { Services } from "./graphql/context.js";
import { createSchema } from "./graphql/schema.js";
import { startHttpServer } from "./http/app.js";
import type { Logger } from "./logger.js";
import { AccountsService } from "./modules/accounts/accounts.service.js";
import { AccountDeletionService } from "./modules/accounts/account-deletion.service.js";
import { SessionsService } from "./modules/accounts/sessions.service.js";
import { SsoService } from "./modules/accounts/sso.service.js";
import { SurfaceCostService } from "./modules/surfaces/surface-cost.service.js";
import { OwnershipService } from "./modules/projects/ownership.service.js";
import { DatasetsService } from "./modules/datasets/datasets.service.js";
import { ModelsService } from "./modules/models/models.service.js";
import { ProjectsService } from "./modules/projects/projects.service.js";
import { HealthMonitor } from "./modules/health/health.service.js";
import { RateLimits } from "./modules/accounts/rate-limits.js";
import { InvitationsService } from "./modules/projects/invitations.service.js";
import { EmailVerificationService } from "./modules/accounts/email-verification.service.js";
import { PasswordResetService } from "./modules/accounts/password-reset.service.js";
import { sweepEmailTokens } from "./modules/accounts/email-tokens.js";
import { openMailer } from "./mail/open-mailer.js";
import { Outbox } from "./mail/outbox.js";
import { CompareLinksService } from "./modules/projects/compare-links.service.js";
import { SharingService } from "./modules/projects/sharing.service.js";
import { UploadsService } from "./modules/uploads/uploads.service.js";
import { UploadValidator } from "./modules/uploads/validation-process.js";
import { WorkerService } from "./modules/workers/worker.service.js";
import { type Queue, startQueue } from "./queue/queue.js";
import { AnnotationsService } from "./modules/annotations/annotations.service.js";
import { ProgressHub } from "./modules/surfaces/progress-hub.js";
import { SurfacesService } from "./modules/surfaces/surfaces.service.js";
import { TrainingService } from "./modules/training/training.service.js";
import { CurvesService } from "./modules/curves/curves.service.js";
import { ExperimentsService } from "./modules/experiments/experiments.service.js";
import { FileObjectStore } from "./storage/file-store.js";
import type { ObjectStore } from "./storage/object-store.js";
import { type StorageLocation, openObjectStore } from "./storage/open-store.js";

export { type StorageLocation, openObjectStore };

export interface ResolvedEndpoints {
  databaseUrl: string;
  storage: StorageLocation;
}

export interface ApiHandle {
  port: number;
  services: Services;
  stop(): Promise<void>;
}

/** The configured object store: S3 when `S3_ENDPOINT` is set, else the file store in `STORAGE_DIR`. */
export function configuredStorage(config: Config): StorageLocation | undefined {
  const { endpoint, accessKeyId, secretAccessKey, dir } = config.storage;
  if (endpoint && accessKeyId && secretAccessKey) return { kind: "s3", endpoint, accessKeyId, secretAccessKey };
  if (!endpoint && dir) return { kind: "files", dir };
  return undefined;
}

/** Endpoints from configuration alone (many-machine mode); a clear error when one is missing. */
export function configuredEndpoints(config: Config): ResolvedEndpoints {
  const { url } = config.database;
  const storage = configuredStorage(config);
  const missing = [!url && "DATABASE_URL", !storage && "S3_ENDPOINT"].filter(Boolean);
  if (!url || !storage) {
    throw new StartupError(`This command needs ${missing.join(" and ")} set; \`lossatlas start\` runs everything on one machine without them`);
  }
  return { databaseUrl: url, storage };
}

/** Every service of the API process, wired together. */
export function buildServices(parts: {
  config: Config;
  pool: Pool;
  store: ObjectStore;
  queue: Queue;
  progress: ProgressHub;
  log: Logger;
  publicUrl: string;
  /** Where the store's objects are, for the process that validates uploads. */
  storage: StorageLocation;
}): Services {
  const { config, pool, store, queue, log } = parts;
  const accounts = new AccountsService(pool, config.rateLimits.signInLockoutFailures, config.signIn.password);
  const projects = new ProjectsService(pool, accounts, store);
  const surfaces = new SurfacesService(pool, store, queue, projects, config.uploads.quotaBytes, config.workers.pointsInFlight);
  const curves = new CurvesService(pool, queue, projects, store, config.uploads.quotaBytes);
  const training = new TrainingService(pool, queue, projects, store, config.uploads.quotaBytes);
  const outbox = new Outbox(openMailer(config, log), log);
  // Links in emails start where users reach us, known only once listening when PORT is 0.
  const publicUrl = () => services.publicUrl;
  const services: Services = {
    config,
    pool,
    store,
    queue,
    progress: parts.progress,
    workers: new WorkerService(pool),
    accounts,
    sessions: new SessionsService(pool),
    sso: new SsoService(pool, accounts, config.signIn.oidcProviders, publicUrl),
    accountDeletion: new AccountDeletionService(pool, store),
    passwordResets: new PasswordResetService(pool, outbox, publicUrl),
    emailVerification: new EmailVerificationService(pool, outbox, publicUrl),
    outbox,
    projects,
    ownership: new OwnershipService(pool, projects),
    sharing: new SharingService(pool, projects),
    compareLinks: new CompareLinksService(pool, projects),
    invitations: new InvitationsService(pool, projects, { outbox, publicUrl }),
    models: new ModelsService(pool, store, projects, queue),
    datasets: new DatasetsService(pool, store, projects),
    uploads: new UploadsService(pool, store, projects, config, log, parts.storage, new UploadValidator(config, log)),
    surfaces,
    surfaceCost: new SurfaceCostService(pool, projects),
    training,
    curves,
    annotations: new AnnotationsService(pool, surfaces, curves),
    experiments: new ExperimentsService(pool, projects, training),
    health: new HealthMonitor(() => services, config.health.refreshSeconds),
    limits: new RateLimits(config.rateLimits),
    embeddedStorage: store instanceof FileObjectStore,
    publicUrl: parts.publicUrl,
    startedAt: new Date(),
  };
  return services;
}

export async function startApi(config: Config, endpoints: ResolvedEndpoints, log: Logger): Promise<ApiHandle> {
  const pool = await connectDatabase(endpoints.databaseUrl, log);
  const cleanups: (() => Promise<void>)[] = [() => pool.end()];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) {
      await step().catch((error: unknown) => {
        if (isDatabaseShutdown(error)) logConnectionLoss(log, error);
        else log.warn({ err: error }, "shutdown step failed");
      });
    }
  };
  try {
    const applied = await migrate(pool);
    if (applied.length) log.info({ applied }, "database migrated");
    let publicUrl = config.http.publicUrl;
    const store = await openObjectStore(config, endpoints.storage, { publicUrl: () => publicUrl, signing: true });
    cleanups.push(async () => store.destroy());
    await store.ensureBucket();
    const queue = await startQueue(endpoints.databaseUrl, log);
    cleanups.push(() => queue.stop({ graceful: true, timeout: 5000 }));
    await ensureQueues(queue);
    const progress = new ProgressHub(endpoints.databaseUrl, log);
    await progress.start();
    cleanups.push(() => progress.stop());
    const services = buildServices({ config, pool, store, queue, progress, log, publicUrl, storage: endpoints.storage });
    cleanups.push(async () => services.uploads.close());
    cleanups.push(() => services.outbox.close());
    const schema = await createSchema();
    services.health.start();
    cleanups.push(async () => services.health.stop());
    const http = await startHttpServer(services, schema, log);
    cleanups.push(() => http.close());
    // Abandoned uploads give back their storage and quota, objects no upload will read go (an S3
    // upload URL used again after completion writes one), and expired sessions go.
    const sweep = setInterval(() => {
      services.uploads
        .sweepExpired()
        .then(() => services.uploads.sweepOrphans())
        .catch((error: unknown) => log.warn({ err: error }, "sweeping expired uploads failed"));
      services.accounts.sweep().catch((error: unknown) => log.warn({ err: error }, "sweeping expired sessions failed"));
      services.sso.sweep().catch((error: unknown) => log.warn({ err: error }, "sweeping unfinished single sign-ons failed"));
      sweepEmailTokens(pool).catch((error: unknown) => log.warn({ err: error }, "sweeping expired email links failed"));
    }, 5 * 60_000);
    sweep.unref();
    cleanups.push(async () => clearInterval(sweep));
    // Work lost with a worker (or out of retries) is queued again, or its computation failed.
    const sweepDeps = { pool, queue, log, attempts: config.workers.attempts, graceSeconds: config.workers.sweepSeconds };
    let sweeping = false;
    const lostWork = setInterval(() => {
      if (sweeping) return;
      sweeping = true;
      sweepLostWork(sweepDeps)
        .catch((error: unknown) => log.warn({ err: error }, "sweeping lost work failed"))
        .finally(() => (sweeping = false));
    }, config.workers.sweepSeconds * 1000);
    lostWork.unref();
    cleanups.push(async () => clearInterval(lostWork));
    // Asked for a free port without saying where users reach us: they reach us on that port.
    if (config.http.port === 0 && !config.http.publicUrlSet) publicUrl = `http://localhost:${http.port}`;
    services.publicUrl = publicUrl;
    return { port: http.port, services, stop: cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
