import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { PageArgs } from "../../graphql/pagination.js";
import { runMutation } from "../../graphql/payload.js";
import { DeletePayload } from "../projects/project.type.js";
import { DatasetPayload } from "../uploads/upload.type.js";
import { BuiltinDataset, Dataset, DatasetConnection } from "./dataset.type.js";

@Resolver(() => Dataset)
export class DatasetsResolver {
  @Query(() => Dataset)
  dataset(@Arg("id", () => ID) id: string, @Ctx() { actor, services, shareToken }: Context) {
    return services.datasets.get(actor, id, "read", shareToken);
  }

  @Query(() => DatasetConnection, { description: "Datasets of a project, newest first" })
  datasets(@Arg("projectId", () => ID) projectId: string, @Args(() => PageArgs) page: PageArgs, @Ctx() { actor, services, shareToken }: Context) {
    return services.datasets.list(actor, projectId, page, shareToken);
  }

  @Mutation(() => DatasetPayload, { description: "Add a built-in dataset (Iris, MNIST) to a project (editors and owners)" })
  addBuiltinDataset(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("dataset", () => BuiltinDataset) dataset: BuiltinDataset,
    @Ctx() { actor, services }: Context,
  ): Promise<DatasetPayload> {
    return runMutation({ dataset: null }, async () => ({ dataset: await services.datasets.addBuiltin(actor, projectId, dataset) }));
  }

  @Mutation(() => DeletePayload, { description: "Delete a dataset and its files (editors and owners)" })
  deleteDataset(@Arg("id", () => ID) id: string, @Ctx() { actor, services }: Context): Promise<DeletePayload> {
    return runMutation({ deletedId: null }, async () => ({ deletedId: await services.datasets.delete(actor, id) }));
  }
}
