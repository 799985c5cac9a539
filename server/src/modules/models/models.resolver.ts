import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { lossName } from "./loss-names.js";
import type { Context } from "../../graphql/context.js";
import { DownloadFile } from "../../graphql/download.type.js";
import { PageArgs } from "../../graphql/pagination.js";
import { pageComplexity } from "../../graphql/complexity.js";
import { runMutation } from "../../graphql/payload.js";
import { DeletePayload } from "../projects/project.type.js";
import { Checkpoint, CheckpointConnection, Model, ModelConnection, ModelDirectionConnection } from "./model.type.js";
import { ComputeCurvatureInput, ModelCurvature, ModelCurvaturePayload } from "./curvature.type.js";

@Resolver(() => Model)
export class ModelsResolver {
  @Query(() => Model)
  model(@Arg("id", () => ID) id: string, @Ctx() { actor, services, shareToken }: Context) {
    return services.models.get(actor, id, "read", shareToken);
  }

  @Query(() => ModelConnection, { complexity: pageComplexity, description: "Models of a project, newest first" })
  models(@Arg("projectId", () => ID) projectId: string, @Args(() => PageArgs) page: PageArgs, @Ctx() { actor, services, shareToken }: Context) {
    return services.models.list(actor, projectId, page, shareToken);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The loss as the model's framework names it: PyTorch's words for an ONNX model (cross-entropy), Keras's for a TF.js one (sparse_categorical_crossentropy)",
  })
  lossName(@Root() model: Model): string | null {
    return lossName(model.format, model.loss);
  }

  @FieldResolver(() => CheckpointConnection, { complexity: pageComplexity, description: "Checkpoints of the model's training run, in step order" })
  checkpoints(@Root() model: Model, @Args(() => PageArgs) page: PageArgs, @Ctx() { services }: Context) {
    // The model was already loaded through an access check.
    return services.models.checkpoints(model.id, page);
  }

  @FieldResolver(() => ModelDirectionConnection, { complexity: pageComplexity, description: "Directions uploaded for the model, oldest first; a plane can run along them (params.directionX/directionY)" })
  directions(@Root() model: Model, @Args(() => PageArgs) page: PageArgs, @Ctx() { services }: Context) {
    // The model was already loaded through an access check.
    return services.models.directions(model.id, page);
  }

  @FieldResolver(() => [DownloadFile], { description: "The model's stored files: model.json and its weight shards" })
  downloads(@Root() model: Model, @Ctx() { services }: Context): Promise<DownloadFile[]> {
    // The model was already loaded through an access check.
    return services.models.downloads(model.id, services.config.uploads.urlSeconds);
  }

  @Mutation(() => DeletePayload, { description: "Delete a model, its checkpoints and files (editors and owners)" })
  deleteModel(@Arg("id", () => ID) id: string, @Ctx() { actor, services }: Context): Promise<DeletePayload> {
    return runMutation({ deletedId: null }, async () => ({ deletedId: await services.models.delete(actor, id) }));
  }

  @FieldResolver(() => ModelCurvature, { nullable: true, description: "The latest curvature of the model's loss (Hessian eigenvalues, trace, density), if one was computed" })
  curvature(@Root() model: Model, @Ctx() { services }: Context): Promise<ModelCurvature | null> {
    // The model was already loaded through an access check.
    return services.models.latestCurvature(model.id);
  }

  @Mutation(() => ModelCurvaturePayload, { description: "Compute the Hessian's top eigenvalues, lambda_min, trace and eigenvalue density at a model on a worker (editors and owners)" })
  computeModelCurvature(@Arg("input", () => ComputeCurvatureInput) input: ComputeCurvatureInput, @Ctx() { actor, services }: Context): Promise<ModelCurvaturePayload> {
    return runMutation({ curvature: null }, async () => ({ curvature: await services.models.computeCurvature(actor, input) }));
  }
}

@Resolver(() => Checkpoint)
export class CheckpointsResolver {
  @FieldResolver(() => [DownloadFile], { description: "The checkpoint's stored files, in its model's format (model.json and shards, or the ONNX file): a PCA plane can be recomputed from them" })
  downloads(@Root() checkpoint: Checkpoint, @Ctx() { services }: Context): Promise<DownloadFile[]> {
    // A checkpoint is reached only through its model (already access-checked) or returned to the editor who uploaded it.
    return services.models.checkpointDownloads(checkpoint.id, services.config.uploads.urlSeconds);
  }
}
