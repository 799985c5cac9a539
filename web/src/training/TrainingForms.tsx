/** The project page's "Train a model" and "Run an experiment" forms (editors and owners). */
import { type FormEvent, useState } from "react";
import { describeError, mutate } from "../api/graphql";
import { START_EXPERIMENT, START_TRAINING } from "../api/training-ops";
import type { ArchitectureKind, ExperimentKind, ExperimentSize, Optimizer } from "../api/training-types";
import type { Dataset, Model } from "../api/types";
import { Empty, ErrorBox } from "../components/feedback";
import { navigate } from "../router";
import { estimateSteps, EXPERIMENT_KINDS, EXPERIMENT_SIZES, OPTIMIZERS, resnetDepthName, TRAINING_DEFAULTS, trainingInput, type TrainingFormValues } from "./training-form";
import { parameterWords } from "../components/parameter-count";

/** Training needs integer class labels; the others cannot be picked. */
const trainable = (datasets: Dataset[]) => datasets.filter((d) => d.classes !== null);
// Row counts say "samples" here: the project page's dataset list is where "rows" are listed.
// Built-in datasets already say their size in their names.
const datasetLabel = (d: Dataset) => (d.name.includes(String(d.rows)) ? d.name : `${d.name} (${d.rows.toLocaleString()} samples, ${d.classes} classes)`);

export function TrainForm({ projectId, datasets, models }: { projectId: string; datasets: Dataset[]; models: Model[] }) {
  const usable = trainable(datasets);
  const [v, setV] = useState<TrainingFormValues>({
    name: "", architecture: "MLP", modelId: "", depth: "", width: "", residual: false, channels1: "", channels2: "",
    blocks: "", resnetWidth: "", downsample: "", shortcuts: true,
    datasetId: usable[0]?.id ?? "", testDatasetId: "", optimizer: "", learningRate: "", batchSize: "",
    weightDecay: "", epochs: "", checkpointEvery: "", samples: "", seed: "",
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (usable.length === 0) return <Empty>Training needs a dataset of class labels: add Iris or upload one.</Empty>;
  const datasetId = usable.some((d) => d.id === v.datasetId) ? v.datasetId : usable[0]!.id;
  const rows = usable.find((d) => d.id === datasetId)?.rows ?? 0;
  const steps = estimateSteps(rows, v);
  const set = <K extends keyof TrainingFormValues>(key: K) => (value: TrainingFormValues[K]) => setV((old) => ({ ...old, [key]: value }));
  const text = (key: keyof TrainingFormValues) => ({
    value: v[key] as string,
    onChange: (e: { target: { value: string } }) => set(key)(e.target.value as never),
  });
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = trainingInput(projectId, { ...v, datasetId, modelId: v.modelId || (models[0]?.id ?? "") });
    if (!result.ok) {
      setError(result.message);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const payload = await mutate(START_TRAINING, { input: result.input }, "startTraining");
      navigate(`/training/${payload.run!.id}`);
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  };
  return (
    <form className="form wide" aria-label="Train a model" onSubmit={(e) => void submit(e)} noValidate>
      <fieldset>
        <legend>Architecture</legend>
        <label>Architecture
          <select value={v.architecture} onChange={(e) => set("architecture")(e.target.value as ArchitectureKind)}>
            <option value="MLP">MLP (fully connected)</option>
            <option value="CNN">CNN (two conv layers)</option>
            <option value="RESNET">ResNet or its plain twin (the paper's CIFAR family)</option>
            {models.length > 0 && <option value="UPLOADED">A model of this project, from its weights</option>}
          </select>
        </label>
        {v.architecture === "UPLOADED" ? (
          <label>Model to train
            <select value={v.modelId || models[0]?.id} onChange={(e) => set("modelId")(e.target.value)}>
              {models.map((m) => <option key={m.id} value={m.id}>{m.name} ({parameterWords(m, true)})</option>)}
            </select>
          </label>
        ) : v.architecture === "MLP" ? (
          <>
            <label>Hidden layers <input type="number" min={1} max={32} placeholder={`default ${TRAINING_DEFAULTS.depth}`} {...text("depth")} /></label>
            <label>Units per layer <input type="number" min={1} max={1024} placeholder={`default ${TRAINING_DEFAULTS.width}`} {...text("width")} /></label>
            <label><input type="checkbox" checked={v.residual} onChange={(e) => set("residual")(e.target.checked)} /> Skip connections</label>
          </>
        ) : v.architecture === "RESNET" ? (
          <>
            <label>Blocks per stage <input type="number" min={1} max={18} placeholder={`default ${TRAINING_DEFAULTS.blocks} (ResNet-20)`} {...text("blocks")} /></label>
            <label>Channels, first stage <input type="number" min={1} max={64} placeholder={`default ${TRAINING_DEFAULTS.resnetWidth}`} {...text("resnetWidth")} /></label>
            <label>Downsample images by <input type="number" min={1} max={4} placeholder={`default ${TRAINING_DEFAULTS.downsample} (none)`} {...text("downsample")} /></label>
            <label><input type="checkbox" checked={v.shortcuts} onChange={(e) => set("shortcuts")(e.target.checked)} /> Shortcut connections (unchecked: the plain twin)</label>
          </>
        ) : (
          <>
            <label>Filters, conv layer 1 <input type="number" min={1} max={128} placeholder={`default ${TRAINING_DEFAULTS.channels[0]}`} {...text("channels1")} /></label>
            <label>Filters, conv layer 2 <input type="number" min={1} max={128} placeholder={`default ${TRAINING_DEFAULTS.channels[1]}`} {...text("channels2")} /></label>
          </>
        )}
        <p className="small muted hint">
          {(v.architecture === "CNN" || v.architecture === "UPLOADED") && "Convolutional TF.js networks train only on a TensorFlow worker: the WebAssembly backend has no gradient for Conv2D filters."}
          {v.architecture === "CNN" && " They also need image samples (height, width, channels), such as MNIST."}
          {v.architecture === "RESNET" &&
            ` ${resnetDepthName(Number(v.blocks) || TRAINING_DEFAULTS.blocks, v.shortcuts)}: three stages of basic blocks (depth 6 × blocks + 2; 3, 9 and 18 blocks are ResNet-20, 56 and 110), BatchNorm after every convolution. It is built as the ONNX graph PyTorch would export, so it trains on every worker, the WebAssembly one included; its checkpoints are ONNX files. It needs image samples; downsampling by 2 makes MNIST 14×14 and a deep network four times cheaper.`}
          {v.architecture === "UPLOADED" && " A model of the project trains from its own weights: its input must fit the data and its output be one score per class. A TF.js model's last layer must be a softmax."}
          {v.architecture === "UPLOADED" && " An ONNX model (from PyTorch) may end in logits, log-probabilities or a softmax, and trains on every worker, convolutions included; BatchNorm trains in training mode, on batch statistics, with its running statistics updated as in PyTorch, and dropout is off. Its checkpoints are ONNX files."}
        </p>
      </fieldset>
      <fieldset>
        <legend>Data</legend>
        <label>Training data
          <select value={datasetId} onChange={(e) => set("datasetId")(e.target.value)}>
            {usable.map((d) => <option key={d.id} value={d.id}>{datasetLabel(d)}</option>)}
          </select>
        </label>
        <label>Test data (optional)
          <select value={v.testDatasetId} onChange={(e) => set("testDatasetId")(e.target.value)}>
            <option value="">None</option>
            {usable.filter((d) => d.id !== datasetId).map((d) => <option key={d.id} value={d.id}>{datasetLabel(d)}</option>)}
          </select>
        </label>
        <label>Training samples <input type="number" min={2} placeholder="default all" {...text("samples")} /></label>
      </fieldset>
      <fieldset>
        <legend>Optimization</legend>
        <label>Optimizer
          <select value={v.optimizer} onChange={(e) => set("optimizer")(e.target.value as Optimizer | "")}>
            <option value="">Default ({TRAINING_DEFAULTS.optimizer})</option>
            {OPTIMIZERS.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
          </select>
        </label>
        <label>Learning rate <input type="number" step="any" min={0} placeholder={`default ${TRAINING_DEFAULTS.learningRate}`} {...text("learningRate")} /></label>
        <label>Batch size <input type="number" min={1} placeholder={`default ${TRAINING_DEFAULTS.batchSize}`} {...text("batchSize")} /></label>
        <label>Weight decay <input type="number" step="any" min={0} placeholder={`default ${TRAINING_DEFAULTS.weightDecay}`} {...text("weightDecay")} /></label>
        <label>Epochs <input type="number" min={1} max={200} placeholder={`default ${TRAINING_DEFAULTS.epochs}`} {...text("epochs")} /></label>
        <label>Checkpoint every N steps <input type="number" min={1} placeholder="default once per epoch" {...text("checkpointEvery")} /></label>
        <label>Seed <input type="number" min={0} placeholder={`default ${TRAINING_DEFAULTS.seed}`} {...text("seed")} /></label>
      </fieldset>
      <label>Run name <input maxLength={200} placeholder="optional: named after its settings" {...text("name")} /></label>
      <p className="estimate" data-testid="training-estimate">
        {steps === null ? "Fix the numbers above to see how long the run is." : <>About <strong>{steps.toLocaleString()}</strong> steps of training.</>}
      </p>
      {error && <ErrorBox message={error} />}
      <button type="submit" className="primary" disabled={busy}>{busy ? "Starting…" : "Start training"}</button>
    </form>
  );
}

export function ExperimentForm({ projectId, datasets }: { projectId: string; datasets: Dataset[] }) {
  const usable = trainable(datasets);
  const [kind, setKind] = useState<ExperimentKind>("SKIP");
  const [datasetId, setDatasetId] = useState("");
  const [size, setSize] = useState<ExperimentSize>("STANDARD");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (usable.length === 0) return <Empty>Experiments train models: add Iris or upload a dataset of class labels first.</Empty>;
  const chosen = usable.some((d) => d.id === datasetId) ? datasetId : usable[0]!.id;
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const payload = await mutate(START_EXPERIMENT, { input: { projectId, kind, datasetId: chosen, size } }, "startExperiment");
      navigate(`/experiments/${payload.experiment!.id}`);
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  };
  const description = EXPERIMENT_KINDS.find((k) => k.value === kind)?.description;
  return (
    <form className="form wide" aria-label="Run an experiment" onSubmit={(e) => void submit(e)}>
      <label>Comparison
        <select value={kind} onChange={(e) => setKind(e.target.value as ExperimentKind)} aria-describedby="experiment-description">
          {EXPERIMENT_KINDS.map((k) => <option key={k.value} value={k.value}>{k.label}</option>)}
        </select>
      </label>
      <p id="experiment-description" className="small muted hint">{description}</p>
      <label>Data
        <select value={chosen} onChange={(e) => setDatasetId(e.target.value)}>
          {usable.map((d) => <option key={d.id} value={d.id}>{datasetLabel(d)}</option>)}
        </select>
      </label>
      <label>Size
        <select value={size} onChange={(e) => setSize(e.target.value as ExperimentSize)}>
          {EXPERIMENT_SIZES.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
        </select>
      </label>
      {error && <ErrorBox message={error} />}
      <button type="submit" className="primary" disabled={busy}>{busy ? "Starting…" : "Start experiment"}</button>
    </form>
  );
}
