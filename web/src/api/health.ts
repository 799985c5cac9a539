import { request } from "./graphql";

export interface ComponentHealth {
  ok: boolean;
  latencyMs: number;
  error: string | null;
}

export interface WorkerInfo {
  id: string;
  hostname: string;
  backend: string;
  device: string;
  gpu: boolean;
  lastHeartbeatAt: string;
}

export interface HealthData {
  status: "OK" | "DEGRADED";
  version: string;
  uptimeSeconds: number;
  database: ComponentHealth & { serverVersion: string | null; embedded: boolean };
  storage: ComponentHealth & { bucket: string; embedded: boolean };
  queue: ComponentHealth & { queued: number; active: number; failed: number };
  workers: WorkerInfo[];
}

export const HEALTH_QUERY = /* GraphQL */ `
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
`;

export async function fetchHealth(signal?: AbortSignal): Promise<HealthData> {
  return (await request<{ health: HealthData }>(HEALTH_QUERY, undefined, signal)).health;
}
