/**
 * Upload validation in a process of its own. The API never parses a user's file: a 50 MB
 * deeply nested model.json or a zip bomb would stop its event loop and fill its memory for every
 * user. `completeUpload` hands the upload to `UploadValidator`, which forks `lossatlas
 * validate-upload` with a heap cap and a deadline; the child reads the uploaded objects, validates
 * them with the engine's readers, writes the validated files under the server-chosen prefix and
 * answers with the summary. A child that runs out of time or memory is killed, and the upload is
 * refused with UPLOAD_TOO_COMPLEX.
 */
import { type ChildProcess, fork } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Config } from "../../config.js";
import type { ValidationJob, ValidationOutcome } from "../../domain/upload-validation.js";
import type { Logger } from "../../logger.js";

/** The built entry point; tests running from source use the build too (`npm test` builds first). */
const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../dist/main.js");

/** Most validations one API process runs at once; more wait their turn. */
const CONCURRENCY = 2;

/** A process that validated more input than this is retired rather than kept warm, in bytes. */
const RECYCLE_AFTER_BYTES = 16 * 1024 * 1024;

type ChildAnswer = { id: number } & (ValidationOutcome | { ok: false; internal: string });

/**
 * Runs validations in child processes. Starting one costs seconds (it loads TensorFlow.js), so
 * finished ones are kept warm for the next upload; one that ran out of time or memory, or read a
 * large upload, is killed instead, and the next validation starts a fresh one.
 */
export class UploadValidator {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly idle: ChildProcess[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly config: Config,
    private readonly log: Logger,
  ) {}

  async validate(job: ValidationJob, inputBytes = 0): Promise<ValidationOutcome> {
    if (this.running >= CONCURRENCY) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await this.runOn(this.idle.pop() ?? this.fork(), job, inputBytes);
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  /** Stops the warm processes (the API is stopping). */
  close(): void {
    this.closed = true;
    for (const child of this.idle.splice(0)) child.kill("SIGTERM");
  }

  private fork(): ChildProcess {
    const child = fork(MAIN, ["validate-upload"], {
      execArgv: [`--max-old-space-size=${this.config.uploads.validationMemoryMb}`],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      serialization: "advanced",
    });
    // Validation yields the CPU to the API: a busy validator must not slow anyone's requests.
    try {
      if (child.pid) os.setPriority(child.pid, 10);
    } catch (error) {
      this.log.debug({ err: error }, "could not lower the validation process's priority");
    }
    return child;
  }

  private keep(child: ChildProcess): void {
    if (this.closed || child.exitCode !== null || child.signalCode !== null) return;
    // A warm process must not keep the API alive on its own.
    child.unref();
    (child.channel as { unref?: () => void } | undefined)?.unref?.();
    this.idle.push(child);
  }

  private runOn(child: ChildProcess, job: ValidationJob, inputBytes: number): Promise<ValidationOutcome> {
    const { validationSeconds, validationMemoryMb } = this.config.uploads;
    const id = this.nextId++;
    child.ref();
    (child.channel as { ref?: () => void } | undefined)?.ref?.();
    return new Promise((resolve, reject) => {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill("SIGKILL");
      }, validationSeconds * 1000);
      const cleanup = () => {
        clearTimeout(timer);
        child.off("message", onMessage);
        child.off("exit", onExit);
      };
      const onMessage = (answer: ChildAnswer) => {
        if (answer.id !== id) return;
        cleanup();
        if (inputBytes > RECYCLE_AFTER_BYTES) child.kill("SIGTERM");
        else this.keep(child);
        if ("internal" in answer) {
          this.log.error({ reason: answer.internal }, "upload validation failed unexpectedly");
          reject(new Error("upload validation failed unexpectedly"));
          return;
        }
        const { id: _id, ...outcome } = answer;
        resolve(outcome as ValidationOutcome);
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        cleanup();
        if (timedOut) {
          resolve({ ok: false, code: "UPLOAD_TOO_COMPLEX", message: `The upload took longer than ${validationSeconds} s to validate` });
        } else if (code === 134 || signal === "SIGABRT" || signal === "SIGKILL") {
          // V8 aborts when the heap cap is reached; the kernel's OOM killer sends SIGKILL.
          resolve({ ok: false, code: "UPLOAD_TOO_COMPLEX", message: `The upload needs more than ${validationMemoryMb} MiB of memory to validate` });
        } else reject(new Error(`upload validation process exited with ${signal ?? code} and no answer`));
      };
      child.on("message", onMessage);
      child.on("exit", onExit);
      child.send({ id, job });
    });
  }
}
