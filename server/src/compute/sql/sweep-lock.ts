/** The PostgreSQL advisory lock that lets one API process at a time sweep for lost work. */
import type { Db } from "../../db/transaction.js";

/** The advisory lock key of the sweep ("lasw" in ASCII). */
const SWEEP_LOCK = 0x6c617377;

/** Takes the sweep's lock on this connection if no one holds it; false when another process does. */
export async function tryLockSweep(db: Db): Promise<boolean> {
  return Boolean((await db.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock($1) AS ok`, [SWEEP_LOCK])).rows[0]?.ok);
}

/** Releases the sweep's lock taken on this same connection. */
export async function unlockSweep(db: Db): Promise<void> {
  await db.query(`SELECT pg_advisory_unlock($1)`, [SWEEP_LOCK]);
}
