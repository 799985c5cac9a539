/**
 * An installation that ran on pg-boss: migration 029 carries its waiting and running jobs over to
 * the queue's own table (to run again) and drops the `pgboss` schema.
 */
import path from "node:path";
import Postgrator from "postgrator";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_DIR, migrate } from "../db/migrate.js";
import { type TestPlatform, startTestPlatform } from "../testing/platform.js";

describe("migration 029 on an installation that ran pg-boss", () => {
  let platform: TestPlatform;
  let legacy: pg.Pool;

  beforeAll(async () => {
    platform = await startTestPlatform();
    await platform.pool.query(`CREATE DATABASE legacy_queue`);
    const url = new URL(platform.postgres.url);
    url.pathname = "/legacy_queue";
    legacy = new pg.Pool({ connectionString: url.toString(), max: 2 });
  });

  afterAll(async () => {
    await legacy?.end();
    await platform?.stop();
  });

  it("queues again the jobs that were waiting or running, and drops the old schema", async () => {
    const client = await legacy.connect();
    try {
      const before = new Postgrator({
        migrationPattern: path.join(MIGRATIONS_DIR, "*.sql"),
        driver: "pg",
        database: "legacy_queue",
        schemaTable: "schemaversion",
        execQuery: (query: string) => client.query(query),
      });
      await before.migrate("028");
    } finally {
      client.release();
    }
    // The part of pg-boss 12's job table the migration reads.
    await legacy.query(`
      CREATE SCHEMA pgboss;
      CREATE TYPE pgboss.job_state AS ENUM ('created', 'retry', 'active', 'completed', 'cancelled', 'failed');
      CREATE TABLE pgboss.job (
        id uuid PRIMARY KEY, name text NOT NULL, priority integer NOT NULL DEFAULT 0, data jsonb,
        state pgboss.job_state NOT NULL, retry_count integer NOT NULL DEFAULT 0, singleton_key text,
        created_on timestamptz NOT NULL DEFAULT now());
      INSERT INTO pgboss.job (id, name, priority, data, state, retry_count, singleton_key, created_on) VALUES
        ('00000000-0000-4000-8000-000000000001', 'surface-tile', -40, '{"surfaceId": "00000000-0000-4000-8000-00000000000a", "tile": 3}', 'created', 0, 's:3', now() - interval '1 minute'),
        ('00000000-0000-4000-8000-000000000002', 'model-curvature', 0, '{"curvatureId": "00000000-0000-4000-8000-00000000000b"}', 'active', 2, 'c', now()),
        ('00000000-0000-4000-8000-000000000003', 'surface-finalize', 0, '{}', 'completed', 0, NULL, now()),
        ('00000000-0000-4000-8000-000000000004', 'curve-train', 0, '{}', 'failed', 5, NULL, now());
    `);
    await migrate(legacy);
    const jobs = await legacy.query<{ id: string; name: string; state: string; priority: number; retry_count: number; singleton_key: string | null; data: unknown }>(
      `SELECT id, name, state, priority, retry_count, singleton_key, data FROM queue_jobs ORDER BY id`,
    );
    expect(jobs.rows).toEqual([
      { id: "00000000-0000-4000-8000-000000000001", name: "surface-tile", state: "created", priority: -40, retry_count: 0, singleton_key: "s:3", data: { surfaceId: "00000000-0000-4000-8000-00000000000a", tile: 3 } },
      { id: "00000000-0000-4000-8000-000000000002", name: "model-curvature", state: "created", priority: 0, retry_count: 0, singleton_key: "c", data: { curvatureId: "00000000-0000-4000-8000-00000000000b" } },
    ]);
    const queues = await legacy.query<{ name: string; retry_limit: number; heartbeat_seconds: number }>(`SELECT name, retry_limit, heartbeat_seconds FROM queues ORDER BY name`);
    expect(queues.rows).toEqual([
      { name: "model-curvature", retry_limit: 5, heartbeat_seconds: 10 },
      { name: "surface-tile", retry_limit: 5, heartbeat_seconds: 10 },
    ]);
    expect((await legacy.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'pgboss'`)).rowCount).toBe(0);
  });
});
