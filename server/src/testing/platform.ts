/**
 * Real PostgreSQL and object storage for server tests: the same embedded components as
 * `lossatlas start`, on a temporary data folder and free loopback ports, migrated.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { migrate } from "../db/migrate.js";
import { type Pool, connectDatabase } from "../db/pool.js";
import { createLogger } from "../logger.js";
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from "../platform/embedded-postgres.js";
import { EMBEDDED_S3_KEYS, type EmbeddedS3Handle, startEmbeddedS3 } from "../platform/embedded-s3.js";
import { ObjectStore } from "../storage/object-store.js";

export interface TestPlatform {
  dataDir: string;
  postgres: EmbeddedPostgresHandle;
  objects: EmbeddedS3Handle;
  pool: Pool;
  store: ObjectStore;
  stop(): Promise<void>;
}

export const testLogger = createLogger("test", "silent");

export async function startTestPlatform(bucket = "lossatlas-test"): Promise<TestPlatform> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "lossatlas-unit-"));
  const postgres = await startEmbeddedPostgres(dataDir, 0, testLogger);
  const objects = await startEmbeddedS3(dataDir, 0);
  const pool = await connectDatabase(postgres.url, testLogger);
  await migrate(pool);
  const store = new ObjectStore({ endpoint: objects.endpoint, bucket, region: "us-east-1", forcePathStyle: true, ...EMBEDDED_S3_KEYS });
  await store.ensureBucket();
  return {
    dataDir,
    postgres,
    objects,
    pool,
    store,
    stop: async () => {
      store.destroy();
      await pool.end();
      await objects.stop().catch(() => undefined);
      await postgres.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
