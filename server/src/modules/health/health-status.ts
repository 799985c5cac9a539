/** ok when database, storage and queue all answer; degraded otherwise. */
export const HEALTH_STATUSES = ["ok", "degraded"] as const;
export type HealthState = (typeof HEALTH_STATUSES)[number];
