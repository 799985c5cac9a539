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
  /** The object does not exist or the caller may not know it exists. */
  NOT_FOUND: "NOT_FOUND",
  /** An argument failed validation; `field` names it. */
  BAD_USER_INPUT: "BAD_USER_INPUT",
  /** The query is too deep, too wide or too expensive. */
  QUERY_TOO_COMPLEX: "QUERY_TOO_COMPLEX",
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
  return String(error);
}
