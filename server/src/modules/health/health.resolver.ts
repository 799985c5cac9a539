import { Ctx, Query, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { Health } from "./health.type.js";

@Resolver()
export class HealthResolver {
  // Public on purpose: load balancers and the sign-in page probe it without credentials. It
  // answers from a snapshot refreshed in the background, so it costs nothing per call; anonymous
  // callers get the overall status alone, without hostnames, pids or versions.
  @Query(() => Health, {
    description: "Status of the database, object storage, job queue and workers, from a snapshot refreshed every few seconds; details for signed-in callers only",
  })
  async health(@Ctx() { actor, services }: Context): Promise<Health> {
    const health = await services.health.current();
    if (actor.kind === "user") return health;
    return { status: health.status, version: null, uptimeSeconds: null, installation: null, database: null, storage: null, queue: null, workers: null };
  }
}
