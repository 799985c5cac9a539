/**
 * How errors leave the API: known errors keep their code and message; anything else becomes
 * INTERNAL_SERVER_ERROR with the request id, and the original is logged, never sent. The domain's
 * errors (domain/errors.ts) are plain Errors; here they get their code (and field) as GraphQL
 * extensions.
 */
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { DomainError } from "../domain/errors.js";
import { ErrorCode } from "../errors.js";

/** The DomainError behind a GraphQL error (resolvers' errors arrive wrapped), if there is one. */
export function domainErrorOf(error: unknown): DomainError | undefined {
  for (let cause = error, depth = 0; cause && depth < 5; depth++) {
    if (cause instanceof DomainError) return cause;
    cause = cause instanceof GraphQLError ? cause.originalError : undefined;
  }
  return undefined;
}

/** The extensions a DomainError leaves with: its code, and the field at fault when there is one. */
function extensionsOf(error: DomainError): { code: ErrorCode; field?: string } {
  return { code: error.code, ...(error.field ? { field: error.field } : {}) };
}

/** A formatted error whose cause is a DomainError, with that error's code and field. */
export function formatDomainError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const domain = domainErrorOf(error);
  return domain ? { ...formatted, extensions: extensionsOf(domain) } : formatted;
}

/** A GraphQL error whose cause is a DomainError, again with that error's code and field (for graphql-ws). */
export function withDomainExtensions(error: GraphQLError): GraphQLError {
  const domain = domainErrorOf(error);
  if (!domain) return error;
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, originalError: domain, extensions: extensionsOf(domain) });
}

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
