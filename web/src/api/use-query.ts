/** Loads a GraphQL query on mount and when its variables change; `reload` fetches again. */
import { useCallback, useEffect, useRef, useState } from "react";
import type { TypedDocumentString } from "./gql/graphql";
import { describeError, request, type RequestArgs } from "./graphql";

export type QueryState<T> = { kind: "loading" } | { kind: "error"; message: string; code?: string } | { kind: "ready"; data: T };

/** `variables` null waits: nothing is fetched until they are known. */
export function useQuery<R, V>(document: TypedDocumentString<R, V>, variables: V | null): QueryState<R> & { reload: () => void } {
  const [state, setState] = useState<QueryState<R>>({ kind: "loading" });
  const [tick, setTick] = useState(0);
  const key = variables === null ? null : JSON.stringify(variables);
  const first = useRef(true);
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    // Keep showing the old data while reloading; only the first load shows a spinner.
    if (first.current) setState({ kind: "loading" });
    request(document, ...([JSON.parse(key) as V, controller.signal] as RequestArgs<V>)).then(
      (data) => { first.current = false; setState({ kind: "ready", data }); },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ kind: "error", message: describeError(error), code: (error as { code?: string }).code });
      },
    );
    return () => controller.abort();
  }, [document, key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
