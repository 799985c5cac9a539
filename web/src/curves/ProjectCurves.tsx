/** The project page's "Curves between models" section: the curves, and "Connect two models" for editors. */
import { type FormEvent, useState } from "react";
import { CONNECT_MODELS, PROJECT_CURVES } from "../api/curve-ops";
import type { CurveKind } from "../api/gql/graphql";
import { describeError, mutate } from "../api/graphql";
import type { Dataset, Model } from "../api/types";
import { useQuery } from "../api/use-query";
import { Empty, ErrorBox, Loading } from "../components/feedback";
import { StatusBadge } from "../components/StatusBadge";
import { Link, navigate } from "../router";
import { formatDate, StepProgress, useInterval } from "../training/status";
import { curveFinished } from "./curve-values";

export function ProjectCurves({ projectId, canWrite, datasets, models }: { projectId: string; canWrite: boolean; datasets: Dataset[]; models: Model[] }) {
  const list = useQuery(PROJECT_CURVES, { id: projectId });
  const active = list.kind === "ready" && list.data.curves.nodes.some((c) => !curveFinished(c.status));
  useInterval(list.reload, 3000, active);
  return (
    <>
      <h2>Curves between models</h2>
      {list.kind === "loading" && <Loading what="Loading curves" />}
      {list.kind === "error" && <ErrorBox message={list.message} code={list.code} onRetry={list.reload} />}
      {list.kind === "ready" && (list.data.curves.nodes.length === 0 ? (
        <Empty>{canWrite && models.length >= 2 ? "No curves yet: connect two models below." : "No curves yet: a curve connects two models of one architecture."}</Empty>
      ) : (
        <table className="table" aria-label="Curves">
          <thead><tr><th scope="col">Curve</th><th scope="col">Status</th><th scope="col">Progress</th><th scope="col" className="optional">Created</th></tr></thead>
          <tbody>
            {list.data.curves.nodes.map((c) => (
              <tr key={c.id}>
                <td><Link href={`/curves/${c.id}`}>{c.name}</Link></td>
                <td><StatusBadge status={c.status} done={c.stepsDone} total={c.stepsTotal ?? 0} /></td>
                <td><StepProgress done={c.stepsDone} total={c.stepsTotal ?? null} label={`Progress of ${c.name}`} /></td>
                <td className="muted optional">{formatDate(c.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
      {canWrite && models.length >= 2 && (
        <details className="panel">
          <summary>Connect two models</summary>
          <ConnectForm projectId={projectId} datasets={datasets} models={models} />
        </details>
      )}
    </>
  );
}

function ConnectForm({ projectId, datasets, models }: { projectId: string; datasets: Dataset[]; models: Model[] }) {
  const usable = datasets.filter((d) => d.classes !== null);
  const [modelAId, setA] = useState(models[0]!.id);
  const [modelBId, setB] = useState(models[1]!.id);
  const [datasetId, setData] = useState(usable[0]?.id ?? "");
  const [testDatasetId, setTest] = useState("");
  const [kind, setKind] = useState<CurveKind>("BEZIER");
  const [bends, setBends] = useState("");
  const [epochs, setEpochs] = useState("");
  const [points, setPoints] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (usable.length === 0) return <Empty>A curve is trained on a dataset of class labels: add Iris or upload one.</Empty>;
  const whole = (text: string, label: string, min: number, max: number): number | null | string => {
    if (text.trim() === "") return null;
    const n = Number(text);
    return Number.isInteger(n) && n >= min && n <= max ? n : `${label} must be a whole number from ${min} to ${max}`;
  };
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (modelAId === modelBId) {
      setError("Choose two different models: a curve connects model A to model B.");
      return;
    }
    const fields = { bends: whole(bends, "Bends", 1, 5), epochs: whole(epochs, "Epochs", 1, 200), points: whole(points, "Points along t", 2, 401) };
    const problem = Object.values(fields).find((f) => typeof f === "string");
    if (typeof problem === "string") {
      setError(problem);
      return;
    }
    const options = { kind, ...Object.fromEntries(Object.entries(fields).filter(([, f]) => f !== null)) };
    setBusy(true);
    setError(null);
    try {
      const payload = await mutate(CONNECT_MODELS, { input: { projectId, modelAId, modelBId, datasetId, testDatasetId: testDatasetId || null, options } }, "connectModels");
      navigate(`/curves/${payload.curve!.id}`);
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  };
  return (
    <form className="form wide" aria-label="Connect two models" onSubmit={(e) => void submit(e)} noValidate>
      <fieldset>
        <legend>Models</legend>
        <label>Model A (t = 0)
          <select value={modelAId} onChange={(e) => setA(e.target.value)}>{models.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}</select>
        </label>
        <label>Model B (t = 1)
          <select value={modelBId} onChange={(e) => setB(e.target.value)}>{models.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}</select>
        </label>
        <p className="small muted hint">Two models of one architecture (the same weights' shapes), for instance one network trained from two seeds.</p>
      </fieldset>
      <fieldset>
        <legend>Data</legend>
        <label>Training data
          <select value={datasetId} onChange={(e) => setData(e.target.value)}>{usable.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}</select>
        </label>
        <label>Test data (optional)
          <select value={testDatasetId} onChange={(e) => setTest(e.target.value)}>
            <option value="">None</option>
            {usable.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
          </select>
        </label>
      </fieldset>
      <fieldset>
        <legend>Curve</legend>
        <label>Shape
          <select value={kind} onChange={(e) => setKind(e.target.value as CurveKind)}>
            <option value="BEZIER">Bezier curve</option>
            <option value="POLYCHAIN">Polygonal chain</option>
          </select>
        </label>
        <label>Bends <input type="number" min={1} max={5} placeholder="default 1" value={bends} onChange={(e) => setBends(e.target.value)} /></label>
        <label>Epochs <input type="number" min={1} max={200} placeholder="default 10" value={epochs} onChange={(e) => setEpochs(e.target.value)} /></label>
        <label>Points along t <input type="number" min={2} max={401} placeholder="default 61" value={points} onChange={(e) => setPoints(e.target.value)} /></label>
      </fieldset>
      {error && <ErrorBox message={error} />}
      <button type="submit" className="primary" disabled={busy}>Connect the models</button>
    </form>
  );
}
