/** Loads a GraphQL query on mount and when its variables change; `reload` fetches again. */
import { useCallback, useEffect, useRef, useState } from "react";
import { describeError, request } from "./graphql";

export type QueryState<T> = { kind: "loading" } | { kind: "error"; message: string; code?: string } | { kind: "ready"; data: T };

export function useQuery<T>(query: string, variables: Record<string, unknown> | null): QueryState<T> & { reload: () => void } {
  const [state, setState] = useState<QueryState<T>>({ kind: "loading" });
  const [tick, setTick] = useState(0);
  const key = variables === null ? null : JSON.stringify(variables);
  const first = useRef(true);
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    // Keep showing the old data while reloading; only the first load shows a spinner.
    if (first.current) setState({ kind: "loading" });
    request<T>(query, JSON.parse(key) as Record<string, unknown>, controller.signal).then(
      (data) => { first.current = false; setState({ kind: "ready", data }); },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ kind: "error", message: describeError(error), code: (error as { code?: string }).code });
      },
    );
    return () => controller.abort();
  }, [query, key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
