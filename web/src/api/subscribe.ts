/** graphql-ws on /graphql (same origin; the session cookie rides on the upgrade). */
import { type Client, createClient } from "graphql-ws";
import type { TypedDocumentString } from "./gql/graphql";
import { currentShareToken } from "./graphql";

let client: Client | null = null;
let clientToken: string | null = null;

function wsClient(): Client {
  const token = currentShareToken();
  if (!client || clientToken !== token) {
    void client?.dispose();
    const url = `${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}/graphql`;
    client = createClient({ url, connectionParams: token ? { shareToken: token, "x-share-token": token } : {}, retryAttempts: 5, lazy: true });
    clientToken = token;
  }
  return client;
}

/** Subscribes to a subscription from ops.ts; returns the unsubscribe function. */
export function subscribe<R, V extends Record<string, unknown>>(
  document: TypedDocumentString<R, V>,
  variables: V,
  onData: (data: R) => void,
  onError: (message: string) => void,
): () => void {
  return wsClient().subscribe<R>(
    { query: document.toString(), variables },
    {
      next: (result) => {
        if (result.errors?.length) onError(result.errors[0]!.message);
        else if (result.data) onData(result.data);
      },
      error: (error) => onError(error instanceof Error ? error.message : "The live connection failed"),
      complete: () => {},
    },
  );
}
