import { ArgsType, Field, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { Connection, PageArgs } from "../../graphql/pagination.js";
import { MutationPayload } from "../../graphql/payload.js";
import { User } from "../accounts/account.type.js";

export enum ProjectVisibility {
  PRIVATE = "private",
  LINK = "link",
  PUBLIC = "public",
}
registerEnumType(ProjectVisibility, {
  name: "ProjectVisibility",
  description: "private: members only; link: anyone with the share link may view; public: everyone may view",
});

export enum ProjectRole {
  OWNER = "owner",
  EDITOR = "editor",
  VIEWER = "viewer",
  LINK = "link",
  PUBLIC = "public",
  SURFACE_LINK = "surface",
}
registerEnumType(ProjectRole, {
  name: "ProjectRole",
  description: "The caller's role on a project; SURFACE_LINK: the holder of a link to one surface, who sees that surface alone",
});

export enum MemberRole {
  EDITOR = "editor",
  VIEWER = "viewer",
}
registerEnumType(MemberRole, { name: "MemberRole", description: "editor: may upload, compute and annotate; viewer: may look" });

@ObjectType({ description: "A collection of models, datasets and surfaces, shared with its members" })
export class Project {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  description!: string;

  @Field(() => ProjectVisibility)
  visibility!: ProjectVisibility;

  @Field(() => ProjectRole, { description: "What the caller may do here" })
  myRole!: ProjectRole;

  @Field(() => String, { nullable: true, description: "The view-only share token (owner only; null unless visibility is link)" })
  shareToken!: string | null;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime)
  updatedAt!: Date;

  // Resolved by field resolvers: owner, members.
  ownerId!: string;
}

@ObjectType()
export class Member {
  @Field(() => User)
  user!: User;

  @Field(() => MemberRole)
  role!: MemberRole;

  @Field(() => GraphQLISODateTime)
  addedAt!: Date;
}

export const ProjectConnection = Connection(Project, "Project");
export const MemberConnection = Connection(Member, "Member");

@InputType()
export class CreateProjectInput {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@InputType()
export class UpdateProjectInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@ArgsType()
export class MembersArgs extends PageArgs {}

@ObjectType({ implements: MutationPayload })
export class ProjectPayload extends MutationPayload {
  @Field(() => Project, { nullable: true })
  project!: Project | null;
}

@ObjectType({ implements: MutationPayload })
export class DeletePayload extends MutationPayload {
  @Field(() => ID, { nullable: true, description: "The id of what was deleted" })
  deletedId!: string | null;
}

@ObjectType({ implements: MutationPayload })
export class MemberPayload extends MutationPayload {
  @Field(() => Member, { nullable: true })
  member!: Member | null;
}
