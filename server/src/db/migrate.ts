/**
 * Numbered SQL migrations (`server/migrations/NNN.do.name.sql`), applied in order by postgrator and
 * recorded in `schemaversion`. An advisory lock makes concurrent starts (several API replicas)
 * apply each migration once.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import Postgrator from "postgrator";
import type { Pool } from "./pool.js";

/** Folder of the migration files, the same from `src/` (tests) and `dist/` (built). */
export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../migrations");

const MIGRATION_LOCK = 7_240_611; // any constant shared by every Loss Atlas process

/** Applies every pending migration; returns the versions it applied. */
export async function migrate(pool: Pool): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    const database = (await client.query<{ db: string }>("SELECT current_database() AS db")).rows[0]?.db ?? "";
    const postgrator = new Postgrator({
      migrationPattern: path.join(MIGRATIONS_DIR, "*.sql"),
      driver: "pg",
      database,
      schemaTable: "schemaversion",
      execQuery: (query: string) => client.query(query),
    });
    const applied = await postgrator.migrate();
    return applied.map((migration) => migration.version);
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
