/**
 * `lossatlas validate-upload`: the validating process's side of upload validation. The API's
 * UploadValidator (modules/uploads/validation-process.ts) forks it with a heap cap and a deadline;
 * it reads the uploaded objects, validates them with the engine's readers (this loads TF.js, which
 * the API process never does), writes the validated files under the server-chosen prefix and
 * answers with the summary.
 */
import { type Config, loadConfig } from "../config.js";
import { UploadRejection, type UploadErrorCode } from "../domain/upload-rejection.js";
import type { ValidationJob, ValidationOutcome } from "../domain/upload-validation.js";
import { describeError } from "../errors.js";
import { openObjectStore } from "../storage/open-store.js";
import { validateDataset, validateModel } from "./validate.js";

function totalOf(files: Map<string, Uint8Array>): number {
  let total = 0;
  for (const bytes of files.values()) total += bytes.length;
  return total;
}

async function runJob(config: Config, job: ValidationJob): Promise<ValidationOutcome> {
  const store = await openObjectStore(config, job.storage);
  try {
    const contents = new Map<string, Uint8Array>();
    for (const file of job.files) {
      const bytes = await store.get(file.key);
      if (!bytes) return { ok: false, code: "UPLOAD_INCOMPLETE", message: `${file.name} was never uploaded` };
      contents.set(file.name, bytes);
    }
    const write = async (files: Map<string, Uint8Array>) => {
      for (const [name, bytes] of files) {
        const type = name.endsWith(".json") ? "application/json" : name.endsWith(".csv") ? "text/csv" : "application/octet-stream";
        await store.put(`${job.target}${name}`, bytes, type);
      }
    };
    if (job.kind === "dataset") {
      const dataset = await validateDataset(contents, job.label ?? undefined, job.archive, job.content);
      await write(dataset.files);
      return { ok: true, kind: "dataset", summary: dataset.summary, sha256: dataset.sha256, files: [...dataset.files.keys()], totalBytes: totalOf(dataset.files) };
    }
    const model = await validateModel(contents, job.archive, job.content);
    await write(model.files);
    return {
      ok: true,
      kind: "model",
      summary: model.summary,
      signature: model.signature,
      sha256: model.sha256,
      files: [...model.files.keys()],
      totalBytes: totalOf(model.files),
    };
  } finally {
    store.destroy();
  }
}

/** `lossatlas validate-upload`: the child's side. Answers jobs over IPC, one at a time, until the API goes. */
export function runValidationProcess(): Promise<void> {
  const config = loadConfig();
  return new Promise((resolve) => {
    let chain = Promise.resolve();
    process.on("message", ({ id, job }: { id: number; job: ValidationJob }) => {
      chain = chain.then(() =>
        runJob(config, job)
          .catch((error: unknown) =>
            error instanceof UploadRejection
              ? ({ ok: false, code: error.code as UploadErrorCode, message: error.message, ...(error.field ? { field: error.field } : {}) } as const)
              : ({ ok: false, internal: describeError(error) } as const),
          )
          .then((answer) => new Promise<void>((sent) => process.send!({ id, ...answer }, undefined, {}, () => sent()))),
      );
    });
    process.on("disconnect", () => resolve());
  });
}
