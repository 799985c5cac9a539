import type { SurfaceStatus } from "../api/types";

export function StatusBadge({ status, done, total }: { status: SurfaceStatus; done: number; total: number }) {
  const text = status === "RUNNING" ? `running ${total ? Math.floor((done / total) * 100) : 0}%` : status.toLowerCase();
  return <span className={`badge status-${status.toLowerCase()}`}>{text}</span>;
}
