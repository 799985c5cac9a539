/**
 * `npm run bench:scale [-- grid]`: points per second of one surface (51x51 by default) computed by
 * 1, 2 and 3 worker processes. Starts the real API (embedded PostgreSQL, file store, queue) in
 * this process and real `lossatlas worker` processes (wasm), computes the same plane once per
 * worker count, and checks that each run counted every point once and stored the same values to
 * the last bit. A benchmark, not a test: the numbers depend on the machine and its load (on two
 * cores, expect at most 2x).
 */
import "reflect-metadata";
import type { ChildProcess } from "node:child_process";
import os from "node:os";
import { TestClient, forkTestWorker, startTestApi } from "../testing/api.js";
import { benchProject } from "../testing/uploads.js";

const GRID = Number(process.argv[2] ?? 51);
const WORKER_COUNTS = [1, 2, 3];

async function main(): Promise<void> {
  const api = await startTestApi({ COMPUTE_SWEEP_SECONDS: "5" });
  const workers: ChildProcess[] = [];
  try {
    const client = new TestClient(api.url);
    await client.signUp("bench@example.org");
    const { projectId, modelId, datasetId } = await benchProject(client, "scale");

    const rows: string[][] = [];
    let reference: Buffer | undefined;
    for (const count of WORKER_COUNTS) {
      while (workers.length < count) workers.push(forkTestWorker(api));
      await until(async () => (await api.platform.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM workers WHERE stopped_at IS NULL AND last_heartbeat_at > now() - interval '5 seconds'`)).rows[0]!.n >= count, 120_000);
      const started = performance.now();
      const created = (
        await client.data(`mutation ($input: CreateSurfaceInput!) { createSurface(input: $input) { ok error { message } surface { id } } }`, {
          input: { projectId, modelId, datasetId, kind: "PLANE", name: `${count} workers`, params: { x: { min: -1, max: 1, count: GRID }, y: { min: -1, max: 1, count: GRID }, seed: 1 } },
        })
      ).createSurface;
      if (!created.ok) throw new Error(created.error.message);
      const id = created.surface.id as string;
      await until(async () => {
        const status = (await api.platform.pool.query<{ status: string; error_message: string | null }>(`SELECT status, error_message FROM surfaces WHERE id = $1`, [id])).rows[0]!;
        if (status.status === "failed") throw new Error(`surface failed: ${status.error_message}`);
        return status.status === "ready";
      }, 1_800_000);
      const seconds = (performance.now() - started) / 1000;
      const row = (
        await api.platform.pool.query<{ done: number; total: number; prefix: string; tiles: number; computed_by: number; tile_seconds: number }>(
          `SELECT s.points_done AS done, s.points_total AS total, s.storage_prefix AS prefix,
                  (SELECT count(*)::int FROM surface_tiles WHERE surface_id = s.id) AS tiles,
                  (SELECT count(DISTINCT worker_id)::int FROM surface_tiles WHERE surface_id = s.id) AS computed_by,
                  (SELECT extract(epoch FROM max(finished_at) - min(started_at))::float8 FROM surface_tiles WHERE surface_id = s.id) AS tile_seconds
             FROM surfaces s WHERE s.id = $1`,
          [id],
        )
      ).rows[0]!;
      const values = Buffer.from((await api.platform.store.get(`${row.prefix}values.bin`))!);
      reference ??= values;
      const same = values.equals(reference);
      if (row.done !== row.total || !same) throw new Error(`${count} workers: ${row.done}/${row.total} points counted, values ${same ? "equal" : "DIFFERENT"}`);
      rows.push([
        String(count),
        String(row.computed_by),
        String(row.tiles),
        seconds.toFixed(1),
        (row.total / seconds).toFixed(1),
        (row.total / row.tile_seconds).toFixed(1),
        same ? "yes" : "no",
      ]);
    }

    const header = ["workers", "used", "tiles", "seconds", "points/s", "tile points/s", "same bits"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join("  ");
    process.stdout.write(
      `\nOne ${GRID}x${GRID} plane (MLP 64-64-32-10, 1000 samples, wasm), ${os.availableParallelism()} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}\n` +
        "points/s: from queued to ready; tile points/s: from the first tile's start to the last tile's end\n\n" +
        `${line(header)}\n${rows.map(line).join("\n")}\n\n`,
    );
  } finally {
    for (const worker of workers) worker.kill("SIGKILL");
    await api.stop();
  }
}

async function until(condition: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:scale failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
