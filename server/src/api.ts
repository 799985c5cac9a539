/**
 * The API process role: database (with migrations), object storage, the queue, and the HTTP
 * server. Used alone by `lossatlas serve` and inside `lossatlas start`.
 */
import type { Config } from "./config.js";
import { migrate } from "./db/migrate.js";
import { connectDatabase, isDatabaseShutdown, logConnectionLoss } from "./db/pool.js";
import { StartupError } from "./errors.js";
import type { Services } from "./graphql/context.js";
import { createSchema } from "./graphql/schema.js";
import { startHttpServer } from "./http/app.js";
import type { Logger } from "./logger.js";
import { AccountsService } from "./modules/accounts/accounts.service.js";
import { ProjectsService } from "./modules/projects/projects.service.js";
import { WorkerService } from "./modules/workers/worker.service.js";
import { startQueue } from "./queue/queue.js";
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

export function createObjectStore(config: Config, endpoints: ResolvedEndpoints): ObjectStore {
  return new ObjectStore({
    endpoint: endpoints.storage.endpoint,
    accessKeyId: endpoints.storage.accessKeyId,
    secretAccessKey: endpoints.storage.secretAccessKey,
    bucket: config.storage.bucket,
    region: config.storage.region,
    forcePathStyle: config.storage.forcePathStyle,
  });
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
    const store = createObjectStore(config, endpoints);
    cleanups.push(async () => store.destroy());
    await store.ensureBucket();
    const queue = await startQueue(endpoints.databaseUrl, log);
    cleanups.push(() => queue.stop({ graceful: true, timeout: 5000 }));
    const accounts = new AccountsService(pool);
    const services: Services = {
      config,
      pool,
      store,
      queue,
      workers: new WorkerService(pool),
      accounts,
      projects: new ProjectsService(pool, accounts),
      embeddedStorage: endpoints.embeddedStorageEndpoint !== undefined,
      startedAt: new Date(),
    };
    const schema = await createSchema();
    const http = await startHttpServer(services, schema, log, { embeddedStorageEndpoint: endpoints.embeddedStorageEndpoint });
    cleanups.push(() => http.close());
    return { port: http.port, services, stop: cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
