/**
 * One training run: its settings, live progress (the trainingProgress subscription, or polling
 * when the socket fails), the loss curve growing as checkpoints arrive, and what to do with the
 * trained model.
 */
import { useCallback, useEffect, useState } from "react";
import type { CreateSurfaceInput } from "../api/gql/graphql";
import { describeError, mutate, request } from "../api/graphql";
import { CREATE_SURFACE } from "../api/ops";
import { subscribe } from "../api/subscribe";
import { CANCEL_TRAINING, TRAINING_CONTEXT, TRAINING_PROGRESS, TRAINING_RUN_QUERY } from "../api/training-ops";
import type { TrainingRun } from "../api/training-types";
import { useQuery } from "../api/use-query";
import { ErrorBox, Loading, Notice } from "../components/feedback";
import { Link, navigate } from "../router";
import { LossCurve } from "../training/LossCurve";
import { formatDate, RunBadge, runFinished, StepProgress, useInterval } from "../training/status";
import { describeArchitecture, OPTIMIZERS } from "../training/training-form";
import { parameterWords } from "../components/parameter-count";

/**
 * The PCA plane made from a run: the trajectory experiment's small grid, its ranges fitted to the
 * path when the worker has projected the checkpoints (the -2..2 given is only a placeholder).
 */
export function pcaSurfaceInput(run: Pick<TrainingRun, "projectId" | "modelId" | "datasetId" | "name" | "options">): CreateSurfaceInput {
  const params: CreateSurfaceInput["params"] = { x: { min: -2, max: 2, count: 21 }, y: { min: -2, max: 2, count: 21 }, fitPath: true };
  if (run.options.samples) params.samples = run.options.samples;
  // Offered once the run is ready, when its trained model exists.
  return { projectId: run.projectId, kind: "PCA", modelId: run.modelId!, datasetId: run.datasetId, params, name: `PCA plane of ${run.name}` };
}

/**
 * Of two answers about a run, the later one: answers may arrive out of order (the first query and
 * the subscription race), and a run only ever moves forward.
 */
export function latestRun(old: TrainingRun | null, next: TrainingRun): TrainingRun {
  if (!old || old.id !== next.id) return next;
  if (runFinished(old.status) !== runFinished(next.status)) return runFinished(old.status) ? old : next;
  if (next.stepsDone < old.stepsDone || next.curve.length < old.curve.length) return old;
  return next;
}

/** The run as the page shows it: the latest of what the query, the subscription or a poll answered. */
function useLiveRun(id: string) {
  const [run, setRun] = useState<TrainingRun | null>(null);
  const [error, setError] = useState<{ message: string; code?: string } | null>(null);
  const [live, setLive] = useState<"connecting" | "live" | "polling">("connecting");
  const load = useCallback(() => {
    request(TRAINING_RUN_QUERY, { id }).then(
      (data) => { setRun((old) => latestRun(old, data.trainingRun)); setError(null); },
      (e: unknown) => setError({ message: describeError(e), code: (e as { code?: string }).code }),
    );
  }, [id]);
  useEffect(() => {
    load();
    // The subscription's first event is the whole run; later ones follow every checkpoint.
    return subscribe(
      TRAINING_PROGRESS,
      { id },
      (data) => { setRun((old) => latestRun(old, data.trainingProgress)); setLive("live"); },
      () => setLive("polling"),
    );
  }, [id, load]);
  useInterval(load, 2000, live === "polling" && run !== null && !runFinished(run.status));
  return { run, setRun, error, live, reload: load };
}

export function TrainingRunPage({ id }: { id: string }) {
  const { run, setRun, error, live, reload } = useLiveRun(id);
  const context = useQuery(TRAINING_CONTEXT, run ? { id: run.projectId } : null);
  const [notice, setNotice] = useState<{ message: string; tone: "ok" | "error" } | null>(null);
  const [busy, setBusy] = useState(false);
  if (!run) return error ? <ErrorBox message={error.message} code={error.code} onRetry={reload} /> : <Loading what="Loading the training run" />;
  const ctx = context.kind === "ready" ? context.data : null;
  const canWrite = ctx?.project.myRole === "OWNER" || ctx?.project.myRole === "EDITOR";
  const datasetName = (datasetId: string | null) => (datasetId ? ctx?.datasets.nodes.find((d) => d.id === datasetId)?.name ?? "a dataset" : "none");
  const model = run.modelId ? ctx?.models.nodes.find((m) => m.id === run.modelId) : undefined;
  const o = run.options;
  const cancel = async () => {
    setBusy(true);
    try {
      const payload = await mutate(CANCEL_TRAINING, { id: run.id }, "cancelTraining");
      setRun(payload.run!);
      setNotice({ message: "Training stopped.", tone: "ok" });
    } catch (e) {
      setNotice({ message: describeError(e), tone: "error" });
    }
    setBusy(false);
  };
  const pcaPlane = async () => {
    setBusy(true);
    try {
      const payload = await mutate(CREATE_SURFACE, { input: pcaSurfaceInput(run) }, "createSurface");
      navigate(`/surfaces/${payload.surface!.id}`);
    } catch (e) {
      setNotice({ message: describeError(e), tone: "error" });
      setBusy(false);
    }
  };
  const active = !runFinished(run.status);
  return (
    <section aria-labelledby="run-title">
      <p className="crumbs">
        <Link href="/projects">Projects</Link> / <Link href={`/projects/${run.projectId}`}>{ctx?.project.name ?? "Project"}</Link> / training /
      </p>
      <div className="section-head">
        <h1 id="run-title">{run.name}</h1>
        <div className="actions">
          <RunBadge status={run.status} done={run.stepsDone} total={run.stepsTotal} />
          {canWrite && active && <button type="button" className="danger" disabled={busy} onClick={() => void cancel()}>Cancel</button>}
        </div>
      </div>
      {run.role && <p className="muted">Role in its experiment: <strong>{run.role}</strong></p>}
      <Notice message={notice?.message ?? null} tone={notice?.tone} />
      <div className="live" data-testid="run-progress">
        <StepProgress done={run.stepsDone} total={run.stepsTotal} label="Training progress" />
        <span className="small muted" role="status">
          {run.status === "QUEUED" ? "Waiting for a worker…" : active ? (live === "polling" ? "Updating every 2 s (the live connection failed)." : "Live") : run.finishedAt ? `Finished ${formatDate(run.finishedAt)}` : ""}
        </span>
      </div>
      {run.status === "FAILED" && <ErrorBox message={run.errorMessage ?? "Training failed."} code={run.errorCode ?? undefined} />}
      {run.status === "CANCELLED" && <p className="callout">This run was cancelled; checkpoints saved before that are kept.</p>}

      <h2>Loss curve</h2>
      <LossCurve id={`run-${run.id}`} curve={run.curve} stepsTotal={run.stepsTotal} label={`Loss curve of ${run.name}`} />

      {run.status === "READY" && (
        <div className="callout ok next-steps">
          <p>
            Trained model{model ? <> <strong>{model.name}</strong> ({parameterWords(model, true)})</> : null} is in the project{" "}
            <Link href={`/projects/${run.projectId}`}>{ctx?.project.name ?? "of this run"}</Link>, with its checkpoints.
          </p>
          {canWrite && (
            <p className="actions">
              <button type="button" className="primary" disabled={busy || !run.modelId} onClick={() => void pcaPlane()}>PCA plane of this run</button>
              <Link className="button" href={`/projects/${run.projectId}/new-surface`}>Create another surface of it</Link>
            </p>
          )}
        </div>
      )}

      <h2>Settings</h2>
      <dl className="settings">
        <dt>Architecture</dt><dd>{describeArchitecture(run.architecture, ctx?.models.nodes.find((m) => m.id === run.architecture.modelId)?.name)}</dd>
        <dt>Training data</dt><dd>{datasetName(run.datasetId)}{o.samples ? `, ${o.samples.toLocaleString()} samples` : ""}</dd>
        <dt>Test data</dt><dd>{datasetName(run.testDatasetId)}</dd>
        <dt>Optimizer</dt><dd>{OPTIMIZERS.find((x) => x.value === o.optimizer)?.label ?? "SGD"}, learning rate {o.learningRate ?? 0.05}</dd>
        <dt>Batch size</dt><dd>{o.batchSize ?? 32}</dd>
        <dt>Weight decay</dt><dd>{o.weightDecay ?? 0}</dd>
        <dt>Epochs</dt><dd>{o.epochs ?? 5}</dd>
        <dt>Checkpoints</dt><dd>{o.checkpointEvery ? `every ${o.checkpointEvery} steps` : "once per epoch"}</dd>
        <dt>Seed</dt><dd>{o.seed ?? 0}</dd>
        <dt>Created</dt><dd>{formatDate(run.createdAt)}</dd>
      </dl>
    </section>
  );
}
