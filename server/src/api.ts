/**
 * The API process role: database (with migrations), object storage, the queue, and the HTTP
 * server. Used alone by `lossatlas serve` and inside `lossatlas start`.
 */
import type { Config } from "./config.js";
import { migrate } from "./db/migrate.js";
import { type Pool, connectDatabase, isDatabaseShutdown, logConnectionLoss } from "./db/pool.js";
import { ensureQueues } from "./jobs/definitions.js";
import { StartupError } from "./errors.js";
import type { Services } from "./graphql/context.js";
import { createSchema } from "./graphql/schema.js";
import { startHttpServer } from "./http/app.js";
import type { Logger } from "./logger.js";
import { AccountsService } from "./modules/accounts/accounts.service.js";
import { DatasetsService } from "./modules/datasets/datasets.service.js";
import { ModelsService } from "./modules/models/models.service.js";
import { ProjectsService } from "./modules/projects/projects.service.js";
import { HealthMonitor } from "./modules/health/health.service.js";
import { RateLimits } from "./modules/accounts/rate-limits.js";
import { InvitationsService } from "./modules/projects/invitations.service.js";
import { SharingService } from "./modules/projects/sharing.service.js";
import { UploadsService } from "./modules/uploads/uploads.service.js";
import { WorkerService } from "./modules/workers/worker.service.js";
import { type Queue, startQueue } from "./queue/queue.js";
import { AnnotationsService } from "./modules/annotations/annotations.service.js";
import { ProgressHub } from "./modules/surfaces/progress-hub.js";
import { SurfacesService } from "./modules/surfaces/surfaces.service.js";
import { TrainingService } from "./modules/training/training.service.js";
import { ExperimentsService } from "./modules/experiments/experiments.service.js";
import { ObjectStore } from "./storage/object-store.js";

export interface ResolvedEndpoints {
  databaseUrl: string;
  storage: { endpoint: string; accessKeyId: string; secretAccessKey: string };
  /** Set in one-machine mode: the embedded store, exposed under /storage. */
  embeddedStorageEndpoint?: string;
}

export interface ApiHandle {
  port: number;
  services: Services;
  stop(): Promise<void>;
}

/** Endpoints from configuration alone (many-machine mode); a clear error when one is missing. */
export function configuredEndpoints(config: Config): ResolvedEndpoints {
  const { url } = config.database;
  const { endpoint, accessKeyId, secretAccessKey } = config.storage;
  const missing = [!url && "DATABASE_URL", !endpoint && "S3_ENDPOINT"].filter(Boolean);
  if (!url || !endpoint || !accessKeyId || !secretAccessKey) {
    throw new StartupError(`This command needs ${missing.join(" and ") || "S3 credentials"} set; \`lossatlas start\` runs everything on one machine without them`);
  }
  return { databaseUrl: url, storage: { endpoint, accessKeyId, secretAccessKey } };
}

/**
 * @param publicUrl the service's address as users reach it (known only after listening when a
 *   free port was asked for); the embedded store is public under `<publicUrl>/storage`.
 */
export function createObjectStore(config: Config, endpoints: ResolvedEndpoints, publicUrl: () => string = () => config.http.publicUrl): ObjectStore {
  const publicEndpoint =
    config.storage.publicEndpoint ?? (endpoints.embeddedStorageEndpoint ? () => `${publicUrl()}/storage` : endpoints.storage.endpoint);
  return new ObjectStore({
    endpoint: endpoints.storage.endpoint,
    publicEndpoint,
    accessKeyId: endpoints.storage.accessKeyId,
    secretAccessKey: endpoints.storage.secretAccessKey,
    bucket: config.storage.bucket,
    region: config.storage.region,
    forcePathStyle: config.storage.forcePathStyle,
  });
}

/** Every service of the API process, wired together. */
export function buildServices(parts: {
  config: Config;
  pool: Pool;
  store: ObjectStore;
  queue: Queue;
  progress: ProgressHub;
  log: Logger;
  embeddedStorage: boolean;
  publicUrl: string;
}): Services {
  const { config, pool, store, queue, log } = parts;
  const accounts = new AccountsService(pool, config.rateLimits.signInLockoutFailures);
  const projects = new ProjectsService(pool, accounts, store);
  const surfaces = new SurfacesService(pool, store, queue, projects);
  const training = new TrainingService(pool, queue, projects);
  const services: Services = {
    config,
    pool,
    store,
    queue,
    progress: parts.progress,
    workers: new WorkerService(pool),
    accounts,
    projects,
    sharing: new SharingService(pool, projects),
    invitations: new InvitationsService(pool, projects),
    models: new ModelsService(pool, store, projects),
    datasets: new DatasetsService(pool, store, projects),
    uploads: new UploadsService(pool, store, projects, config, log),
    surfaces,
    annotations: new AnnotationsService(pool, surfaces),
    training,
    experiments: new ExperimentsService(pool, projects, training),
    health: new HealthMonitor(() => services, config.health.refreshSeconds),
    limits: new RateLimits(config.rateLimits),
    embeddedStorage: parts.embeddedStorage,
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
    const store = createObjectStore(config, endpoints, () => publicUrl);
    cleanups.push(async () => store.destroy());
    await store.ensureBucket();
    const queue = await startQueue(endpoints.databaseUrl, log);
    cleanups.push(() => queue.stop({ graceful: true, timeout: 5000 }));
    await ensureQueues(queue);
    const progress = new ProgressHub(endpoints.databaseUrl, log);
    await progress.start();
    cleanups.push(() => progress.stop());
    const services = buildServices({ config, pool, store, queue, progress, log, embeddedStorage: endpoints.embeddedStorageEndpoint !== undefined, publicUrl });
    const schema = await createSchema();
    services.health.start();
    cleanups.push(async () => services.health.stop());
    const http = await startHttpServer(services, schema, log, { embeddedStorageEndpoint: endpoints.embeddedStorageEndpoint });
    cleanups.push(() => http.close());
    // Abandoned uploads give back their storage and quota; expired sessions go.
    const sweep = setInterval(() => {
      services.uploads.sweepExpired().catch((error: unknown) => log.warn({ err: error }, "sweeping expired uploads failed"));
      services.accounts.sweep().catch((error: unknown) => log.warn({ err: error }, "sweeping expired sessions failed"));
    }, 5 * 60_000);
    sweep.unref();
    cleanups.push(async () => clearInterval(sweep));
    // Asked for a free port without saying where users reach us: they reach us on that port.
    if (config.http.port === 0 && !config.http.publicUrlSet) publicUrl = `http://localhost:${http.port}`;
    services.publicUrl = publicUrl;
    return { port: http.port, services, stop: cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
