/** Loading, empty and error states, and a transient notice, shared by every page. */
import type { ReactNode } from "react";

export function Loading({ what = "Loading" }: { what?: string }) {
  return <p className="muted" role="status" aria-live="polite"><span className="spinner" aria-hidden="true" /> {what}…</p>;
}

export function ErrorBox({ message, code, onRetry }: { message: string; code?: string; onRetry?: () => void }) {
  return (
    <div className="callout error" role="alert">
      <strong>{message}</strong> {code && <code>{code}</code>}
      {onRetry && <button type="button" className="link-button" onClick={onRetry}>Try again</button>}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

export function Notice({ message, tone = "ok" }: { message: string | null; tone?: "ok" | "error" }) {
  if (!message) return null;
  return <p className={`notice ${tone}`} role={tone === "error" ? "alert" : "status"}>{message}</p>;
}

export function ProgressBar({ value, max, label }: { value: number; max: number; label: string }) {
  const pct = max > 0 ? Math.min(100, (value / max) * 100) : 0;
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)}>
      <div className="progress-fill" style={{ width: `${pct}%` }} />
    </div>
  );
}

/** Human size: 1.2 kB, 3.4 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toFixed(2)} GB`;
}
