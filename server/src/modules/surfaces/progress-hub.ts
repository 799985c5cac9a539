/**
 * Surface and training progress events, fanned out to subscribers in this API process. Workers announce every
 * finished tile and status change with `pg_notify('surface_progress')`; one LISTEN connection per
 * API process receives them, so any number of API replicas serve subscriptions. The same
 * connection hears `credential_ended` (migration 022: a session deleted, an API token revoked), so
 * the WebSockets opened with that credential close in whichever process holds them.
 */
import { EventEmitter, on } from "node:events";
import pg from "pg";
import { describeError } from "../../errors.js";
import { isDatabaseShutdown } from "../../db/pool.js";
import { isStopping } from "../../lifecycle.js";
import type { Logger } from "../../logger.js";

export interface ProgressNotice {
  surfaceId: string;
  /** The tile that just finished, or null for a change of status. */
  tile: number | null;
}

/** A training run's step count, curve or status changed. */
export interface TrainingNotice {
  runId: string;
}

/** A curve's steps, points, checkpoints or status changed. */
export interface CurveNotice {
  curveId: string;
}

/** How long a lost listener waits before it reports the loss and reconnects, in ms. */
const LOST_GRACE_MS = 1500;

export class ProgressHub {
  private readonly events = new EventEmitter();
  private client: pg.Client | undefined;
  private stopped = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly log: Logger,
  ) {
    this.events.setMaxListeners(0);
  }

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: "lossatlas-progress" });
    client.on("notification", (message) => {
      if (!message.payload) return;
      try {
        if (message.channel === "credential_ended") {
          this.events.emit(`credential:${message.payload}`);
          return;
        }
        const notice = JSON.parse(message.payload) as ProgressNotice & TrainingNotice & CurveNotice;
        if (message.channel === "training_progress") this.events.emit(`training:${notice.runId}`, notice);
        else if (message.channel === "curve_progress") this.events.emit(`curve:${notice.curveId}`, notice);
        else this.events.emit(notice.surfaceId, notice);
      } catch (error) {
        this.log.warn({ err: error }, "unreadable progress notice");
      }
    });
    client.on("error", (error) => {
      // Only a listener that was up reconnects; a failed connect is retried by its caller.
      if (this.client !== client) return;
      this.client = undefined;
      // Stopping, the database may go first: that is no reason to reconnect, or to say so.
      if (this.stopped || isStopping()) return;
      // Ctrl-C reaches the embedded PostgreSQL and this process at once, and PostgreSQL may close
      // the connection before this process has heard the signal (on a busy machine, a second
      // later): say so only if, a moment later, we are still not stopping, and a database that
      // shut down is a notice, as for the pool.
      const reason = describeError(error);
      const shutdown = isDatabaseShutdown(error);
      setTimeout(() => {
        if (this.stopped || isStopping()) return;
        if (shutdown) this.log.info({ reason }, "progress listener: PostgreSQL closed the connection; reconnecting");
        else this.log.warn({ reason }, "progress listener lost its connection; reconnecting");
        this.reconnect(1);
      }, LOST_GRACE_MS).unref();
    });
    try {
      await client.connect();
      await client.query("LISTEN surface_progress");
      await client.query("LISTEN training_progress");
      await client.query("LISTEN credential_ended");
      await client.query("LISTEN curve_progress");
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
  }

  /** Tries again after 1 s, 2 s, 4 s ... (at most 10 s) while the database is away. */
  private reconnect(attempt: number): void {
    const delay = Math.min(1000 * 2 ** (attempt - 1), 10_000);
    setTimeout(() => {
      if (this.stopped || isStopping()) return;
      this.start().then(
        () => this.log.info({ attempt }, "progress listener reconnected"),
        (error: unknown) => {
          if (this.stopped || isStopping()) return;
          if (attempt === 1 || attempt % 10 === 0) this.log.warn({ attempt, reason: describeError(error) }, "progress listener cannot reconnect yet");
          this.reconnect(attempt + 1);
        },
      );
    }, delay).unref();
  }

  /** Notices for one surface until `signal` aborts. */
  subscribe(surfaceId: string, signal: AbortSignal): AsyncIterable<ProgressNotice> {
    const events = this.events;
    return {
      async *[Symbol.asyncIterator]() {
        try {
          for await (const [notice] of on(events, surfaceId, { signal })) yield notice as ProgressNotice;
        } catch (error) {
          if ((error as Error).name !== "AbortError") throw error;
        }
      },
    };
  }

  /** Notices of one training run until `signal` aborts. */
  subscribeTraining(runId: string, signal: AbortSignal): AsyncIterable<TrainingNotice> {
    return this.subscribe(`training:${runId}`, signal) as unknown as AsyncIterable<TrainingNotice>;
  }

  /**
   * Calls `ended` once the session or API token whose SHA-256 is `credentialHash` (hex) ends;
   * returns what stops listening.
   */
  onCredentialEnded(credentialHash: string, ended: () => void): () => void {
    const name = `credential:${credentialHash}`;
    this.events.once(name, ended);
    return () => this.events.off(name, ended);
  }

  /** Notices of one curve until `signal` aborts. */
  subscribeCurve(curveId: string, signal: AbortSignal): AsyncIterable<CurveNotice> {
    return this.subscribe(`curve:${curveId}`, signal) as unknown as AsyncIterable<CurveNotice>;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => undefined);
  }
}
