/**
 * One experiment: what it compares and what to look for, each side's training run with its small
 * loss curve, then the matching surfaces (or, for mode connectivity, the curve between the two
 * models); once they are all ready, the compare view (or the curve's page).
 */
import { EXPERIMENT_QUERY, TRAINING_CONTEXT } from "../api/training-ops";
import type { Experiment } from "../api/training-types";
import { useQuery } from "../api/use-query";
import { Empty, ErrorBox, Loading } from "../components/feedback";
import { StatusBadge } from "../components/StatusBadge";
import { Link, navigate } from "../router";
import { LossCurve } from "../training/LossCurve";
import { NormalizationPairs } from "../training/NormalizationPairs";
import { ExperimentBadge, experimentFinished, formatDate, RunBadge, StepProgress, useInterval } from "../training/status";
import { describeArchitecture, EXPERIMENT_KINDS } from "../training/training-form";

/** Where the finished experiment is looked at: the compare view, the one PCA plane of a trajectory, the plane whose series plays the landscape over training, or the curve between two minima. */
export function experimentView(e: Pick<Experiment, "id" | "kind" | "surfaces"> & { curve?: Experiment["curve"] }): { href: string; label: string } | null {
  if (e.curve) return e.curve.status === "READY" ? { href: `/curves/${e.curve.id}`, label: "Open the curve" } : null;
  // What filter normalization fixes is read pair by pair on its own page, each panel with its compare link.
  if (e.kind === "NORMALIZATION" || e.surfaces.length === 0 || e.surfaces.some((s) => s.status !== "READY")) return null;
  if (e.kind === "OVER_TRAINING") return { href: `/surfaces/${e.surfaces[0]!.id}`, label: "Open the landscape over training" };
  if (e.kind === "TRAJECTORY" || e.surfaces.length === 1) return { href: `/surfaces/${e.surfaces[0]!.id}`, label: "Open the PCA plane" };
  return { href: `/compare?ids=${e.surfaces.map((s) => s.id).join(",")}&experiment=${e.id}`, label: "Open in compare view" };
}

export function ExperimentPage({ id }: { id: string }) {
  const page = useQuery(EXPERIMENT_QUERY, { id });
  const project = useQuery(TRAINING_CONTEXT, page.kind === "ready" ? { id: page.data.experiment.projectId } : null);
  // Poll while its runs train or its surfaces compute.
  useInterval(page.reload, 2000, page.kind === "ready" && !experimentFinished(page.data.experiment.status));
  if (page.kind === "loading") return <Loading what="Loading the experiment" />;
  if (page.kind === "error") return <ErrorBox message={page.message} code={page.code} onRetry={page.reload} />;
  const e = page.data.experiment;
  const view = experimentView(e);
  const kind = EXPERIMENT_KINDS.find((k) => k.value === e.kind);
  const connectivity = e.kind === "CONNECTIVITY";
  return (
    <section aria-labelledby="experiment-title">
      <p className="crumbs"><Link href="/projects">Projects</Link> / <Link href={`/projects/${e.projectId}`}>{project.kind === "ready" ? project.data.project.name : "Project"}</Link> / experiment /</p>
      <div className="section-head">
        <h1 id="experiment-title">{e.name}</h1>
        <div className="actions">
          <ExperimentBadge status={e.status} />
          {view && <button type="button" className="primary" onClick={() => navigate(view.href)}>{view.label}</button>}
        </div>
      </div>
      <p className="muted small">{kind?.label} · started {formatDate(e.createdAt)}</p>
      <div className="callout caption" data-testid="experiment-caption">
        <strong>What to look for.</strong> {e.caption}
      </div>
      {e.status === "TRAINING" && <p className="muted" role="status">Training {e.runs.length === 1 ? "the model" : e.runs.length === 2 ? "both sides" : `its ${e.runs.length} networks`}; the {connectivity ? "curve between them is trained" : "surfaces are computed"} once training is done.</p>}
      {e.status === "COMPUTING" && <p className="muted" role="status">{connectivity ? "Training and evaluating the curve between the two minima…" : "Computing the surfaces…"}</p>}
      {e.status === "FAILED" && <ErrorBox message={`A run or ${connectivity ? "the curve" : "surface"} of this experiment failed; see below for which.`} />}

      <h2>Training runs</h2>
      <div className={`run-grid n${Math.min(e.runs.length, e.pairs ? 3 : 2)}`}>
        {e.runs.map((r) => (
          <article key={r.id} className="run-card" aria-label={r.role ?? r.name}>
            <header>
              <h3><Link href={`/training/${r.id}`}>{r.role ?? r.name}</Link></h3>
              <RunBadge status={r.status} done={r.stepsDone} total={r.stepsTotal} />
            </header>
            <p className="small muted">{describeArchitecture(r.architecture)}</p>
            <StepProgress done={r.stepsDone} total={r.stepsTotal} label={`Progress of ${r.role ?? r.name}`} />
            {r.status === "FAILED" && <ErrorBox message={r.errorMessage ?? "Training failed."} code={r.errorCode ?? undefined} />}
            <LossCurve id={`exp-run-${r.id}`} curve={r.curve} stepsTotal={r.stepsTotal} height={170} compact label={`Loss curve, ${r.role ?? r.name}`} />
          </article>
        ))}
      </div>

      {e.pairs ? <NormalizationPairs pairs={e.pairs} /> : connectivity ? <ExperimentCurve e={e} /> : <h2>Surfaces</h2>}
      {e.pairs || connectivity ? null : e.surfaces.length === 0 ? (
        <Empty>{e.status === "FAILED" ? "No surfaces: training did not finish." : "The surfaces are queued once every run has finished training."}</Empty>
      ) : (
        <table className="table" aria-label="Surfaces of the experiment">
          <thead><tr><th scope="col">Surface</th><th scope="col">Of</th><th scope="col" className="optional">Kind</th><th scope="col">Status</th></tr></thead>
          <tbody>
            {e.surfaces.map((s, k) => (
              <tr key={s.id}>
                <td><Link href={`/surfaces/${s.id}`}>{s.name}</Link></td>
                <td className="muted">{(s.kind === "EIGEN_RATIO" && e.runs.length > 0 ? e.runs[k % e.runs.length]?.role : e.runs[k]?.role) ?? s.model?.name}</td>
                <td className="optional">{s.kind === "EIGEN_RATIO" ? "eigen-ratio map" : s.kind.toLowerCase()}</td>
                <td><StatusBadge status={s.status} done={s.pointsDone} total={s.pointsTotal} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Barrier of a path as the caption states it: loss, and the accuracy's fall in points. */
const barrierText = (b: { trainLoss: number; trainAccuracy: number }) => `${Number(b.trainLoss.toPrecision(2))} (accuracy −${Number((b.trainAccuracy * 100).toPrecision(2))} points)`;

/** The connectivity experiment's curve: its progress, both barriers once evaluated, and a link to its page. */
function ExperimentCurve({ e }: { e: Experiment }) {
  const c = e.curve;
  return (
    <>
      <h2>Curve between the two minima</h2>
      {!c ? (
        <Empty>{e.status === "FAILED" ? "No curve: training did not finish, or the curve was deleted." : "The curve is trained once both runs have finished training."}</Empty>
      ) : (
        <table className="table" aria-label="Curve of the experiment">
          <thead><tr><th scope="col">Curve</th><th scope="col">Status</th><th scope="col">Barrier along the line</th><th scope="col">Barrier along the curve</th></tr></thead>
          <tbody>
            <tr>
              <td><Link href={`/curves/${c.id}`}>{c.name}</Link></td>
              <td>
                {c.phase === "EVALUATING" ? <StatusBadge status={c.status} done={c.pointsDone} total={c.pointsTotal ?? 0} /> : <StatusBadge status={c.status} done={c.stepsDone} total={c.stepsTotal ?? 0} />}
                {c.status === "FAILED" && c.errorMessage && <span className="small muted"> {c.errorMessage}</span>}
              </td>
              <td>{c.values ? barrierText(c.values.lineBarriers) : "–"}</td>
              <td>{c.values ? barrierText(c.values.curveBarriers) : "–"}</td>
            </tr>
          </tbody>
        </table>
      )}
    </>
  );
}
