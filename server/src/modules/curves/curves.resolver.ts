import { Arg, Args, Ctx, ID, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { SubscribeResolverData } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { pageComplexity } from "../../graphql/complexity.js";
import { PageArgs } from "../../graphql/pagination.js";
import { runMutation } from "../../graphql/payload.js";
import { DeletePayload } from "../projects/project.type.js";
import { ConnectModelsInput, Curve, CurveConnection, CurvePayload } from "./curve.type.js";
import type { CurveRecord } from "./curves.service.js";

const toCurveType = (record: CurveRecord): Curve => record as unknown as Curve;

@Resolver(() => Curve)
export class CurvesResolver {
  @Query(() => Curve)
  async curve(@Arg("id", () => ID) id: string, @Ctx() { actor, services, shareToken }: Context): Promise<Curve> {
    return toCurveType(await services.curves.get(actor, id, "read", shareToken));
  }

  @Query(() => CurveConnection, { complexity: pageComplexity, description: "Curves between models of a project, newest first" })
  async curves(@Arg("projectId", () => ID) projectId: string, @Args(() => PageArgs) page: PageArgs, @Ctx() { actor, services, shareToken }: Context) {
    const result = await services.curves.list(actor, projectId, page, shareToken);
    return { nodes: result.nodes.map(toCurveType), pageInfo: result.pageInfo };
  }

  @Mutation(() => CurvePayload, { description: "Train a low-loss curve between two models of one architecture on a worker, then evaluate it and the straight line (editors and owners)" })
  connectModels(@Arg("input", () => ConnectModelsInput) input: ConnectModelsInput, @Ctx() { actor, services }: Context): Promise<CurvePayload> {
    return runMutation({ curve: null }, async () => ({ curve: toCurveType(await services.curves.start(actor, input)) }));
  }

  @Mutation(() => CurvePayload, { description: "Stop a queued or running curve (editors and owners)" })
  cancelCurve(@Arg("id", () => ID) id: string, @Ctx() { actor, services }: Context): Promise<CurvePayload> {
    return runMutation({ curve: null }, async () => ({ curve: toCurveType(await services.curves.cancel(actor, id)) }));
  }

  @Mutation(() => DeletePayload, { description: "Delete a finished, failed or cancelled curve and its stored bends (editors and owners)" })
  deleteCurve(@Arg("id", () => ID) id: string, @Ctx() { actor, services }: Context): Promise<DeletePayload> {
    return runMutation({ deletedId: null }, async () => ({ deletedId: await services.curves.delete(actor, id) }));
  }

  @Subscription(() => Curve, {
    description: "The curve about every second of training or evaluation, after every checkpoint, and at every change of status",
    subscribe: ({ args, context }: SubscribeResolverData<unknown, { id: string }, Context>) => curveEvents(context, args.id),
  })
  curveProgress(@Root() curve: Curve, @Arg("id", () => ID) _id: string): Curve {
    return curve;
  }
}

async function curveEvents(context: Context, curveId: string): Promise<AsyncIterable<Curve>> {
  const { services, actor, shareToken } = context;
  const first = await services.curves.get(actor, curveId, "read", shareToken);
  const controller = new AbortController();
  const notices = services.progress.subscribeCurve(first.id, controller.signal);
  const finished = (c: CurveRecord) => c.status === "ready" || c.status === "failed" || c.status === "cancelled";
  return {
    async *[Symbol.asyncIterator]() {
      try {
        const iterator = notices[Symbol.asyncIterator]();
        const snapshot = await services.curves.get(actor, curveId, "read", shareToken);
        yield toCurveType(snapshot);
        if (finished(snapshot)) return;
        while (true) {
          const next = await iterator.next();
          if (next.done) return;
          const curve = await services.curves.get(actor, curveId, "read", shareToken);
          yield toCurveType(curve);
          if (finished(curve)) return;
        }
      } finally {
        controller.abort();
      }
    },
  };
}
