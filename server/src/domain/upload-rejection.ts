/**
 * Why an upload was refused, with a stable code from the documented list. The upload's objects
 * are deleted when one is raised during completion.
 */
import { ErrorCode } from "../errors.js";
import { DomainError } from "./errors.js";

export type UploadErrorCode =
  | "FILE_TOO_LARGE"
  | "QUOTA_EXCEEDED"
  | "UPLOAD_INCOMPLETE"
  | "UPLOAD_EXPIRED"
  | "WRONG_FILE_TYPE"
  | "MALFORMED_ARCHIVE"
  | "UNSAFE_ARCHIVE"
  | "ARCHIVE_TOO_LARGE"
  | "UPLOAD_TOO_COMPLEX"
  | "INVALID_MODEL"
  | "INVALID_DATASET";

export class UploadRejection extends DomainError {
  constructor(code: UploadErrorCode, message: string, field?: string) {
    super(ErrorCode[code], message, field);
    this.name = "UploadRejection";
  }
}
