/**
 * One model: its summary and the curvature of its loss (Hessian eigenvalues, trace and eigenvalue
 * density over a dataset), with a form to compute it on a worker and live progress while it runs.
 */
import { type FormEvent, useCallback, useState } from "react";
import type { ModelCurvatureFieldsFragment } from "../api/gql/graphql";
import { describeError, mutate } from "../api/graphql";
import { COMPUTE_CURVATURE, MODEL_CONTEXT, MODEL_PAGE } from "../api/model-ops";
import { useQuery } from "../api/use-query";
import { ErrorBox, Loading, Notice, ProgressBar } from "../components/feedback";
import { StatusBadge } from "../components/StatusBadge";
import { DensityPlot } from "../models/DensityPlot";
import { Link } from "../router";
import { useInterval } from "../training/status";
import { forwardFlopsWords, parameterWords } from "../components/parameter-count";

/** HVPs a curvature computation takes at most (the engine's plannedHvps with the defaults below). */
export function plannedHvps(dimension: number, topK: number, traceProbes: number, densityRuns: number, densitySteps = 30): number {
  return Math.min(Math.max(100, 4 * topK), dimension) + (traceProbes === 0 ? 0 : Math.min(traceProbes, dimension)) + densityRuns * Math.min(densitySteps, dimension);
}

const number = (v: number | null, digits = 4) => (v === null ? "—" : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(digits - 1) : v.toPrecision(digits));

export function ModelPage({ id }: { id: string }) {
  const page = useQuery(MODEL_PAGE, { id });
  const model = page.kind === "ready" ? page.data.model : null;
  const context = useQuery(MODEL_CONTEXT, model ? { projectId: model.projectId } : null);
  const running = model?.curvature?.status === "QUEUED" || model?.curvature?.status === "RUNNING";
  const reload = page.reload;
  useInterval(useCallback(() => reload(), [reload]), 2000, running);
  if (page.kind === "loading") return <Loading what="Loading the model" />;
  if (page.kind === "error") return <ErrorBox message={page.message} code={page.code} onRetry={page.reload} />;
  const m = page.data.model;
  const project = context.kind === "ready" ? context.data.project : null;
  const canWrite = project?.myRole === "OWNER" || project?.myRole === "EDITOR";
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const datasets = context.kind === "ready" ? context.data.datasets.nodes.filter((d) => size(d.inputShape) === size(m.inputShape)) : [];
  return (
    <section aria-labelledby="model-title">
      <p className="crumbs"><Link href="/projects">Projects</Link> / {project ? <Link href={`/projects/${project.id}`}>{project.name}</Link> : "…"} /</p>
      <h1 id="model-title">{m.name}</h1>
      <p className="muted">
        {[parameterWords(m), forwardFlopsWords(m)].filter(Boolean).join(" · ")} · {m.layers.length} layers · input [{m.inputShape.join(", ")}] · output [{m.outputShape.join(", ")}]
        {m.lossName ? ` · loss ${m.lossName}` : ""}
      </p>
      <h2>Curvature of the loss</h2>
      <p className="small muted">
        The Hessian of the mean loss over a dataset, with respect to the weights random directions move (biases and BatchNorm left out),
        from Hessian-vector products: its largest eigenvalues and λmin (Lanczos), |λmin/λmax| (Li et al. 2018, section 6),
        its trace (Hutchinson) and its eigenvalue density (stochastic Lanczos quadrature).
      </p>
      {m.curvature ? <CurvatureView curvature={m.curvature} datasetName={datasets.find((d) => d.id === m.curvature!.datasetId)?.name ?? null} /> : <p>Not computed yet.</p>}
      {canWrite && datasets.length > 0 && !running && (
        <h3>{m.curvature ? "Compute again" : "Compute"}</h3>
      )}
      {canWrite && datasets.length > 0 && !running && (
        <CurvatureForm modelId={m.id} datasets={datasets} onStarted={reload} last={m.curvature?.status === "READY" ? m.curvature : null} />
      )}
      {canWrite && context.kind === "ready" && datasets.length === 0 && <p className="muted">Add a dataset whose samples fit the model to compute its curvature.</p>}
    </section>
  );
}

function CurvatureView({ curvature: c, datasetName }: { curvature: ModelCurvatureFieldsFragment; datasetName: string | null }) {
  return (
    <div data-testid="curvature">
      <p>
        <StatusBadge status={c.status} done={c.hvpsDone} total={c.hvpsPlanned} /> over {c.samples.toLocaleString()} samples{datasetName ? ` of ${datasetName}` : ""}
      </p>
      {(c.status === "QUEUED" || c.status === "RUNNING") && (
        <p className="step-progress">
          <ProgressBar value={c.hvpsDone} max={c.hvpsPlanned} label="Hessian-vector products" />
          <span className="small muted">{c.hvpsDone} / {c.hvpsPlanned || "?"} Hessian-vector products</span>
        </p>
      )}
      {c.status === "FAILED" && <p className="error">{c.errorMessage}</p>}
      {c.status === "READY" && (
        <>
          <table className="table compact" aria-label="Curvature">
            <tbody>
              <tr><th scope="row">Largest eigenvalues</th><td data-testid="top-eigenvalues">{c.topEigenvalues.map((v) => number(v)).join(", ")}</td></tr>
              <tr><th scope="row">λmin</th><td>{number(c.lambdaMin)}</td></tr>
              <tr><th scope="row">|λmin / λmax|</th><td data-testid="eigen-ratio">{number(c.eigenRatio, 3)}</td></tr>
              <tr><th scope="row">Trace</th><td>{c.trace === null ? "—" : `${number(c.trace)}${c.traceStandardError ? ` ± ${number(c.traceStandardError, 2)}` : " (exact)"}`}</td></tr>
              <tr><th scope="row">Parameters</th><td>{c.dimension?.toLocaleString()}</td></tr>
              <tr>
                <th scope="row">Accuracy</th>
                <td data-testid="hvp-error">
                  {c.hvpErrorEstimate === null || c.hvpErrorEstimate === undefined
                    ? "no error estimate (computed with a single central difference)"
                    : `eigenvalues within about ${number(c.hvpErrorEstimate, 1)} × λmax (an upper estimate of the Hessian-vector products' error)`}
                  {c.eigenvaluesConverged === false && " · Lanczos stopped at its step cap before every eigenvalue converged"}
                </td>
              </tr>
              <tr><th scope="row">Cost</th><td>{c.hvpsDone} Hessian-vector products in {c.seconds?.toFixed(1)} s · {c.method} · {c.backend}</td></tr>
            </tbody>
          </table>
          {c.density && <DensityPlot x={c.density.x} density={c.density.density} nodes={c.density.nodes} />}
        </>
      )}
    </div>
  );
}

/**
 * Seconds a computation of `hvps` HVPs over `samples` samples should take, at the speed measured by
 * the model's last curvature (an HVP costs four gradients, in proportion to the samples; two in a
 * curvature computed with a single central difference, which has no error estimate); null without one.
 */
export function estimateSeconds(hvps: number, samples: number, last: { hvpsDone: number; seconds: number | null; samples: number; hvpErrorEstimate?: number | null } | null): number | null {
  if (!last || !last.seconds || last.hvpsDone === 0) return null;
  const gradientsThen = last.hvpErrorEstimate == null ? 2 : 4;
  return hvps * (last.seconds / last.hvpsDone) * (4 / gradientsThen) * (samples / last.samples);
}

function CurvatureForm({ modelId, datasets, onStarted, last }: {
  modelId: string; datasets: { id: string; name: string; rows: number }[]; onStarted: () => void; last: ModelCurvatureFieldsFragment | null;
}) {
  const [datasetId, setDatasetId] = useState(datasets[0]!.id);
  const [samples, setSamples] = useState(1000);
  const [topK, setTopK] = useState(5);
  const [probes, setProbes] = useState(30);
  const [runs, setRuns] = useState(3);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const rows = datasets.find((d) => d.id === datasetId)?.rows ?? samples;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await mutate(COMPUTE_CURVATURE, { input: { modelId, datasetId, samples: Math.min(samples, rows), topK, traceProbes: probes, densityRuns: runs } }, "computeModelCurvature");
      onStarted();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form wide" onSubmit={(e) => void submit(e)} aria-label="Compute the curvature">
      <label>Dataset <select value={datasetId} onChange={(e) => setDatasetId(e.target.value)}>{datasets.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}</select></label>
      <label>Samples <input type="number" min={1} max={10000} value={samples} onChange={(e) => setSamples(Number(e.target.value))} /></label>
      <label>Top eigenvalues <input type="number" min={1} max={20} value={topK} onChange={(e) => setTopK(Number(e.target.value))} /></label>
      <label>Trace probes <input type="number" min={0} max={200} value={probes} onChange={(e) => setProbes(Number(e.target.value))} /></label>
      <label>Density runs <input type="number" min={0} max={10} value={runs} onChange={(e) => setRuns(Number(e.target.value))} /></label>
      <p className="small muted" data-testid="curvature-cost">
        At most {plannedHvps(last?.dimension ?? Number.MAX_SAFE_INTEGER, topK, probes, runs)} Hessian-vector products, each four gradients over {Math.min(samples, rows).toLocaleString()} samples
        {(() => {
          const seconds = estimateSeconds(plannedHvps(last?.dimension ?? Number.MAX_SAFE_INTEGER, topK, probes, runs), Math.min(samples, rows), last);
          return seconds === null ? "." : `: about ${seconds < 90 ? `${Math.ceil(seconds)} s` : `${Math.ceil(seconds / 60)} min`} at the speed the workers measured last time on this model.`;
        })()}
      </p>
      <Notice message={error} tone="error" />
      <p className="actions"><button type="submit" disabled={busy}>{busy ? "Starting…" : "Compute curvature"}</button></p>
    </form>
  );
}
