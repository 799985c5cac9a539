/** Structured logging for every process role (pino), one JSON line per event. */
import { pino, type Logger } from "pino";

export type { Logger };

/** Creates the root logger of a process; `role` names it in every line (api, worker, start). */
export function createLogger(role: string, level: string): Logger {
  return pino({ level, base: { role, pid: process.pid } });
}
