import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { PageArgs } from "../../graphql/pagination.js";
import { pageComplexity } from "../../graphql/complexity.js";
import { runMutation } from "../../graphql/payload.js";
import { User } from "../accounts/account.type.js";
import type { CompareLinkRecord } from "./compare-links.service.js";
import { Project } from "./project.type.js";
import { CompareLink, CompareLinkConnection, CompareLinkPayload } from "./sharing.type.js";

/** @param projectId the project listing the link: surfaces of other projects keep their names to themselves. */
const toLink = (record: CompareLinkRecord, projectId?: string): CompareLink => {
  const ids = record.surfaces.map((s) => s.id).join(",");
  return {
    id: record.id,
    surfaces: record.surfaces.map((s) => ({ id: s.id, name: projectId === undefined || s.projectId === projectId ? s.name : null })),
    path: `/share/${encodeURIComponent(record.token)}/compare?ids=${ids}${record.view ? `&${record.view}` : ""}`,
    view: record.view,
    createdAt: record.createdAt,
    revokedAt: record.revokedAt,
    createdById: record.createdBy,
  };
};

@ArgsType()
class CompareLinksArgs extends PageArgs {
  @Field(() => Boolean, { defaultValue: false, description: "Also list revoked links" })
  includeRevoked: boolean = false;
}

@Resolver(() => CompareLink)
export class CompareLinkResolver {
  @FieldResolver(() => User, { nullable: true, description: "Who made the link (null once their account is gone)" })
  async createdBy(@Root() link: CompareLink, @Ctx() { loaders }: Context) {
    return link.createdById ? ((await loaders.users.load(link.createdById)) ?? null) : null;
  }
}

@Resolver(() => Project)
export class CompareLinksResolver {
  @FieldResolver(() => CompareLinkConnection, {
    complexity: pageComplexity,
    description: "Links to comparisons holding a surface of the project, newest first: all of them for the owner, their own for an editor, none for anyone else",
  })
  async compareLinks(@Root() project: Project, @Args(() => CompareLinksArgs) args: CompareLinksArgs, @Ctx() context: Context) {
    const page = await context.services.compareLinks.ofProject(context.actor, project.id, args, args.includeRevoked, context.shareToken);
    return { nodes: page.nodes.map((l) => toLink(l, project.id)), pageInfo: page.pageInfo };
  }

  @Mutation(() => CompareLinkPayload, {
    description: "A new link to a comparison of two to ten surfaces, in this order, opening with `view` (editors and owners of every surface's project). No project's visibility changes.",
  })
  createCompareLink(
    @Arg("surfaceIds", () => [ID]) surfaceIds: string[],
    @Arg("view", () => String, { nullable: true, description: "The compare page's settings to open with (its query string, without the surfaces)" }) view: string | null,
    @Ctx() { actor, services }: Context,
  ): Promise<CompareLinkPayload> {
    return runMutation({ link: null }, async () => ({ link: toLink(await services.compareLinks.create(actor, surfaceIds, view)) }));
  }

  @Mutation(() => CompareLinkPayload, { description: "Revoke a comparison link at once (its maker, or the owner of any of its surfaces' projects)" })
  revokeCompareLink(@Arg("id", () => ID) id: string, @Ctx() { actor, services }: Context): Promise<CompareLinkPayload> {
    return runMutation({ link: null }, async () => ({ link: toLink(await services.compareLinks.revoke(actor, id)) }));
  }
}
