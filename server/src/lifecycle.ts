/**
 * How every long-running process of Loss Atlas (`start`, `serve`, `worker`) stops. One path,
 * driven by SIGINT (Ctrl-C), SIGTERM (what `docker stop` and Kubernetes send) and SIGHUP alike:
 *
 * - the first signal begins the orderly stop (stop taking work and requests, let what is in
 *   flight finish within the grace period, hand the rest back to the queue, stop the database);
 * - a second signal given by a person (more than a second later: a signal to the whole process
 *   group can reach a process twice at once) means "now": the process exits at once with the
 *   conventional status (130 after SIGINT, 143 after SIGTERM, 129 after SIGHUP);
 * - whatever happens, the process is gone SHUTDOWN_GRACE_SECONDS + 1 s after the first signal.
 *
 * While a process is stopping, a database that goes away is part of stopping (Ctrl-C reaches the
 * embedded PostgreSQL together with the launcher), not an outage: `isStopping()` lets the code
 * that would log or retry a lost connection stay quiet instead.
 */
import type { Logger } from "./logger.js";

const STATUS: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
const SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

let stoppingSince: number | null = null;

/** True once this process has begun to stop. */
export function isStopping(): boolean {
  return stoppingSince !== null;
}

/**
 * Logs a failed database write of a job in flight: a warning, or, while stopping (Ctrl-C reaches
 * the embedded PostgreSQL too, and the job is handed back and run again), only at debug level.
 */
export function warnUnlessStopping(log: Pick<Logger, "warn" | "debug">, error: unknown, message: string): void {
  if (isStopping()) log.debug({ err: error }, `${message} while stopping`);
  else log.warn({ err: error }, message);
}

/** Marks the process as stopping (a signal, or a fatal error that stops everything). */
export function markStopping(): void {
  stoppingSince ??= performance.now();
}

/** Seconds since the stop began (0 when it has not), for the line that says the process stopped. */
export function secondsStopping(): number {
  return stoppingSince === null ? 0 : (performance.now() - stoppingSince) / 1000;
}

/** The exit status for a process stopped by `signal`. */
export function exitStatusOf(signal: NodeJS.Signals): number {
  return STATUS[signal] ?? 1;
}

export interface StopSignalOptions {
  /** Seconds the orderly stop may take before the process exits anyway (SHUTDOWN_GRACE_SECONDS). */
  readonly graceSeconds: number;
  /** What to print when a second signal or the deadline ends the process at once. */
  readonly write?: (line: string) => void;
}

/**
 * Calls `begin` once, on the first stop signal, and handles the later ones (see the module's
 * comment). Returns a function that removes the handlers (for tests).
 */
export function onStopSignals(begin: (signal: NodeJS.Signals) => void, options: StopSignalOptions): () => void {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  let first: { signal: NodeJS.Signals; at: number } | null = null;
  const handler = (signal: NodeJS.Signals) => {
    if (first) {
      if (Date.now() - first.at <= 1000) return;
      write("Stopping at once.");
      process.exit(exitStatusOf(signal));
    }
    first = { signal, at: Date.now() };
    markStopping();
    // The orderly stop is bounded: a part that hangs does not keep the process alive past its
    // supervisor's patience (Docker waits 10 s, then kills).
    setTimeout(() => {
      write(`The orderly stop took longer than ${options.graceSeconds} s; stopping at once.`);
      process.exit(exitStatusOf(signal));
    }, (options.graceSeconds + 1) * 1000).unref();
    begin(signal);
  };
  for (const signal of SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of SIGNALS) process.off(signal, handler);
  };
}
