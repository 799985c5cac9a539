/**
 * What the named SQL operations of compute/ run on, and the one transaction helper they share.
 * Every operation takes a `Db` first: the pool, or a client inside the caller's transaction.
 */
import type pg from "pg";
import type { Pool } from "./pool.js";

/** A pool or a client: anything that runs a query. */
export type Db = Pick<pg.ClientBase, "query">;

/** Runs `work` in one transaction on its own connection; rolls back on any error. */
export async function transaction<T>(pool: Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
