/**
 * Real PostgreSQL and object storage for server tests: the same components as `lossatlas start`
 * (embedded PostgreSQL, the file store) on a temporary data folder and a free loopback port,
 * migrated. `storage: "s3"` puts objects in an S3-compatible server instead, over the S3 protocol.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { StorageLocation } from "../api.js";
import { migrate } from "../db/migrate.js";
import { type Pool, connectDatabase } from "../db/pool.js";
import { createLogger } from "../logger.js";
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from "../platform/embedded-postgres.js";
import { FileObjectStore } from "../storage/file-store.js";
import type { ObjectStore } from "../storage/object-store.js";
import { S3ObjectStore } from "../storage/s3-store.js";
import { TEST_S3_KEYS, type TestS3Handle, startTestS3 } from "./s3-server.js";

export interface TestPlatform {
  dataDir: string;
  postgres: EmbeddedPostgresHandle;
  /** Where the objects are, as the API and workers are configured with it. */
  storage: StorageLocation;
  /** A store on the same objects, for tests to look at what was written (cannot presign). */
  store: ObjectStore;
  pool: Pool;
  stop(): Promise<void>;
}

export const testLogger = createLogger("test", "silent");

export async function startTestPlatform(options: { bucket?: string; storage?: "files" | "s3" } = {}): Promise<TestPlatform> {
  const bucket = options.bucket ?? "lossatlas";
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "lossatlas-unit-"));
  const postgres = await startEmbeddedPostgres(dataDir, 0, testLogger);
  let s3: TestS3Handle | undefined;
  let storage: StorageLocation;
  let store: ObjectStore;
  if (options.storage === "s3") {
    s3 = await startTestS3(dataDir, 0);
    storage = { kind: "s3", endpoint: s3.endpoint, ...TEST_S3_KEYS };
    store = new S3ObjectStore({ endpoint: s3.endpoint, bucket, region: "us-east-1", forcePathStyle: true, ...TEST_S3_KEYS });
  } else {
    storage = { kind: "files", dir: path.join(dataDir, "store") };
    store = new FileObjectStore({ dir: storage.dir });
  }
  const pool = await connectDatabase(postgres.url, testLogger);
  await migrate(pool);
  await store.ensureBucket();
  return {
    dataDir,
    postgres,
    storage,
    store,
    pool,
    stop: async () => {
      store.destroy();
      await pool.end();
      await s3?.stop().catch(() => undefined);
      await postgres.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
