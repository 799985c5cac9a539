/**
 * Waiting in tests on what the system reports, never on the clock: every wait reads a state until
 * it holds, and a wait that runs out says what it waited for and the last state it saw.
 */
import { vi } from "vitest";

export interface WaitOptions {
  /** How long to keep reading before failing, in milliseconds. Default 120 000. */
  timeoutMs?: number;
  /** Pause between reads, in milliseconds. Default 200. */
  intervalMs?: number;
}

/** Statuses after which a surface, training run, experiment or curvature no longer changes. */
export const SETTLED = ["READY", "FAILED", "CANCELLED"] as const;

/**
 * Reads `read` until `done` holds for what it returned, and returns that value. A read that throws
 * counts as not done (a request during a restart, say); when `timeoutMs` runs out, the error names
 * `what` and shows the last value read (or the last read's error).
 */
export function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, options: WaitOptions = {}): Promise<T> {
  const { timeoutMs = 120_000, intervalMs = 200 } = options;
  return vi.waitFor(
    async () => {
      let value: T;
      try {
        value = await read();
      } catch (error) {
        throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; the last read failed: ${(error as Error).message}`);
      }
      if (!done(value)) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; last seen: ${JSON.stringify(value)}`);
      return value;
    },
    { timeout: timeoutMs, interval: intervalMs },
  );
}

/** Reads `read` until it gives something other than `undefined`, and returns it (see `until`). */
export function untilDefined<T>(what: string, read: () => Promise<T | undefined>, options: WaitOptions = {}): Promise<T> {
  return until(what, read, (value) => value !== undefined, options) as Promise<T>;
}

/** Reads an object with a `status` until the status is one of `statuses` (by default, any settled one). */
export function untilStatus<T extends { status: string }>(
  what: string,
  read: () => Promise<T>,
  statuses: readonly string[] = SETTLED,
  options: WaitOptions = {},
): Promise<T> {
  return until(what, read, (value) => statuses.includes(value.status), options);
}
