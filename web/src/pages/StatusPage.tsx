import type { ComponentHealth, HealthData } from "../api/health";
import { type HealthState, useHealth } from "../api/use-health";

interface Props {
  /** Injected state for tests and stories; the page polls the API when absent. */
  state?: HealthState;
}

export function StatusPage({ state }: Props) {
  const polled = useHealth(5000, state === undefined);
  const current = state ?? polled;
  return (
    <section className="status" aria-labelledby="status-title">
      <h1 id="status-title">Service status</h1>
      {current.kind === "loading" && <p className="muted" role="status">Checking the service…</p>}
      {current.kind === "error" && (
        <div className="callout error" role="alert">
          <strong>Cannot read the service status.</strong> {current.message} <code>{current.code}</code>
        </div>
      )}
      {current.kind === "ready" && <HealthView health={current.health} checkedAt={current.checkedAt} />}
    </section>
  );
}

function HealthView({ health, checkedAt }: { health: HealthData; checkedAt: Date }) {
  const ok = health.status === "OK";
  const overall = (
    <p className={`overall ${ok ? "ok" : "bad"}`} data-testid="overall-status">
      {ok ? "All systems operational" : "Some components are not answering"}
      <span className="muted">
        {" "}
        {health.version !== null && `· version ${health.version} `}
        {health.uptimeSeconds !== null && `· up ${formatDuration(health.uptimeSeconds)} `}· checked {checkedAt.toLocaleTimeString()}
      </span>
    </p>
  );
  // Signed out, the service tells the overall status alone.
  if (!health.database || !health.storage || !health.queue || !health.workers) {
    return (
      <>
        {overall}
        <p className="muted" data-testid="status-details-hidden">Sign in to see each component, its latency and the connected workers.</p>
      </>
    );
  }
  return (
    <>
      {overall}
      <div className="cards">
        <Component title="Database" health={health.database} detail={`PostgreSQL ${health.database.serverVersion ?? "?"}${health.database.embedded ? " (embedded)" : ""}`} />
        <Component title="Object storage" health={health.storage} detail={`bucket ${health.storage.bucket}${health.storage.embedded ? " (embedded)" : ""}`} />
        <Component title="Job queue" health={health.queue} detail={`${health.queue.queued} queued · ${health.queue.active} running · ${health.queue.failed} failed`} />
      </div>
      <h2>Workers</h2>
      {health.workers.length === 0 ? (
        <p className="muted">No worker is connected: surfaces will wait in the queue until one starts (`npx lossatlas worker`).</p>
      ) : (
        <table className="workers">
          <thead>
            <tr>
              <th scope="col">Host</th>
              <th scope="col">Backend</th>
              <th scope="col">Device</th>
              <th scope="col">Last heartbeat</th>
            </tr>
          </thead>
          <tbody>
            {health.workers.map((worker) => (
              <tr key={worker.id}>
                <td>{worker.hostname}</td>
                <td>
                  <span className={`badge ${worker.gpu ? "gpu" : ""}`}>{worker.backend}</span>
                </td>
                <td>{worker.device}</td>
                <td>{new Date(worker.lastHeartbeatAt).toLocaleTimeString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function Component({ title, health, detail }: { title: string; health: ComponentHealth; detail: string }) {
  return (
    <article className={`card ${health.ok ? "ok" : "bad"}`} aria-label={`${title}: ${health.ok ? "ok" : "down"}`}>
      <header>
        <span className="dot" aria-hidden="true" />
        <h3>{title}</h3>
      </header>
      <p>{health.ok ? detail : health.error}</p>
      <p className="muted">{health.latencyMs.toFixed(1)} ms</p>
    </article>
  );
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.floor(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  return `${Math.floor(seconds / 86400)} d ${Math.floor((seconds % 86400) / 3600)} h`;
}
