import { Args, Ctx, Query, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { pageComplexity } from "../../graphql/complexity.js";
import { Connection, PageArgs } from "../../graphql/pagination.js";
import { pageWindow, toPage } from "../../domain/pagination.js";
import { unauthenticated } from "../../domain/errors.js";
import { Worker } from "../health/health.type.js";

const WorkerConnection = Connection(Worker, "Worker");

@Resolver()
export class WorkersResolver {
  @Query(() => WorkerConnection, { complexity: pageComplexity, description: "Compute workers with a recent heartbeat, newest first (signed-in users)" })
  async workers(@Args(() => PageArgs) page: PageArgs, @Ctx() { actor, services }: Context) {
    if (actor.kind !== "user") throw unauthenticated();
    const { limit, cursor, first } = pageWindow(page);
    const live = await services.workers.live(services.config.workers.timeoutSeconds, limit, cursor);
    return toPage(
      live.map((w) => ({ ...w, createdAt: w.startedAt })),
      first,
    );
  }
}
