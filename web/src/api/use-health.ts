import { useEffect, useState } from "react";
import { ApiError } from "./graphql";
import { type HealthData, fetchHealth } from "./health";

export type HealthState =
  | { kind: "loading" }
  | { kind: "ready"; health: HealthData; checkedAt: Date }
  | { kind: "error"; message: string; code: string };

/**
 * The service's health, polled every `intervalMs` (default 5000 ms) so worker arrivals and
 * outages show up without a reload.
 */
export function useHealth(intervalMs = 5000, enabled = true, load: typeof fetchHealth = fetchHealth): HealthState {
  const [state, setState] = useState<HealthState>({ kind: "loading" });
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const health = await load(controller.signal);
        setState({ kind: "ready", health, checkedAt: new Date() });
      } catch (error) {
        if (controller.signal.aborted) return;
        const code = error instanceof ApiError ? error.code : "UNKNOWN";
        setState({ kind: "error", message: error instanceof Error ? error.message : String(error), code });
      }
      if (!controller.signal.aborted) timer = setTimeout(poll, intervalMs);
    };
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [intervalMs, enabled, load]);
  return state;
}
