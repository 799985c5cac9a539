/** graphql-ws on /graphql (same origin; the session cookie rides on the upgrade). */
import { type Client, createClient } from "graphql-ws";
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

/** Subscribes; returns the unsubscribe function. */
export function subscribe<T>(query: string, variables: Record<string, unknown>, onData: (data: T) => void, onError: (message: string) => void): () => void {
  return wsClient().subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors?.length) onError(result.errors[0]!.message);
        else if (result.data) onData(result.data as T);
      },
      error: (error) => onError(error instanceof Error ? error.message : "The live connection failed"),
      complete: () => {},
    },
  );
}
