/**
 * How errors leave the API: known errors keep their code and message; anything else becomes
 * INTERNAL_SERVER_ERROR with the request id, and the original is logged, never sent.
 */
import type { GraphQLFormattedError } from "graphql";
import { ErrorCode } from "../errors.js";

const PUBLIC_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  // Apollo's own codes for malformed requests, which are the client's to see.
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
]);

export function formatError(formatted: GraphQLFormattedError, requestId: string | undefined): GraphQLFormattedError {
  const code = typeof formatted.extensions?.code === "string" ? formatted.extensions.code : undefined;
  if (code && PUBLIC_CODES.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  return {
    message: `Internal server error${requestId ? ` (request ${requestId})` : ""}`,
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId },
  };
}
