/** The form that queues a surface, with an estimate of the work before it starts. */
import { type FormEvent, useMemo, useState } from "react";
import { describeError, mutate } from "../api/graphql";
import { MAP_LANCZOS_STEPS, mapCostSentence } from "./EigenRatioPage";
import { CREATE_SURFACE, EIGEN_RATIO_COST, PROJECT_PAGE, SURFACE_COST } from "../api/ops";
import { formatDuration } from "./StatusPage";
import type { CreateSurfaceInput, Normalization, RunningStatsMode, SurfaceParamsInput } from "../api/gql/graphql";
import type { SurfaceKind } from "../api/types";
import { useQuery } from "../api/use-query";
import { ErrorBox, Loading } from "../components/feedback";
import { Link, navigate } from "../router";
import { formatCount, parameterWords } from "../components/parameter-count";

/**
 * Grid points x evaluated samples, and forward-pass FLOPs: the model's own count per sample, or 2
 * per weight for a model stored before it was counted (the server's estimate, until it answers).
 */
export function estimateWork(points: number, samples: number, model: { parameterCount: number; flopsPerSample?: number | null }): { evaluations: number; flops: number } {
  return { evaluations: points * samples, flops: (model.flopsPerSample ?? 2 * model.parameterCount) * points * samples };
}

/**
 * The server's estimate of a surface's cost in a sentence: FLOPs per point and in all and, when
 * the workers computed anything lately, the time at their recent FLOP rate.
 */
export function surfaceCostSentence(cost: { samples: number; testSamples?: number; flopsPerPoint: number; totalFlops: number; estimatedSeconds?: number | null }, points: number): string {
  // With a test set, both sets' samples are evaluated at every point.
  const test = cost.testSamples ?? 0;
  const samples = test > 0 ? `(${(cost.samples - test).toLocaleString()} training + ${test.toLocaleString()} test) samples` : `${cost.samples.toLocaleString()} samples`;
  const work = `${points.toLocaleString()} grid points × ${samples}, about ${formatCount(cost.flopsPerPoint)}FLOP per point (${formatCount(cost.totalFlops)}FLOP in all)`;
  if (cost.estimatedSeconds == null) return `${work}; the workers computed nothing lately to estimate the time from.`;
  return `${work}: about ${formatDuration(Math.max(1, cost.estimatedSeconds))} of the workers' time at the speed they reached in the last ten minutes, besides the wait for its turn.`;
}

const KINDS: { value: SurfaceKind; label: string }[] = [
  { value: "PLANE", label: "2D plane (random filter-normalized directions)" },
  { value: "LINE", label: "1D slice" },
  { value: "INTERPOLATION", label: "1D interpolation between two models" },
  { value: "PCA", label: "PCA plane of the training trajectory (needs checkpoints)" },
  { value: "EIGEN_RATIO", label: "Eigen-ratio map: the Hessian's λmax, λmin and |λmin/λmax| over a random plane" },
];

/** What BatchNorm's running mean and variance do along an interpolation (RunningStatsMode). */
const RUNNING_STATS_CHOICES: { value: RunningStatsMode; label: string }[] = [
  { value: "MOVE" as RunningStatsMode, label: "move with the weights, from model A's to model B's" },
  { value: "HOLD_A" as RunningStatsMode, label: "stay model A's (only the weights move)" },
  { value: "HOLD_B" as RunningStatsMode, label: "stay model B's (only the weights move)" },
];

/** Eigen-ratio maps start small: every point costs up to `lanczosSteps` Hessian-vector products. */
const EIGEN_RATIO_GRID = 7;
/** Points of a plane's axes by default. */
const PLANE_POINTS = 21;
/**
 * Points of a 1D slice and of an interpolation by default: a curve costs a plane's row, and a
 * figure's line wants more points than a plane's axis (Li et al.'s Figure 2 samples t finely).
 */
export const LINE_POINTS = 51;
export const INTERPOLATION_POINTS = 61;

/** The a axis's default points for a kind of surface. */
export function defaultPoints(kind: SurfaceKind): number {
  return kind === "LINE" ? LINE_POINTS : kind === "INTERPOLATION" ? INTERPOLATION_POINTS : kind === "EIGEN_RATIO" ? EIGEN_RATIO_GRID : PLANE_POINTS;
}

/** A dataset's name in a select, with its rows unless the name says them. */
const rowsLabel = (d: { name: string; rows: number }) => (d.name.includes(String(d.rows)) ? d.name : `${d.name} (${d.rows.toLocaleString()} rows)`);

export function NewSurfacePage({ projectId }: { projectId: string }) {
  const page = useQuery(PROJECT_PAGE, { id: projectId });
  const [kind, setKind] = useState<SurfaceKind>("PLANE");
  const [modelId, setModelId] = useState("");
  const [datasetId, setDatasetId] = useState("");
  const [testDatasetId, setTestDatasetId] = useState("");
  const [range, setRange] = useState({ xMin: -1, xMax: 1, xCount: PLANE_POINTS, yMin: -1, yMax: 1, yCount: PLANE_POINTS });
  const [samples, setSamples] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [lanczosSteps, setLanczosSteps] = useState(MAP_LANCZOS_STEPS);
  // PCA planes: the ranges follow the optimizer's path by default (nobody knows its extent before
  // the checkpoints are projected); unticked, the ranges typed here are kept.
  const [fitPath, setFitPath] = useState(true);
  const [equalAspect, setEqualAspect] = useState(false);
  const fitted = kind === "PCA" && fitPath;
  const is2d = kind === "PLANE" || kind === "PCA" || kind === "EIGEN_RATIO";
  // Planes, lines and eigen-ratio maps run along seeded random directions; PCA planes and
  // interpolations get theirs from the checkpoints or the two models.
  const randomDirections = kind !== "PCA" && kind !== "INTERPOLATION";
  const chooseKind = (next: SurfaceKind) => {
    // A count still at the last kind's default follows the new kind's; one typed in stays.
    setRange((r) => {
      const xCount = r.xCount === defaultPoints(kind) ? defaultPoints(next) : r.xCount;
      if (next === "EIGEN_RATIO") return { ...r, xCount: Math.min(xCount, EIGEN_RATIO_GRID), yCount: Math.min(r.yCount, EIGEN_RATIO_GRID) };
      return { ...r, xCount, yCount: r.yCount === EIGEN_RATIO_GRID && kind === "EIGEN_RATIO" ? PLANE_POINTS : r.yCount };
    });
    setKind(next);
  };
  const models = page.kind === "ready" ? page.data.models.nodes : [];
  const datasets = page.kind === "ready" ? page.data.datasets.nodes : [];
  const model = models.find((m) => m.id === modelId) ?? models[0];
  const dataset = datasets.find((d) => d.id === datasetId) ?? datasets[0];
  // A held-out test set: another dataset with samples of the same shape and the same classes.
  const testChoices = dataset ? datasets.filter((d) => d.id !== dataset.id && d.inputShape.join("x") === dataset.inputShape.join("x") && d.classes === dataset.classes) : [];
  const testDataset = kind === "EIGEN_RATIO" ? undefined : testChoices.find((d) => d.id === testDatasetId);
  // Directions uploaded for the model (PyTorch's own, say): a plane or line can run along them.
  const uploadedDirections = model?.directions?.nodes ?? [];
  const points = range.xCount * (is2d ? range.yCount : 1);
  const estimate = useMemo(
    () => estimateWork(points, Math.min(dataset?.rows ?? 0, Number(samples) || Number.POSITIVE_INFINITY), model ?? { parameterCount: 0 }),
    [points, dataset, samples, model],
  );
  const surfaceCost = useQuery(
    SURFACE_COST,
    kind !== "EIGEN_RATIO" && model && dataset ? { modelId: model.id, datasetId: dataset.id, points, samples: Number(samples) || null, testDatasetId: testDataset?.id ?? null } : null,
  );
  const cost = useQuery(
    EIGEN_RATIO_COST,
    kind === "EIGEN_RATIO" && model && dataset ? { modelId: model.id, datasetId: dataset.id, points, lanczosSteps, samples: Number(samples) || null } : null,
  );
  if (page.kind === "loading") return <Loading what="Loading models and datasets" />;
  if (page.kind === "error") return <ErrorBox message={page.message} code={page.code} onRetry={page.reload} />;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // The submit button stays disabled until a model and a dataset are chosen.
    if (!model || !dataset) return;
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const params: SurfaceParamsInput = {
        x: { min: range.xMin, max: range.xMax, count: range.xCount },
        seed: Number(form.get("seed") || 0),
      };
      // A PCA plane's directions are unit principal components and an interpolation's is B - A:
      // no normalization applies.
      if (randomDirections) params.norm = form.get("norm") as Normalization;
      if (kind === "PCA") {
        params.fitPath = fitPath;
        if (fitPath && equalAspect) params.equalAspect = true;
      }
      if (is2d) params.y = { min: range.yMin, max: range.yMax, count: range.yCount };
      if (samples) params.samples = Number(samples);
      const directionX = form.get("directionX");
      const directionY = form.get("directionY");
      if (typeof directionX === "string" && directionX) params.directionX = directionX;
      if (typeof directionY === "string" && directionY && is2d) params.directionY = directionY;
      if (kind === "EIGEN_RATIO") params.lanczosSteps = lanczosSteps;
      const input: CreateSurfaceInput = {
        projectId, kind, modelId: model.id, datasetId: dataset.id, params,
        name: String(form.get("name") || "") || undefined,
      };
      if (testDataset) input.testDatasetId = testDataset.id;
      if (kind === "INTERPOLATION") {
        input.modelBId = form.get("modelB") as string | null;
        params.runningStats = form.get("runningStats") as RunningStatsMode;
      }
      const payload = await mutate(CREATE_SURFACE, { input }, "createSurface");
      // ok: true carries the new surface.
      navigate(`/surfaces/${payload.surface!.id}`);
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  };
  const num = (key: keyof typeof range) => (e: { target: { value: string } }) => setRange((r) => ({ ...r, [key]: Number(e.target.value) }));
  return (
    <section aria-labelledby="new-surface-title">
      <p className="crumbs"><Link href="/projects">Projects</Link> / <Link href={`/projects/${projectId}`}>{page.data.project.name}</Link> /</p>
      <h1 id="new-surface-title">New surface</h1>
      <form onSubmit={submit} className="form wide">
        <label>Name <input name="name" maxLength={120} placeholder="optional" /></label>
        <label>Kind
          <select value={kind} onChange={(e) => chooseKind(e.target.value as SurfaceKind)}>
            {KINDS.map((k) => <option key={k.value} value={k.value}>{k.label}</option>)}
          </select>
        </label>
        <label>Model
          <select value={model?.id ?? ""} onChange={(e) => setModelId(e.target.value)}>
            {models.map((m) => <option key={m.id} value={m.id}>{m.name} ({parameterWords(m, true)})</option>)}
          </select>
        </label>
        {kind === "INTERPOLATION" && (
          <label>Model B (interpolate to)
            <select name="modelB" defaultValue={models[1]?.id ?? models[0]?.id}>
              {models.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
            </select>
          </label>
        )}
        {kind === "INTERPOLATION" && (
          <label>BatchNorm running statistics
            <select name="runningStats" defaultValue="MOVE" aria-describedby="running-stats-help">
              {RUNNING_STATS_CHOICES.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
            </select>
            <span id="running-stats-help" className="muted small">Move (the default, the authors&apos; --dir_type states): t = 0 is model A and t = 1 model B, exactly. Held: only the weights move, so the other end is not that model.</span>
          </label>
        )}
        <label>Dataset
          <select value={dataset?.id ?? ""} onChange={(e) => setDatasetId(e.target.value)}>
            {datasets.map((d) => <option key={d.id} value={d.id}>{rowsLabel(d)}</option>)}
          </select>
        </label>
        {kind !== "EIGEN_RATIO" && (
          <>
            <label>Test data
              <select value={testDataset?.id ?? ""} onChange={(e) => setTestDatasetId(e.target.value)} aria-describedby="test-data-help">
                <option value="">None</option>
                {testChoices.map((d) => <option key={d.id} value={d.id}>{rowsLabel(d)}</option>)}
              </select>
            </label>
            {/* Outside the label, so the field's name is "Test data" alone. */}
            <p id="test-data-help" className="muted small hint">
              Optional: a held-out set with samples of the same shape and the same classes, evaluated at every point beside the training data (loss and accuracy of each; line plots draw train solid and test dashed).
              {testChoices.length === 0 ? " No other dataset of this project matches." : ""}
            </p>
          </>
        )}
        <fieldset>
          <legend>{kind === "INTERPOLATION" ? "t (0 = model A, 1 = model B)" : "Axis a (x direction)"}</legend>
          <label>From <input type="number" step="any" value={range.xMin} onChange={num("xMin")} aria-label="a from" disabled={fitted} /></label>
          <label>To <input type="number" step="any" value={range.xMax} onChange={num("xMax")} aria-label="a to" disabled={fitted} /></label>
          <label>Points <input type="number" min={2} max={401} value={range.xCount} onChange={num("xCount")} aria-label="a points" /></label>
          {uploadedDirections.length > 0 && (kind === "PLANE" || kind === "LINE") && (
            <label>Direction
              <select name="directionX" defaultValue="" aria-label="x direction">
                <option value="">random (seeded)</option>
                {uploadedDirections.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
              </select>
            </label>
          )}
        </fieldset>
        {is2d && (
          <fieldset>
            <legend>Axis b (y direction)</legend>
            <label>From <input type="number" step="any" value={range.yMin} onChange={num("yMin")} aria-label="b from" disabled={fitted} /></label>
            <label>To <input type="number" step="any" value={range.yMax} onChange={num("yMax")} aria-label="b to" disabled={fitted} /></label>
            <label>Points <input type="number" min={2} max={401} value={range.yCount} onChange={num("yCount")} aria-label="b points" /></label>
            {uploadedDirections.length > 0 && kind === "PLANE" && (
              <label>Direction
                <select name="directionY" defaultValue="" aria-label="y direction">
                  <option value="">random (seeded)</option>
                  {uploadedDirections.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
                </select>
              </label>
            )}
          </fieldset>
        )}
        {kind === "PCA" ? (
          <fieldset>
            <legend>PCA plane</legend>
            <p className="muted small">Directions: the first two principal components (unit vectors) of the checkpoints' differences from the final model, over the weights; no normalization.</p>
            <label><input type="checkbox" checked={fitPath} onChange={(e) => setFitPath(e.target.checked)} /> Fit the ranges to the optimizer's path, with a margin (the points stay)</label>
            <label><input type="checkbox" checked={fitPath && equalAspect} disabled={!fitPath} onChange={(e) => setEqualAspect(e.target.checked)} /> Same scale on PC1 and PC2 (equal aspect)</label>
          </fieldset>
        ) : kind === "INTERPOLATION" ? (
          <p className="muted small">Direction: model B − model A, with BatchNorm&apos;s running statistics as chosen above; no normalization and no seed.</p>
        ) : (
          <label>Normalization
            <select name="norm" defaultValue="FILTER">
              <option value="FILTER">Filter (Li et al.)</option><option value="LAYER">Layer</option><option value="WEIGHT">Weight</option><option value="NONE">None</option>
            </select>
          </label>
        )}
        <label>Samples <input type="number" min={1} value={samples} onChange={(e) => setSamples(e.target.value)} placeholder={`all ${dataset?.rows ?? ""}`} /></label>
        {randomDirections && <label>Seed <input name="seed" type="number" defaultValue={0} /></label>}
        {kind === "EIGEN_RATIO" && <label>Most Lanczos steps per point <input type="number" min={2} max={100} value={lanczosSteps} onChange={(e) => setLanczosSteps(Number(e.target.value))} /></label>}
        {kind === "EIGEN_RATIO" ? (
          <p className="estimate" data-testid="estimate">
            {cost.kind === "ready" ? (
              <>Work: {mapCostSentence(cost.data.eigenRatioCost, points, lanczosSteps)}</>
            ) : cost.kind === "error" ? cost.message : "Estimating the cost…"}
          </p>
        ) : (
        <p className="estimate" data-testid="estimate">
          {surfaceCost.kind === "ready" ? (
            <>Work: {surfaceCostSentence(surfaceCost.data.surfaceCost, points)}</>
          ) : (
            <>
              Work: <strong>{points.toLocaleString()}</strong> grid points × <strong>{Math.min(dataset?.rows ?? 0, Number(samples) || Infinity).toLocaleString()}</strong> samples ={" "}
              <strong>{formatCount(estimate.evaluations)}</strong> evaluations, about {formatCount(estimate.flops)}FLOP of forward passes.
            </>
          )}
        </p>
        )}
        {error && <ErrorBox message={error} />}
        <button type="submit" className="primary" disabled={busy || !model || !dataset}>{busy ? "Queueing…" : "Compute surface"}</button>
      </form>
    </section>
  );
}
