/** Uploads: requestUpload, a PUT of each file's bytes to its presigned URL (with progress), completeUpload. */
import { ApiError, mutate } from "./graphql";
import { COMPLETE_UPLOAD, REQUEST_UPLOAD } from "./ops";
import type { Dataset, Model } from "./types";

export type UploadKind = "MODEL" | "DATASET" | "CHECKPOINT" | "DIRECTION";

export interface UploadResult { model: Model | null; dataset: Dataset | null; checkpoint?: { id: string; step: number } | null; direction?: { id: string; name: string } | null }

/** Bytes sent so far of one file, by name. */
export type ProgressCallback = (name: string, loaded: number, total: number) => void;

export async function uploadFiles(
  input: { projectId: string; kind: UploadKind; name: string; label?: string; modelId?: string; step?: number; channelsLast?: boolean },
  files: File[],
  onProgress: ProgressCallback,
): Promise<UploadResult> {
  const requested = await mutate(
    REQUEST_UPLOAD,
    { input: { ...input, files: files.map((f) => ({ name: f.name, size: f.size, contentType: f.type || "application/octet-stream" })) } },
    "requestUpload",
  );
  // ok: true carries the upload.
  const upload = requested.upload!;
  await Promise.all(
    upload.files.map((target) => {
      const file = files.find((f) => f.name === target.name || f.name.endsWith(`/${target.name}`));
      if (!file) throw new ApiError(`The server asked for ${target.name}, which was not selected`, "UPLOAD_INCOMPLETE");
      return putFile(target.url, target.contentType, file, (loaded) => onProgress(file.name, loaded, file.size));
    }),
  );
  const done = await mutate(COMPLETE_UPLOAD, { id: upload.id }, "completeUpload");
  return { model: done.model, dataset: done.dataset, checkpoint: done.checkpoint ?? null, direction: done.direction ?? null };
}

/** XMLHttpRequest rather than fetch: fetch cannot report upload progress. */
export function putFile(url: string, contentType: string, file: Blob, onProgress: (loaded: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    xhr.setRequestHeader("content-type", contentType);
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(file.size);
        resolve();
      } else reject(new ApiError(`Storage refused the file (HTTP ${xhr.status})`, "UPLOAD_INCOMPLETE"));
    };
    xhr.onerror = () => reject(new ApiError("The file could not be sent to storage", "NETWORK_ERROR"));
    xhr.send(file);
  });
}

/** Model or dataset, guessed from the dropped files' names. */
export function guessKind(files: File[]): UploadKind | null {
  const names = files.map((f) => f.name.toLowerCase());
  if (names.some((n) => n.endsWith("model.json") || n.endsWith(".bin") || n.endsWith(".onnx"))) return "MODEL";
  if (names.some((n) => n.endsWith(".npy") || n.endsWith(".csv"))) return "DATASET";
  return null;
}
