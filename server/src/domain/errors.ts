/**
 * Expected failures of the domain, each with a stable code from the documented list (errors.ts).
 * Plain Errors, so services and workers raise them without knowing the transport; the GraphQL
 * layer turns them into mutation payloads (graphql/payload.ts, runMutation) or, thrown from a
 * query, into GraphQL errors with the same code, message and field (graphql/errors.ts).
 */
import { ErrorCode } from "../errors.js";

/** An expected failure with a stable code; `field` names the offending argument, if any. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (what: string) => new DomainError(ErrorCode.NOT_FOUND, `${what} not found`);
export const forbidden = (message: string) => new DomainError(ErrorCode.FORBIDDEN, message);
export const unauthenticated = () => new DomainError(ErrorCode.UNAUTHENTICATED, "Sign in or send an API token to do this");
export const badInput = (field: string, message: string) => new DomainError(ErrorCode.BAD_USER_INPUT, message, field);
