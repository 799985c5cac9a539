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
  pool.on("error", (error) => logConnectionLoss(log, error));
  try {
    await pool.query("SELECT 1");
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new StartupError(`Could not connect to PostgreSQL at ${redactUrl(url)}: ${describeError(error) || "connection refused"}`);
  }
  return pool;
}

/** PostgreSQL's codes for "the server is shutting down or starting": expected, not a fault. */
export function isDatabaseShutdown(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === "57P01" || code === "57P02" || code === "57P03";
}

/**
 * Logs a lost connection. When the database itself is going down (as when Ctrl-C reaches the
 * embedded PostgreSQL together with the launcher) that is a one-line notice, not an error.
 */
export function logConnectionLoss(log: Logger, error: unknown): void {
  if (isDatabaseShutdown(error)) log.info({ reason: (error as Error).message }, "PostgreSQL connection closed by the server");
  else log.warn({ err: error }, "idle PostgreSQL connection lost");
}
