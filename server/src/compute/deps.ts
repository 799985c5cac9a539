/** What every job of the worker runs with. */
import type { Pool } from "../db/pool.js";
import type { Logger } from "../logger.js";
import type { Queue } from "../queue/queue.js";
import type { ObjectStore } from "../storage/object-store.js";

export interface ComputeDeps {
  pool: Pool;
  store: ObjectStore;
  queue: Queue;
  log: Logger;
  workerId: string;
  backend: "tensorflow-gpu" | "tensorflow" | "wasm" | "cpu";
  /** Starts of a tile or a preparation whose worker died before the surface is failed (default 3). */
  attempts?: number;
  /**
   * Test hook (WORKER_TEST_CRASH_SURFACE), never set in production: the worker process exits
   * when it takes a tile of a surface with this name, as a worker killed by running out of
   * memory would.
   */
  testCrashSurface?: string;
}

/** Worker deaths on one piece of work before its computation is failed, when ComputeDeps.attempts is unset. */
export const DEFAULT_ATTEMPTS = 3;
