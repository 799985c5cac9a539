/** Failing a surface, from a job or from the sweeper. */
import type { Pool } from "../db/pool.js";
import { forgetSurface } from "./context-cache.js";
import { markSurfaceFailed, notifySurfaceProgress } from "./sql/surfaces.js";

/** Marks a surface failed with a code and a message for its owner; later jobs of it do nothing. */
export async function failSurface(pool: Pool, surfaceId: string, code: string, message: string): Promise<void> {
  await markSurfaceFailed(pool, surfaceId, code, message);
  await notifySurfaceProgress(pool, surfaceId, null);
  forgetSurface(surfaceId);
}
