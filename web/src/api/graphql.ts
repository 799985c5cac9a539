/** A small GraphQL-over-HTTP client for the API at /graphql (same origin). */

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
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export async function request<T>(query: string, variables?: Record<string, unknown>, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError("The Loss Atlas server cannot be reached", "NETWORK_ERROR");
  }
  let body: { data?: T; errors?: GraphQLErrorEntry[] };
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
