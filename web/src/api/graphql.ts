/** A small GraphQL-over-HTTP client for the API at /graphql (same origin). */
import type { MutationErrorFieldsFragment, TypedDocumentString } from "./gql/graphql";

/**
 * The variables argument: optional when the operation declares none or only optional ones
 * (then it may be left out of the request, as before), required otherwise.
 */
export type RequestArgs<V> = Record<string, never> extends V
  ? [variables?: V, signal?: AbortSignal]
  : [variables: V, signal?: AbortSignal];

export interface GraphQLErrorEntry {
  message: string;
  extensions?: { code?: string; requestId?: string; field?: string };
}

/** A failed request: the API's stable error code and its message, or a network failure. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly requestId?: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

let shareToken: string | null = null;

/** The view-only token of a share link: sent as X-Share-Token with every request while set. */
export function setShareToken(token: string | null): void {
  shareToken = token;
}

export function currentShareToken(): string | null {
  return shareToken;
}

/** Runs an operation generated from ops.ts; its result and variables types come from the schema. */
export async function request<R, V>(document: TypedDocumentString<R, V>, ...args: RequestArgs<V>): Promise<R> {
  const [variables, signal] = args as [V | undefined, AbortSignal | undefined];
  let response: Response;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (shareToken) headers["x-share-token"] = shareToken;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers,
      credentials: "same-origin",
      body: JSON.stringify({ query: document.toString(), variables }),
      signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError("The Loss Atlas server cannot be reached", "NETWORK_ERROR");
  }
  let body: { data?: R; errors?: GraphQLErrorEntry[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new ApiError(`The server answered ${response.status} without a GraphQL result`, "BAD_RESPONSE");
  }
  const first = body.errors?.[0];
  if (first) throw new ApiError(first.message, first.extensions?.code ?? "INTERNAL_SERVER_ERROR", first.extensions?.requestId);
  if (!body.data) throw new ApiError("The server answered without data", "BAD_RESPONSE");
  return body.data;
}

/** What every mutation answers (`ok error { ...MutationErrorFields }`). */
export interface MutationResult {
  ok: boolean;
  error: MutationErrorFieldsFragment | null;
}

/** The root fields of a result that answer a MutationResult. */
export type MutationField<R> = { [K in keyof R]: R[K] extends MutationResult ? K : never }[keyof R];

/** Runs a mutation and returns its payload, throwing an ApiError when it answers `ok: false`. */
export async function mutate<R, V, K extends MutationField<R>>(document: TypedDocumentString<R, V>, variables: V, field: K): Promise<R[K]> {
  const data = await request(document, ...([variables] as RequestArgs<V>));
  const payload = data[field] as MutationResult;
  if (!payload.ok) throw new ApiError(payload.error?.message ?? "The request was refused", payload.error?.code ?? "BAD_USER_INPUT", undefined, payload.error?.field ?? undefined);
  return data[field];
}

/** Plain words for an error, for alerts. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
