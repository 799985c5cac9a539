import { Arg, Args, Ctx, ID, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { SubscribeResolverData } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { PageArgs } from "../../graphql/pagination.js";
import { pageComplexity } from "../../graphql/complexity.js";
import { runMutation } from "../../graphql/payload.js";
import { DeletePayload } from "../projects/project.type.js";
import { StartTrainingInput, TrainingRun, TrainingRunConnection, TrainingRunPayload, type TrainingStatus } from "./training.type.js";
import type { TrainingRunRecord } from "./training.service.js";

const toRunType = (record: TrainingRunRecord): TrainingRun => ({ ...record, status: record.status as TrainingStatus }) as TrainingRun;

@Resolver(() => TrainingRun)
export class TrainingResolver {
  @Query(() => TrainingRun)
  async trainingRun(@Arg("id", () => ID) id: string, @Ctx() { actor, services, shareToken }: Context): Promise<TrainingRun> {
    return toRunType(await services.training.get(actor, id, "read", shareToken));
  }

  @Query(() => TrainingRunConnection, { complexity: pageComplexity, description: "Training runs of a project, newest first" })
  async trainingRuns(@Arg("projectId", () => ID) projectId: string, @Args(() => PageArgs) page: PageArgs, @Ctx() { actor, services, shareToken }: Context) {
    const result = await services.training.list(actor, projectId, page, shareToken);
    return { nodes: result.nodes.map(toRunType), pageInfo: result.pageInfo };
  }

  @Mutation(() => TrainingRunPayload, { description: "Train a zoo model on a worker, saving checkpoints as it goes (editors and owners)" })
  startTraining(@Arg("input", () => StartTrainingInput) input: StartTrainingInput, @Ctx() { actor, services }: Context): Promise<TrainingRunPayload> {
    return runMutation({ run: null }, async () => ({ run: toRunType(await services.training.start(actor, input)) }));
  }

  @Mutation(() => DeletePayload, { description: "Delete a finished, failed or cancelled training run and its checkpoints' files (editors and owners)" })
  deleteTrainingRun(@Arg("id", () => ID) id: string, @Ctx() { actor, services }: Context): Promise<DeletePayload> {
    return runMutation({ deletedId: null }, async () => ({ deletedId: await services.training.delete(actor, id) }));
  }

  @Mutation(() => TrainingRunPayload, { description: "Stop a queued or running training run (editors and owners)" })
  cancelTraining(@Arg("id", () => ID) id: string, @Ctx() { actor, services }: Context): Promise<TrainingRunPayload> {
    return runMutation({ run: null }, async () => ({ run: toRunType(await services.training.cancel(actor, id)) }));
  }

  @Subscription(() => TrainingRun, {
    description: "The run after every checkpoint, about every second of steps, and at every change of status",
    subscribe: ({ args, context }: SubscribeResolverData<unknown, { id: string }, Context>) => trainingEvents(context, args.id),
  })
  trainingProgress(@Root() run: TrainingRun, @Arg("id", () => ID) _id: string): TrainingRun {
    return run;
  }
}

async function trainingEvents(context: Context, runId: string): Promise<AsyncIterable<TrainingRun>> {
  const { services, actor, shareToken } = context;
  const first = await services.training.get(actor, runId, "read", shareToken);
  const controller = new AbortController();
  const notices = services.progress.subscribeTraining(first.id, controller.signal);
  const finished = (r: TrainingRunRecord) => r.status === "ready" || r.status === "failed" || r.status === "cancelled";
  return {
    async *[Symbol.asyncIterator]() {
      try {
        const iterator = notices[Symbol.asyncIterator]();
        const snapshot = await services.training.get(actor, runId, "read", shareToken);
        yield toRunType(snapshot);
        if (finished(snapshot)) return;
        while (true) {
          const next = await iterator.next();
          if (next.done) return;
          const run = await services.training.get(actor, runId, "read", shareToken);
          yield toRunType(run);
          if (finished(run)) return;
        }
      } finally {
        controller.abort();
      }
    },
  };
}
