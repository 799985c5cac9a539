import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { runMutation } from "../../graphql/payload.js";
import { ProjectPayload } from "./project.type.js";
import { toProjectType } from "./projects.resolver.js";

@Resolver()
export class OwnershipResolver {
  @Mutation(() => ProjectPayload, { description: "Hand the project to one of its members (owner only); the former owner stays as an editor" })
  transferProjectOwnership(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("userId", () => ID, { description: "A current member's user id" }) userId: string,
    @Ctx() { actor, services }: Context,
  ): Promise<ProjectPayload> {
    return runMutation({ project: null }, async () => ({ project: toProjectType(await services.ownership.transfer(actor, projectId, userId)) }));
  }
}
