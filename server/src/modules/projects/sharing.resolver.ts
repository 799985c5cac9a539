import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { PageArgs } from "../../graphql/pagination.js";
import { pageComplexity } from "../../graphql/complexity.js";
import { runMutation } from "../../graphql/payload.js";
import { User } from "../accounts/account.type.js";
import type { InvitationRecord } from "./invitations.service.js";
import { MemberRole, Project } from "./project.type.js";
import type { SurfaceLinkRecord } from "./sharing.service.js";
import {
  Invitation,
  InvitationConnection,
  InvitationPayload,
  SharedLink,
  SharedLinkKind,
  SurfaceLink,
  SurfaceLinkConnection,
  SurfaceLinkPayload,
} from "./sharing.type.js";

const toLink = (record: SurfaceLinkRecord): SurfaceLink => ({
  id: record.id,
  surfaceId: record.surfaceId,
  surfaceName: record.surfaceName,
  path: `/share/${encodeURIComponent(record.token)}/surfaces/${record.surfaceId}${record.view ? `?${record.view}` : ""}`,
  view: record.view,
  createdAt: record.createdAt,
  revokedAt: record.revokedAt,
  createdById: record.createdBy,
});

const toInvitation = (record: InvitationRecord): Invitation => ({
  id: record.id,
  projectId: record.projectId,
  projectName: record.projectName,
  email: record.email,
  role: record.role as MemberRole,
  createdAt: record.createdAt,
  invitedById: record.invitedBy,
});

@ArgsType()
class SurfaceLinksArgs extends PageArgs {
  @Field(() => Boolean, { defaultValue: false, description: "Also list revoked links" })
  includeRevoked: boolean = false;
}

@Resolver(() => SurfaceLink)
export class SurfaceLinkResolver {
  @FieldResolver(() => User, { nullable: true, description: "Who made the link (null once their account is gone)" })
  async createdBy(@Root() link: SurfaceLink, @Ctx() { loaders }: Context) {
    return link.createdById ? ((await loaders.users.load(link.createdById)) ?? null) : null;
  }
}

@Resolver(() => Invitation)
export class InvitationResolver {
  @FieldResolver(() => User, { nullable: true, description: "Who sent the invitation (null once their account is gone)" })
  async invitedBy(@Root() invitation: Invitation, @Ctx() { loaders }: Context) {
    return invitation.invitedById ? ((await loaders.users.load(invitation.invitedById)) ?? null) : null;
  }
}

@Resolver(() => Project)
export class SharingResolver {
  @FieldResolver(() => SurfaceLinkConnection, {
    complexity: pageComplexity,
    description: "Links to single surfaces of the project, newest first: all of them for the owner, their own for an editor, none for anyone else",
  })
  async surfaceLinks(@Root() project: Project, @Args(() => SurfaceLinksArgs) args: SurfaceLinksArgs, @Ctx() context: Context) {
    const page = await context.services.sharing.surfaceLinks(context.actor, project.id, args, args.includeRevoked, context.shareToken);
    return { nodes: page.nodes.map(toLink), pageInfo: page.pageInfo };
  }

  @FieldResolver(() => InvitationConnection, { complexity: pageComplexity, description: "Pending invitations, newest first (the owner's; empty for anyone else)" })
  async invitations(@Root() project: Project, @Args(() => PageArgs) page: PageArgs, @Ctx() { actor, services }: Context) {
    if (project.myRole !== "owner") return { nodes: [], pageInfo: { endCursor: null, hasNextPage: false } };
    const result = await services.invitations.ofProject(actor, project.id, page);
    return { nodes: result.nodes.map(toInvitation), pageInfo: result.pageInfo };
  }

  @Query(() => SharedLink, { description: "What a share link's token opens (anyone may ask; a revoked or rotated link is NOT_FOUND)" })
  async sharedLink(@Arg("token", () => String) token: string, @Ctx() { services }: Context): Promise<SharedLink> {
    const target = await services.sharing.resolve(token);
    if (target.kind === "project") return { kind: SharedLinkKind.PROJECT, projectId: target.projectId, surfaceId: null, surfaceIds: null, view: null };
    if (target.kind === "surface") return { kind: SharedLinkKind.SURFACE, projectId: target.projectId, surfaceId: target.surfaceId, surfaceIds: null, view: target.view };
    return { kind: SharedLinkKind.COMPARE, projectId: null, surfaceId: null, surfaceIds: target.surfaceIds, view: target.view };
  }

  @Query(() => InvitationConnection, { complexity: pageComplexity, description: "Invitations addressed to the signed-in user's email, newest first" })
  async myInvitations(@Args(() => PageArgs) page: PageArgs, @Ctx() { actor, services }: Context) {
    const result = await services.invitations.mine(actor, page);
    return { nodes: result.nodes.map(toInvitation), pageInfo: result.pageInfo };
  }

  @Mutation(() => SurfaceLinkPayload, {
    description: "A new link to one surface, opening it with `view` (editors and owners). The project's visibility does not change.",
  })
  createSurfaceLink(
    @Arg("surfaceId", () => ID) surfaceId: string,
    @Arg("view", () => String, { nullable: true, description: "The surface page's query string to open with" }) view: string | null,
    @Ctx() { actor, services }: Context,
  ): Promise<SurfaceLinkPayload> {
    return runMutation({ link: null }, async () => ({ link: toLink(await services.sharing.createSurfaceLink(actor, surfaceId, view)) }));
  }

  @Mutation(() => SurfaceLinkPayload, { description: "Revoke a surface link at once (the owner any; an editor their own)" })
  revokeSurfaceLink(@Arg("id", () => ID) id: string, @Ctx() { actor, services }: Context): Promise<SurfaceLinkPayload> {
    return runMutation({ link: null }, async () => ({ link: toLink(await services.sharing.revokeSurfaceLink(actor, id)) }));
  }

  @Mutation(() => InvitationPayload, {
    description: "Invite an email to the project with a role (owner only); they accept or decline after signing in. The answer is the same whether the email has an account or not.",
  })
  inviteProjectMember(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("email", () => String) email: string,
    @Arg("role", () => MemberRole) role: MemberRole,
    @Ctx() { actor, services }: Context,
  ): Promise<InvitationPayload> {
    return runMutation({ invitation: null }, async () => ({ invitation: toInvitation(await services.invitations.invite(actor, projectId, email, role)) }));
  }

  @Mutation(() => InvitationPayload, { description: "Accept an invitation addressed to you: you become a member with its role" })
  acceptInvitation(@Arg("id", () => ID) id: string, @Ctx() { actor, services }: Context): Promise<InvitationPayload> {
    return runMutation({ invitation: null }, async () => ({ invitation: toInvitation(await services.invitations.accept(actor, id)) }));
  }

  @Mutation(() => InvitationPayload, { description: "Decline an invitation addressed to you" })
  declineInvitation(@Arg("id", () => ID) id: string, @Ctx() { actor, services }: Context): Promise<InvitationPayload> {
    return runMutation({ invitation: null }, async () => ({ invitation: toInvitation(await services.invitations.decline(actor, id)) }));
  }

  @Mutation(() => InvitationPayload, { description: "Withdraw a pending invitation (owner only)" })
  withdrawInvitation(@Arg("id", () => ID) id: string, @Ctx() { actor, services }: Context): Promise<InvitationPayload> {
    return runMutation({ invitation: null }, async () => ({ invitation: toInvitation(await services.invitations.withdraw(actor, id)) }));
  }
}
