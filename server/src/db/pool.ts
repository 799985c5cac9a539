/** The PostgreSQL connection pool of a process; every query of the service goes through `pg`. */
import pg from "pg";
import { StartupError, describeError } from "../errors.js";
import type { Logger } from "../logger.js";

export type Pool = pg.Pool;

/** The URL with its password masked, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "<unparsable URL>";
  }
}

/**
 * Opens a pool and proves it works with one round trip, so a wrong DATABASE_URL stops the process
 * at start with a clear message instead of failing the first request.
 */
export async function connectDatabase(url: string, log: Logger, options: { max?: number } = {}): Promise<Pool> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, connectionTimeoutMillis: 10_000 });
  // An idle client can lose its connection (database restart); pg reports it here, not to a caller.
  pool.on("error", (error) => log.warn({ err: error }, "idle PostgreSQL connection lost"));
  try {
    await pool.query("SELECT 1");
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new StartupError(`Could not connect to PostgreSQL at ${redactUrl(url)}: ${describeError(error) || "connection refused"}`);
  }
  return pool;
}
