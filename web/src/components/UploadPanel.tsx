/**
 * Drag and drop (or pick) a model's files or a dataset's; each file goes straight to storage with
 * its own progress bar, then the server's validation answers with what it read or why it refused.
 */
import { type DragEvent, useRef, useState } from "react";
import { describeError } from "../api/graphql";
import { guessKind, type UploadKind, type UploadResult, uploadFiles } from "../api/upload";
import { ErrorBox, formatBytes, ProgressBar } from "./feedback";
import { parameterWords } from "./parameter-count";

interface Props {
  projectId: string;
  /** Models a checkpoint may belong to. */
  models?: { id: string; name: string }[];
  onUploaded: (result: UploadResult) => void;
}

type Phase = { kind: "idle" } | { kind: "sending" } | { kind: "done"; result: UploadResult } | { kind: "error"; message: string };

/** Files of a dropped folder too (model/ with model.json and shards). */
async function filesOf(event: DragEvent<HTMLElement>): Promise<File[]> {
  const items = [...event.dataTransfer.items];
  const entries = items.map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0 || entries.every((e) => e.isFile)) return [...event.dataTransfer.files];
  const out: File[] = [];
  const walk = async (entry: FileSystemEntry): Promise<void> => {
    if (entry.isFile) out.push(await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej)));
    else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      const children = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
      for (const child of children) await walk(child);
    }
  };
  for (const e of entries) await walk(e);
  return out;
}

/** Names that say nothing about what a file holds: TF.js's and NumPy's usual file names. */
const GENERIC = /^(model|weights?|x|y|data|dataset|labels?|features?|train|test|group\d+-shard\d+of\d+)$/i;

/**
 * A name for an upload from its files: the folder it was dropped in, else the first file name
 * that says something (without its extension), else the kind and the files' names.
 */
export function defaultName(files: readonly Pick<File, "name" | "webkitRelativePath">[], kind: UploadKind): string {
  const stem = (name: string) => name.replace(/\.(json|zip|csv|npy|npz|bin|onnx)$/i, "");
  const folders = files.map((f) => f.webkitRelativePath?.split("/").slice(-2, -1)[0] ?? "").filter(Boolean);
  const candidates = [...folders, ...files.map((f) => stem(f.name))];
  const telling = candidates.find((c) => c && !GENERIC.test(c));
  if (telling) return telling.slice(0, 120);
  const listed = files.map((f) => f.name).join(", ");
  return `${kind.toLowerCase()} from ${listed.length > 60 ? `${listed.slice(0, 57)}...` : listed}`;
}

export function UploadPanel({ projectId, models = [], onUploaded }: Props) {
  const [files, setFiles] = useState<File[]>([]);
  const [kind, setKind] = useState<UploadKind>("MODEL");
  const [name, setName] = useState("");
  const [progress, setProgress] = useState<Record<string, number>>({});
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [over, setOver] = useState(false);
  const [checkpoint, setCheckpoint] = useState({ modelId: "", step: 0 });
  const [channelsLast, setChannelsLast] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  // Every new choice of files starts a new upload: kind, name and step come from these files, not
  // from the previous ones (a dataset must not keep the model's name).
  const choose = (chosen: File[]) => {
    if (chosen.length === 0) return;
    setFiles(chosen);
    setProgress({});
    setPhase({ kind: "idle" });
    const guessed = guessKind(chosen) ?? "MODEL";
    setKind(guessed);
    setName(defaultName(chosen, guessed));
    setCheckpoint({ modelId: "", step: 0 });
    setChannelsLast(false);
  };
  const send = async () => {
    setPhase({ kind: "sending" });
    try {
      const extra = kind === "CHECKPOINT" ? { modelId: checkpoint.modelId || models[0]?.id, step: checkpoint.step }
        : kind === "DIRECTION" ? { modelId: checkpoint.modelId || models[0]?.id }
        : kind === "DATASET" && channelsLast ? { channelsLast: true } : {};
      const result = await uploadFiles({ projectId, kind, name: name.trim() || defaultName(files, kind), ...extra }, files, (file, loaded) => setProgress((p) => ({ ...p, [file]: loaded })));
      setPhase({ kind: "done", result });
      onUploaded(result);
    } catch (e) {
      setPhase({ kind: "error", message: describeError(e) });
    }
  };
  return (
    <div className="upload">
      <div
        className={`dropzone ${over ? "over" : ""}`}
        role="button"
        tabIndex={0}
        aria-label="Drop model or dataset files here, or press Enter to choose files"
        onKeyDown={(e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); input.current?.click(); } }}
        onClick={() => input.current?.click()}
        onDragOver={(e) => { e.preventDefault(); setOver(true); }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => { e.preventDefault(); setOver(false); void filesOf(e).then(choose); }}
      >
        <strong>Drop files here</strong>
        <span className="muted">model.json + weight shards, a zip, or an ONNX file (.onnx) · x.npy + y.npy (images NCHW for ONNX models), or a CSV</span>
        <input ref={input} type="file" multiple hidden data-testid="upload-input" onChange={(e) => choose([...(e.target.files ?? [])])} />
      </div>
      {files.length > 0 && (
        <div className="upload-form">
          <div className="inline-form">
            <label>
              Kind
              <select value={kind} onChange={(e) => setKind(e.target.value as UploadKind)}>
                <option value="MODEL">Model</option>
                <option value="DATASET">Dataset</option>
                {models.length > 0 && <option value="CHECKPOINT">Checkpoint of a model</option>}
                {models.length > 0 && <option value="DIRECTION">Direction for a model</option>}
              </select>
            </label>
            {kind === "DIRECTION" && (
              <label>For model
                <select value={checkpoint.modelId || models[0]?.id} onChange={(e) => setCheckpoint({ ...checkpoint, modelId: e.target.value })}>
                  {models.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
                </select>
              </label>
            )}
            {kind === "CHECKPOINT" && (
              <>
                <label>Of model
                  <select value={checkpoint.modelId || models[0]?.id} onChange={(e) => setCheckpoint({ ...checkpoint, modelId: e.target.value })}>
                    {models.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
                  </select>
                </label>
                <label>Training step
                  <input type="number" min={0} className="short" value={checkpoint.step} onChange={(e) => setCheckpoint({ ...checkpoint, step: Number(e.target.value) })} />
                </label>
              </>
            )}
            {kind === "DATASET" && (
              <label title="ONNX models from PyTorch read images as (N, C, H, W); tick this when x.npy holds (N, H, W, C)">
                <input type="checkbox" checked={channelsLast} onChange={(e) => setChannelsLast(e.target.checked)} /> Images channels-last (N, H, W, C)
              </label>
            )}
            <label className="grow">
              Name
              <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} aria-label="Upload name" />
            </label>
            <button type="button" className="primary" onClick={() => void send()} disabled={phase.kind === "sending"}>
              {phase.kind === "sending" ? "Uploading…" : "Upload"}
            </button>
          </div>
          <ul className="file-list">
            {files.map((f) => (
              <li key={f.name}>
                <span>{f.name} <span className="muted">{formatBytes(f.size)}</span></span>
                <ProgressBar value={progress[f.name] ?? 0} max={f.size} label={`Upload of ${f.name}`} />
              </li>
            ))}
          </ul>
        </div>
      )}
      {phase.kind === "error" && <ErrorBox message={`Upload refused: ${phase.message}`} />}
      {phase.kind === "done" && (
        <div className="callout ok" role="status" data-testid="upload-result">
          {phase.result.model && (
            <>
              <strong>Model “{phase.result.model.name}” is valid.</strong> {phase.result.model.layers.length} layers ·{" "}
              {parameterWords(phase.result.model)} · input [{phase.result.model.inputShape.join(", ")}]
              {phase.result.model.lossName ? ` · loss ${phase.result.model.lossName}` : ""}
              {(phase.result.model.notes ?? []).map((note) => <p key={note} className="muted" data-testid="model-note">{note}</p>)}
            </>
          )}
          {phase.result.checkpoint && <strong>Checkpoint at step {phase.result.checkpoint.step} is valid.</strong>}
          {phase.result.direction && <strong>Direction “{phase.result.direction.name}” is valid: new planes of its model can run along it.</strong>}
          {phase.result.dataset && (
            <>
              <strong>Dataset “{phase.result.dataset.name}” is valid.</strong> {phase.result.dataset.rows.toLocaleString()} rows · input [
              {phase.result.dataset.inputShape.join(", ")}]{phase.result.dataset.classes ? ` · ${phase.result.dataset.classes} classes` : ""}
            </>
          )}
        </div>
      )}
    </div>
  );
}
