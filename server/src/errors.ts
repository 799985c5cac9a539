/**
 * The one list of error codes that clients of Loss Atlas see. A code never changes meaning once
 * released; messages may be reworded. Unknown failures become INTERNAL_SERVER_ERROR and are logged
 * with the request id; nothing internal is sent to the client.
 */
export const ErrorCode = {
  /** The request needs a signed-in user or a valid API token. */
  UNAUTHENTICATED: "UNAUTHENTICATED",
  /** The caller is signed in but its role does not allow this action. */
  FORBIDDEN: "FORBIDDEN",
  /** The action needs the account's email address verified first (joining by an emailed invitation). */
  EMAIL_NOT_VERIFIED: "EMAIL_NOT_VERIFIED",
  /** The object does not exist or the caller may not know it exists. */
  NOT_FOUND: "NOT_FOUND",
  /** An argument failed validation; `field` names it. */
  BAD_USER_INPUT: "BAD_USER_INPUT",
  /** Over a rate limit, or too many failed sign-ins from this client; `Retry-After` says when to try again. */
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  /** The query is too deep, too wide, too expensive or too long (HTTP 400). */
  QUERY_TOO_COMPLEX: "QUERY_TOO_COMPLEX",
  /** The user's queued and computing surfaces already hold as many points as COMPUTE_POINTS_IN_FLIGHT allows. */
  COMPUTE_LIMIT: "COMPUTE_LIMIT",
  /** An uploaded file is larger than UPLOAD_MAX_FILE_BYTES, or than it was declared. */
  FILE_TOO_LARGE: "FILE_TOO_LARGE",
  /** The upload would take the user over UPLOAD_QUOTA_BYTES. */
  QUOTA_EXCEEDED: "QUOTA_EXCEEDED",
  /** A declared file was never uploaded, or arrived with another size. */
  UPLOAD_INCOMPLETE: "UPLOAD_INCOMPLETE",
  /** The upload was completed too late, or already completed or failed. */
  UPLOAD_EXPIRED: "UPLOAD_EXPIRED",
  /** A file's content is not what its name or role says (a PNG named model.json). */
  WRONG_FILE_TYPE: "WRONG_FILE_TYPE",
  /** A zip archive cannot be read. */
  MALFORMED_ARCHIVE: "MALFORMED_ARCHIVE",
  /** A zip archive has entries with absolute paths, `..`, or symbolic links. */
  UNSAFE_ARCHIVE: "UNSAFE_ARCHIVE",
  /** A zip archive has too many entries or expands to too many bytes. */
  ARCHIVE_TOO_LARGE: "ARCHIVE_TOO_LARGE",
  /** An upload took longer or more memory to validate than this service allows for one upload. */
  UPLOAD_TOO_COMPLEX: "UPLOAD_TOO_COMPLEX",
  /** model.json or its weight shards are malformed, inconsistent, or use unsupported layers. */
  INVALID_MODEL: "INVALID_MODEL",
  /** A dataset cannot be parsed, has NaN/Inf, or has an unusable shape. */
  INVALID_DATASET: "INVALID_DATASET",
  /** The account owns projects that others are members of: hand them over or choose to delete them first. */
  OWNS_SHARED_PROJECTS: "OWNS_SHARED_PROJECTS",
  /** Password sign-in (and sign-up, and password reset) is turned off here (PASSWORD_SIGN_IN=false); sign in with a provider. */
  PASSWORD_SIGN_IN_DISABLED: "PASSWORD_SIGN_IN_DISABLED",
  /** A single sign-on callback that no sign-in started here matches: expired, already used, or forged. */
  SSO_STATE_INVALID: "SSO_STATE_INVALID",
  /** The provider refused the sign-in, or its answer failed a check (ID token, nonce, PKCE code verifier). */
  SSO_REJECTED: "SSO_REJECTED",
  /** The provider does not say the email address is verified. */
  SSO_EMAIL_UNVERIFIED: "SSO_EMAIL_UNVERIFIED",
  /** The provider's email address is outside the domains allowed for that provider. */
  SSO_DOMAIN_NOT_ALLOWED: "SSO_DOMAIN_NOT_ALLOWED",
  /** The provider could not be reached (discovery or token endpoint). */
  SSO_UNAVAILABLE: "SSO_UNAVAILABLE",
  /** A dependency (database, storage, queue) is unreachable. */
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  /** Anything unexpected; details are in the server log under the request id. */
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * A failure the process cannot recover from at startup (port in use, database unreachable).
 * The entry point prints its message alone, without a stack, and exits non-zero.
 */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StartupError";
  }
}

/** Message of an unknown thrown value, for logs and startup errors. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  // Some libraries report plain objects that carry a message.
  const message = (error as { message?: unknown } | null | undefined)?.message;
  if (typeof message === "string") return message;
  return String(error);
}
