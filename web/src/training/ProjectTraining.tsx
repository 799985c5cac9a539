/** The project page's "Training runs" and "Experiments" sections, with their forms for editors. */
import { PROJECT_TRAINING } from "../api/training-ops";
import type { Dataset, Model } from "../api/types";
import { useQuery } from "../api/use-query";
import { Empty, ErrorBox, Loading } from "../components/feedback";
import { Link } from "../router";
import { EXPERIMENT_KINDS } from "./training-form";
import { ExperimentForm, TrainForm } from "./TrainingForms";
import { ExperimentBadge, experimentFinished, formatDate, RunBadge, runFinished, StepProgress, useInterval } from "./status";

export function ProjectTraining({ projectId, canWrite, datasets, models }: { projectId: string; canWrite: boolean; datasets: Dataset[]; models: Model[] }) {
  const list = useQuery(PROJECT_TRAINING, { id: projectId });
  const active = list.kind === "ready" && (list.data.trainingRuns.nodes.some((r) => !runFinished(r.status)) || list.data.experiments.nodes.some((e) => !experimentFinished(e.status)));
  // Keep statuses and progress current while anything trains or computes.
  useInterval(list.reload, 3000, active);
  return (
    <>
      <h2>Training runs</h2>
      {list.kind === "loading" && <Loading what="Loading training runs" />}
      {list.kind === "error" && <ErrorBox message={list.message} code={list.code} onRetry={list.reload} />}
      {list.kind === "ready" && (list.data.trainingRuns.nodes.length === 0 ? (
        <Empty>{canWrite ? "No training runs yet: train a model below, or run an experiment." : "No training runs yet."}</Empty>
      ) : (
        <table className="table" aria-label="Training runs">
          <thead><tr><th scope="col">Run</th><th scope="col">Status</th><th scope="col">Progress</th><th scope="col" className="optional">Role</th><th scope="col" className="optional">Created</th></tr></thead>
          <tbody>
            {list.data.trainingRuns.nodes.map((r) => (
              <tr key={r.id}>
                <td><Link href={`/training/${r.id}`}>{r.name}</Link></td>
                <td><RunBadge status={r.status} done={r.stepsDone} total={r.stepsTotal} /></td>
                <td><StepProgress done={r.stepsDone} total={r.stepsTotal} label={`Progress of ${r.name}`} /></td>
                <td className="muted optional">{r.role ?? "–"}</td>
                <td className="muted optional">{formatDate(r.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
      {canWrite && (
        <details className="panel">
          <summary>Train a model</summary>
          <TrainForm projectId={projectId} datasets={datasets} models={models} />
        </details>
      )}

      <h2>Experiments</h2>
      {list.kind === "loading" && <Loading what="Loading experiments" />}
      {list.kind === "error" && <ErrorBox message={list.message} code={list.code} onRetry={list.reload} />}
      {list.kind === "ready" && (list.data.experiments.nodes.length === 0 ? (
        <Empty>{canWrite ? "No experiments yet: run one of the paper's comparisons below." : "No experiments yet."}</Empty>
      ) : (
        <table className="table" aria-label="Experiments">
          <thead><tr><th scope="col">Experiment</th><th scope="col">Status</th><th scope="col">Progress</th><th scope="col" className="optional">Runs</th><th scope="col" className="optional">Created</th></tr></thead>
          <tbody>
            {list.data.experiments.nodes.map((e) => {
              const done = e.runs.reduce((s, r) => s + r.stepsDone, 0);
              const total = e.runs.every((r) => r.stepsTotal !== null) ? e.runs.reduce((s, r) => s + (r.stepsTotal ?? 0), 0) : null;
              return (
                <tr key={e.id}>
                  <td><Link href={`/experiments/${e.id}`}>{e.name}</Link> <span className="muted small">{EXPERIMENT_KINDS.find((k) => k.value === e.kind)?.label}</span></td>
                  <td><ExperimentBadge status={e.status} /></td>
                  <td><StepProgress done={done} total={total} label={`Training progress of ${e.name}`} /></td>
                  <td className="muted optional">{e.runs.map((r) => r.role ?? "run").join(" · ")}</td>
                  <td className="muted optional">{formatDate(e.createdAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ))}
      {canWrite && (
        <details className="panel">
          <summary>Run an experiment</summary>
          <ExperimentForm projectId={projectId} datasets={datasets} />
        </details>
      )}
    </>
  );
}
