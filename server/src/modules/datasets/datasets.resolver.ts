import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { DownloadFile } from "../../graphql/download.type.js";
import { PageArgs } from "../../graphql/pagination.js";
import { pageComplexity } from "../../graphql/complexity.js";
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

  @Query(() => DatasetConnection, { complexity: pageComplexity, description: "Datasets of a project, newest first" })
  datasets(@Arg("projectId", () => ID) projectId: string, @Args(() => PageArgs) page: PageArgs, @Ctx() { actor, services, shareToken }: Context) {
    return services.datasets.list(actor, projectId, page, shareToken);
  }

  @FieldResolver(() => [DownloadFile], { description: "The dataset's stored files (none for built-ins)" })
  downloads(@Root() dataset: Dataset, @Ctx() { services }: Context): Promise<DownloadFile[]> {
    // The dataset was already loaded through an access check.
    return services.datasets.downloads(dataset.id, services.config.uploads.urlSeconds);
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
