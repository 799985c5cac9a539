/** Status badges and progress of runs and experiments, and a timer for pages that poll. */
import { useEffect } from "react";
import "./training.css";
import type { ExperimentStatus, TrainingStatus } from "../api/training-types";
import { ProgressBar } from "../components/feedback";
import { StatusBadge } from "../components/StatusBadge";

export const runFinished = (status: TrainingStatus) => status === "READY" || status === "FAILED" || status === "CANCELLED";
export const experimentFinished = (status: ExperimentStatus) => status === "READY" || status === "FAILED";

/** A run's statuses are a surface's (queued, running, ready, failed, cancelled); the percentage is of steps. */
export function RunBadge({ status, done, total }: { status: TrainingStatus; done: number; total: number | null }) {
  return <StatusBadge status={status} done={done} total={total ?? 0} />;
}

export function ExperimentBadge({ status }: { status: ExperimentStatus }) {
  return <span className={`badge status-${status.toLowerCase()}`}>{status.toLowerCase()}</span>;
}

/** A progress bar with "done / total steps" beside it. */
export function StepProgress({ done, total, label }: { done: number; total: number | null; label: string }) {
  return (
    <span className="step-progress">
      <ProgressBar value={done} max={total ?? 0} label={label} />
      <span className="small muted">{done.toLocaleString()} / {total === null ? "?" : total.toLocaleString()} steps</span>
    </span>
  );
}

/** Calls `tick` every `ms` while `active`. */
export function useInterval(tick: () => void, ms: number, active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(tick, ms);
    return () => window.clearInterval(timer);
  }, [tick, ms, active]);
}

export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
