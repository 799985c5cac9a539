/** What every resolver receives: the process's services and this request's identity and logger. */
import type { Config } from "../config.js";
import type { Pool } from "../db/pool.js";
import type { Logger } from "../logger.js";
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
  /** True when the object store is the embedded one (one-machine mode). */
  embeddedStorage: boolean;
  startedAt: Date;
}

export interface Context {
  services: Services;
  requestId: string;
  log: Logger;
}
