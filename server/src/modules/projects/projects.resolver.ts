import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { PageArgs } from "../../graphql/pagination.js";
import { pageComplexity } from "../../graphql/complexity.js";
import { runMutation } from "../../graphql/payload.js";
import { User } from "../accounts/account.type.js";
import {
  CreateProjectInput,
  DeletePayload,
  MemberConnection,
  MemberPayload,
  MemberRole,
  Project,
  ProjectConnection,
  ProjectPayload,
  ProjectRole,
  ProjectVisibility,
  UpdateProjectInput,
} from "./project.type.js";
import type { MemberRecord, ProjectRecord } from "./projects.service.js";

export function toProjectType(record: ProjectRecord): Project {
  return {
    id: record.id,
    name: record.name,
    description: record.description,
    visibility: record.visibility as ProjectVisibility,
    myRole: record.role as ProjectRole,
    shareToken: record.shareToken,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ownerId: record.ownerId,
  };
}

const toMember = (record: MemberRecord) => ({ user: record.user, role: record.role as MemberRole, addedAt: record.addedAt });

@Resolver(() => Project)
export class ProjectsResolver {
  @Query(() => ProjectConnection, { complexity: pageComplexity, description: "Projects the caller owns or is a member of, newest first" })
  async projects(@Args(() => PageArgs) page: PageArgs, @Ctx() { actor, services }: Context) {
    const result = await services.projects.listMine(actor, page);
    return { nodes: result.nodes.map(toProjectType), pageInfo: result.pageInfo };
  }

  @Query(() => Project, { description: "One project the caller may see (as member, through its share link, or because it is public)" })
  async project(
    @Arg("id", () => ID) id: string,
    @Arg("shareToken", () => String, { nullable: true, description: "The token of a share link; the X-Share-Token header works too" })
    shareToken: string | null,
    @Ctx() context: Context,
  ): Promise<Project> {
    return toProjectType(await context.services.projects.access(context.actor, id, "read", shareToken ?? context.shareToken));
  }

  @FieldResolver(() => User)
  async owner(@Root() project: Project, @Ctx() { loaders }: Context): Promise<User> {
    const user = await loaders.users.load(project.ownerId);
    if (!user) throw new Error(`owner ${project.ownerId} of project ${project.id} is missing`);
    return user;
  }

  @FieldResolver(() => MemberConnection, { complexity: pageComplexity, description: "Members other than the owner, newest first" })
  async members(@Root() project: Project, @Args(() => PageArgs) page: PageArgs, @Ctx() context: Context) {
    const result = await context.services.projects.members(context.actor, project.id, page, context.shareToken);
    return { nodes: result.nodes.map(toMember), pageInfo: result.pageInfo };
  }

  @Mutation(() => ProjectPayload)
  createProject(@Arg("input", () => CreateProjectInput) input: CreateProjectInput, @Ctx() { actor, services }: Context): Promise<ProjectPayload> {
    return runMutation({ project: null }, async () => ({ project: toProjectType(await services.projects.create(actor, input)) }));
  }

  @Mutation(() => ProjectPayload, { description: "Rename or describe a project (owner only)" })
  updateProject(@Arg("input", () => UpdateProjectInput) input: UpdateProjectInput, @Ctx() { actor, services }: Context): Promise<ProjectPayload> {
    return runMutation({ project: null }, async () => ({ project: toProjectType(await services.projects.update(actor, input.id, input)) }));
  }

  @Mutation(() => DeletePayload, { description: "Delete a project and everything in it (owner only)" })
  deleteProject(@Arg("id", () => ID) id: string, @Ctx() { actor, services }: Context): Promise<DeletePayload> {
    return runMutation({ deletedId: null }, async () => ({ deletedId: await services.projects.delete(actor, id) }));
  }

  @Mutation(() => ProjectPayload, { description: "Who may view the project; link creates a share token (owner only)" })
  setProjectVisibility(
    @Arg("id", () => ID) id: string,
    @Arg("visibility", () => ProjectVisibility) visibility: ProjectVisibility,
    @Ctx() { actor, services }: Context,
  ): Promise<ProjectPayload> {
    return runMutation({ project: null }, async () => ({ project: toProjectType(await services.projects.setVisibility(actor, id, visibility)) }));
  }

  @Mutation(() => ProjectPayload, { description: "Replace the share token so old links stop working (owner only)" })
  rotateShareToken(@Arg("id", () => ID) id: string, @Ctx() { actor, services }: Context): Promise<ProjectPayload> {
    return runMutation({ project: null }, async () => ({ project: toProjectType(await services.projects.rotateShareToken(actor, id)) }));
  }

  @Mutation(() => MemberPayload, { description: "Change the role of a current member, named by email (owner only); new members come in by inviteProjectMember" })
  setProjectMember(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("email", () => String) email: string,
    @Arg("role", () => MemberRole) role: MemberRole,
    @Ctx() { actor, services }: Context,
  ): Promise<MemberPayload> {
    return runMutation({ member: null }, async () => ({ member: toMember(await services.projects.setMember(actor, projectId, email, role)) }));
  }

  @Mutation(() => DeletePayload, { description: "Remove a member (owner), or leave a project (the member themself)" })
  removeProjectMember(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("userId", () => ID) userId: string,
    @Ctx() { actor, services }: Context,
  ): Promise<DeletePayload> {
    return runMutation({ deletedId: null }, async () => {
      await services.projects.removeMember(actor, projectId, userId);
      return { deletedId: userId };
    });
  }
}
