/**
 * Opening an uploaded zip safely: the engine's `readZip` does the checks (entry count, sizes
 * declared and produced, names that climb out, absolute paths, symbolic links); here each kind of
 * problem becomes the upload's error code.
 */
import { type ZipProblem, ZipError, readZip } from "../engine/index.js";
import { type UploadErrorCode, UploadRejection } from "../domain/upload-rejection.js";
import { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS } from "../domain/upload-validation.js";

const CODES: Record<ZipProblem, UploadErrorCode> = {
  malformed: "MALFORMED_ARCHIVE",
  "too-large": "ARCHIVE_TOO_LARGE",
  unsafe: "UNSAFE_ARCHIVE",
};

/** The archive's regular files by their path inside it (folders dropped), after every check. */
export async function extractZip(bytes: Uint8Array, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<Map<string, Uint8Array>> {
  try {
    return await readZip(bytes, limits);
  } catch (error) {
    if (error instanceof ZipError) throw new UploadRejection(CODES[error.problem], error.message);
    throw error;
  }
}
