/**
 * Experiments still training or computing (the demo project's on a new installation), with their
 * progress, above the gallery: their surfaces appear in the gallery once training is done.
 */
import { useEffect, useState } from "react";
import type { PreparingExperimentFieldsFragment } from "../api/gql/graphql";
import { describeError, request } from "../api/graphql";
import { EXPERIMENTS_IN_PROGRESS } from "../api/series-ops";
import { Link } from "../router";
import { Notice, ProgressBar } from "./feedback";

export type PreparingExperiment = PreparingExperimentFieldsFragment;

/** Seconds between looks while something is still in progress. */
const POLL_MS = 3000;

/** Where an experiment stands, as done / total of its current phase and words for it. */
export function experimentProgress(e: PreparingExperiment): { done: number; total: number; words: string } {
  if (e.status === "TRAINING") {
    const done = e.runs.reduce((sum, r) => sum + r.stepsDone, 0);
    const total = e.runs.reduce((sum, r) => sum + (r.stepsTotal ?? 0), 0);
    const queued = e.runs.every((r) => r.status === "QUEUED");
    return { done, total, words: queued ? "waiting for a worker to train" : `training: ${done} of ${total || "?"} steps` };
  }
  const done = e.surfaces.reduce((sum, s) => sum + s.pointsDone, 0);
  const total = e.surfaces.reduce((sum, s) => sum + s.pointsTotal, 0);
  return { done, total, words: `computing surfaces: ${done} of ${total} points` };
}

export function InProgress() {
  const [items, setItems] = useState<PreparingExperiment[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    request(EXPERIMENTS_IN_PROGRESS, {}, controller.signal).then(
      (data) => {
        setItems(data.experimentsInProgress.nodes);
        setError(null);
        if (data.experimentsInProgress.nodes.length) timer = setTimeout(() => setTick((t) => t + 1), POLL_MS);
      },
      (e: unknown) => {
        if (controller.signal.aborted) return;
        setError(describeError(e));
        timer = setTimeout(() => setTick((t) => t + 1), POLL_MS * 3);
      },
    );
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [tick]);
  if (!items.length) return error ? <Notice message={`Progress of experiments is unavailable: ${error}`} tone="error" /> : null;
  return (
    <section className="preparing" aria-labelledby="preparing-title">
      <h2 id="preparing-title">Being prepared</h2>
      <ul className="plain-list">
        {items.map((e) => {
          const p = experimentProgress(e);
          return (
            <li key={e.id} data-testid="preparing">
              <Link href={`/experiments/${e.id}`}>{e.name}</Link>{" "}
              <span className="muted small">{p.words}</span>
              <ProgressBar value={p.done} max={p.total} label={`Progress of ${e.name}`} />
            </li>
          );
        })}
      </ul>
    </section>
  );
}
