/**
 * Worker registry: workers register at start, send heartbeats, and sign off when they stop.
 * "Live" means a heartbeat within the configured timeout; a worker that died without signing off
 * simply ages out.
 */
import os from "node:os";
import type { Pool } from "../../db/pool.js";
import { isProcessAlive } from "../../platform/processes.js";
import type { Capabilities } from "./capabilities.js";

export interface WorkerRecord {
  id: string;
  hostname: string;
  pid: number;
  backend: string;
  device: string;
  gpu: boolean;
  version: string;
  startedAt: Date;
  lastHeartbeatAt: Date;
}

interface WorkerRow {
  id: string;
  hostname: string;
  pid: number;
  backend: string;
  device: string;
  gpu: boolean;
  version: string;
  started_at: Date;
  last_heartbeat_at: Date;
}

const toRecord = (row: WorkerRow): WorkerRecord => ({
  id: row.id,
  hostname: row.hostname,
  pid: row.pid,
  backend: row.backend,
  device: row.device,
  gpu: row.gpu,
  version: row.version,
  startedAt: row.started_at,
  lastHeartbeatAt: row.last_heartbeat_at,
});

export class WorkerService {
  constructor(private readonly pool: Pool) {}

  /** Records a starting worker process; returns its id. */
  async register(capabilities: Capabilities, version: string): Promise<string> {
    const result = await this.pool.query<{ id: string }>(
      `INSERT INTO workers (hostname, pid, backend, device, gpu, version) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [os.hostname(), process.pid, capabilities.backend, capabilities.device, capabilities.gpu, version],
    );
    const id = result.rows[0]?.id;
    if (!id) throw new Error("worker registration returned no id");
    return id;
  }

  async heartbeat(id: string): Promise<void> {
    await this.pool.query(`UPDATE workers SET last_heartbeat_at = now() WHERE id = $1`, [id]);
  }

  async signOff(id: string): Promise<void> {
    await this.pool.query(`UPDATE workers SET stopped_at = now() WHERE id = $1`, [id]);
  }

  /** Signs off workers registered from this host whose process no longer exists. */
  async signOffDeadLocal(): Promise<number> {
    const result = await this.pool.query<{ id: string; pid: number }>(
      `SELECT id, pid FROM workers WHERE stopped_at IS NULL AND hostname = $1`,
      [os.hostname()],
    );
    const dead = result.rows.filter((row) => !isProcessAlive(row.pid)).map((row) => row.id);
    if (dead.length) await this.pool.query(`UPDATE workers SET stopped_at = now() WHERE id = ANY($1::uuid[])`, [dead]);
    return dead.length;
  }

  /**
   * Workers with a heartbeat in the last `timeoutSeconds`, newest first.
   * @param limit at most this many (default 100).
   * @param after the (startedAt, id) of the last worker of the previous page.
   */
  async live(timeoutSeconds: number, limit = 100, after: { createdAt: Date; id: string } | null = null): Promise<WorkerRecord[]> {
    const result = await this.pool.query<WorkerRow>(
      `SELECT id, hostname, pid, backend, device, gpu, version, started_at, last_heartbeat_at
         FROM workers
        WHERE stopped_at IS NULL AND last_heartbeat_at > now() - make_interval(secs => $1)
          AND ($3::timestamptz IS NULL OR (started_at, id) < ($3, $4::uuid))
        ORDER BY started_at DESC, id DESC
        LIMIT $2`,
      [timeoutSeconds, limit, after?.createdAt ?? null, after?.id ?? null],
    );
    return result.rows.map(toRecord);
  }
}
