import { Ctx, Query, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { checkHealth } from "./health.service.js";
import { Health } from "./health.type.js";

@Resolver()
export class HealthResolver {
  // Public on purpose: load balancers and the sign-in page probe it without credentials.
  @Query(() => Health, { description: "Status of the database, object storage, job queue and workers" })
  health(@Ctx() context: Context): Promise<Health> {
    return checkHealth(context.services);
  }
}
