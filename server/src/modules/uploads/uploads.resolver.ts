import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { runMutation } from "../../graphql/payload.js";
import { limit } from "../accounts/accounts.resolver.js";
import { requireUser } from "../projects/projects.service.js";
import { CompleteUploadPayload, RequestUploadInput, RequestUploadPayload, StorageUsage } from "./upload.type.js";

@Resolver()
export class UploadsResolver {
  @Query(() => StorageUsage, { description: "What the signed-in user stores, against the quota" })
  async storageUsage(@Ctx() { actor, services }: Context): Promise<StorageUsage> {
    const userId = requireUser(actor);
    return { usedBytes: await services.uploads.bytesUsed(userId), quotaBytes: services.config.uploads.quotaBytes };
  }

  @Mutation(() => RequestUploadPayload, { description: "Step 1 of an upload: presigned PUT URLs for each file (editors and owners)" })
  requestUpload(@Arg("input", () => RequestUploadInput) input: RequestUploadInput, @Ctx() context: Context): Promise<RequestUploadPayload> {
    return runMutation({ upload: null }, async () => {
      await limit(context, "upload");
      return { upload: await context.services.uploads.request(context.actor, input) };
    });
  }

  @Mutation(() => CompleteUploadPayload, {
    description: "Step 2, after every PUT: validates the files by content and records the model, dataset or checkpoint. A rejected upload is deleted.",
  })
  completeUpload(@Arg("id", () => ID) id: string, @Ctx() { actor, services }: Context): Promise<CompleteUploadPayload> {
    return runMutation({ model: null, dataset: null, checkpoint: null, direction: null }, async () => {
      const done = await services.uploads.complete(actor, id);
      return {
        model: done.kind === "model" ? await services.models.get(actor, done.id) : null,
        dataset: done.kind === "dataset" ? await services.datasets.get(actor, done.id) : null,
        checkpoint: done.kind === "checkpoint" ? await services.models.checkpoint(done.id) : null,
        direction: done.kind === "direction" ? await services.models.direction(done.id) : null,
      };
    });
  }
}
