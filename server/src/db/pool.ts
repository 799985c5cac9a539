/** The PostgreSQL connection pool of a process; every query of the service goes through `pg`. */
import pg from "pg";
import { StartupError, describeError } from "../errors.js";
import { isStopping } from "../lifecycle.js";
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
  // The pool makes new connections for later queries by itself.
  const report = throttledConnectionLog(log);
  pool.on("error", report);
  // pg takes its listener off a client while it is checked out; a client held between queries (a
  // transaction, a lock) whose connection drops would then throw from an event and end the
  // process. Its holder learns of the loss from its next query instead.
  pool.on("connect", (client) => client.on("error", report));
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

/** Errors of a database that cannot be reached (refused, reset, gone mid-query, starting up). */
export function isConnectionError(error: unknown): boolean {
  if (isDatabaseShutdown(error)) return true;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === "string" && (/^08/.test(code) || ["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN"].includes(code))) return true;
  return typeof message === "string" && /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(message);
}

/**
 * Logs a lost connection. When the database itself is going down (as when Ctrl-C reaches the
 * embedded PostgreSQL together with the launcher) that is a one-line notice, not an error.
 */
export function logConnectionLoss(log: Logger, error: unknown): void {
  // A process that is stopping expects its connections to close (the database may stop first).
  if (isStopping()) log.debug({ reason: describeError(error) }, "PostgreSQL connection closed while stopping");
  else if (isDatabaseShutdown(error)) log.info({ reason: (error as Error).message }, "PostgreSQL connection closed by the server");
  else if (isConnectionError(error)) log.warn({ reason: describeError(error) }, "PostgreSQL cannot be reached; retrying");
  else log.warn({ err: error }, "idle PostgreSQL connection lost");
}

/**
 * While the database is away, every poll of every queue fails the same way, several times a
 * second: the first failure of each kind is logged, then at most one line per `intervalMs` (default
 * 10 s) with the number of those not logged, so the log says what happened without filling a disk.
 */
export function throttledConnectionLog(log: Logger, intervalMs = 10_000): (error: unknown) => void {
  return throttled(log, (error) => logConnectionLoss(log, error), intervalMs);
}

/** `write`, called for the first error of each kind and then at most once per `intervalMs`. */
export function throttled(log: Logger, write: (error: unknown) => void, intervalMs = 10_000): (error: unknown) => void {
  const last = new Map<string, { at: number; skipped: number }>();
  return (error) => {
    const key = `${(error as { code?: unknown } | undefined)?.code ?? ""}:${describeError(error)}`;
    const now = Date.now();
    const seen = last.get(key);
    if (seen && now - seen.at < intervalMs) {
      seen.skipped++;
      return;
    }
    if (last.size > 100) last.clear();
    last.set(key, { at: now, skipped: 0 });
    if (seen?.skipped) log.info({ repeated: seen.skipped }, "the same error was repeated since the last line");
    write(error);
  };
}
