/**
 * The worker process role: registers its compute backend, sends heartbeats, and takes jobs from
 * the queue. Runs alone on GPU nodes (`lossatlas worker`) or as a child of `lossatlas start`.
 */
import { type ResolvedEndpoints, openObjectStore } from "./api.js";
import { handBackInterrupted } from "./compute/hand-back.js";
import { takeJobs } from "./compute/take-jobs.js";
import { handBackTraining } from "./compute/training-job.js";
import { handBackCurves } from "./compute/curve-job.js";
import { ensureQueues } from "./jobs/definitions.js";
import type { Config } from "./config.js";
import { connectDatabase, isConnectionError, isDatabaseShutdown, logConnectionLoss } from "./db/pool.js";
import { StartupError, describeError } from "./errors.js";
import { secondsStopping } from "./lifecycle.js";
import type { Logger } from "./logger.js";
import { type Capabilities, detectCapabilities } from "./modules/workers/capabilities.js";
import { WorkerService } from "./modules/workers/worker.service.js";
import { startQueue } from "./queue/queue.js";
import { VERSION } from "./version.js";

export interface WorkerHandle {
  id: string;
  capabilities: Capabilities;
  stop(): Promise<void>;
}

export async function startWorker(config: Config, endpoints: ResolvedEndpoints, log: Logger): Promise<WorkerHandle> {
  let capabilities: Capabilities;
  try {
    capabilities = detectCapabilities(config.workers.backend);
  } catch (error) {
    throw new StartupError(describeError(error));
  }
  const pool = await connectDatabase(endpoints.databaseUrl, log, { max: 3 });
  const queue = await startQueue(endpoints.databaseUrl, log, { maintenance: false }).catch(async (error: unknown) => {
    await pool.end();
    throw error;
  });
  const registry = new WorkerService(pool);
  const id = await registry.register(capabilities, VERSION);
  const workerLog = log.child({ workerId: id });
  workerLog.info({ ...capabilities }, "worker registered");
  const store = await openObjectStore(config, endpoints.storage);
  // A worker may start before any API has created the queues.
  await ensureQueues(queue).catch((error: unknown) => workerLog.debug({ err: error }, "queues were being created elsewhere"));
  await takeJobs(
    {
      pool,
      store,
      queue,
      log: workerLog,
      workerId: id,
      backend: capabilities.backend,
      attempts: config.workers.attempts,
      ...(config.workers.testCrashSurface === undefined ? {} : { testCrashSurface: config.workers.testCrashSurface }),
    },
    capabilities.gpu,
  );

  const beat = setInterval(() => {
    registry.heartbeat(id).catch((error: unknown) => {
      if (isDatabaseShutdown(error)) logConnectionLoss(workerLog, error);
      else workerLog.warn({ err: error }, "heartbeat failed");
    });
  }, config.workers.heartbeatSeconds * 1000);

  let stopping: Promise<void> | undefined;
  return {
    id,
    capabilities,
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(beat);
        // Jobs in flight get the grace period less a margin for the rest of the stop (a tile takes
        // seconds); what is still running then is failed back to the queue, which runs it again.
        const graceMs = Math.max(1, config.workers.shutdownGraceSeconds - 3) * 1000;
        await queue.stop({ graceful: true, timeout: graceMs }).catch((error: unknown) => quietWhileStopping(workerLog, error, "queue stop failed"));
        store.destroy();
        // When the database went down first (Ctrl-C reaches the embedded one too), nothing can be
        // written: the launcher signs this worker off at its next start, and the queue finds its
        // jobs by their stopped heartbeats.
        try {
          const back = { ...(await handBackInterrupted(pool, id)), trainingRuns: await handBackTraining(pool), curves: await handBackCurves(pool) };
          if (back.tiles + back.preparations + back.trainingRuns + back.curves > 0) workerLog.info(back, "handed unfinished work back to the queue");
          await registry.signOff(id);
        } catch (error) {
          quietWhileStopping(workerLog, error, "could not sign off");
        }
        await pool.end().catch(() => undefined);
        workerLog.info({ seconds: Number(secondsStopping().toFixed(2)) }, "worker stopped");
      })()),
  };
}

/** A database that is gone while this process stops is expected (debug); anything else is a warning. */
function quietWhileStopping(log: Logger, error: unknown, message: string): void {
  if (isConnectionError(error)) log.debug({ reason: describeError(error) }, message);
  else log.warn({ err: error }, message);
}
