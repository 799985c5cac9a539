import { graphql } from "./gql";
import type { HealthQuery } from "./gql/graphql";
import { request } from "./graphql";

/** The service's health as the status page selects it (typed from the schema). */
export type HealthData = HealthQuery["health"];
/** What the database, storage and queue have in common. */
export type ComponentHealth = Pick<NonNullable<HealthData["database"]>, "ok" | "latencyMs" | "error">;
export type WorkerInfo = NonNullable<HealthData["workers"]>[number];

export const HEALTH_QUERY = graphql(`
  query Health {
    health {
      status
      version
      uptimeSeconds
      database { ok latencyMs error serverVersion embedded }
      storage { ok latencyMs error bucket embedded }
      queue { ok latencyMs error queued active failed }
      workers { id hostname backend device gpu lastHeartbeatAt }
    }
  }
`);

export async function fetchHealth(signal?: AbortSignal): Promise<HealthData> {
  return (await request(HEALTH_QUERY, undefined, signal)).health;
}
