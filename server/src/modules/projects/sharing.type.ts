import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../../graphql/pagination.js";
import { MutationPayload } from "../../graphql/payload.js";
import { MemberRole } from "./project.type.js";

@ObjectType({ description: "A link to one surface: its holder sees that surface (values, annotations, the saved view) and nothing else of the project" })
export class SurfaceLink {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  surfaceId!: string;

  @Field(() => String)
  surfaceName!: string;

  @Field(() => String, { description: "Path of the link in the web app: /share/<token>/surfaces/<id>?<view>" })
  path!: string;

  @Field(() => String, { description: "The view settings the link opens with (the surface page's query string)" })
  view!: string;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "When the link was revoked; a revoked link opens nothing" })
  revokedAt!: Date | null;

  // Resolved by a field resolver: createdBy.
  createdById!: string | null;
}

export const SurfaceLinkConnection = Connection(SurfaceLink, "SurfaceLink");

@ObjectType({ implements: MutationPayload })
export class SurfaceLinkPayload extends MutationPayload {
  @Field(() => SurfaceLink, { nullable: true })
  link!: SurfaceLink | null;
}

export enum SharedLinkKind {
  PROJECT = "project",
  SURFACE = "surface",
}
registerEnumType(SharedLinkKind, { name: "SharedLinkKind", description: "PROJECT: the project's link (the whole project, read only); SURFACE: a link to one surface" });

@ObjectType({ description: "What a share link opens" })
export class SharedLink {
  @Field(() => SharedLinkKind)
  kind!: SharedLinkKind;

  @Field(() => ID)
  projectId!: string;

  @Field(() => ID, { nullable: true, description: "SURFACE links: the surface" })
  surfaceId!: string | null;

  @Field(() => String, { nullable: true, description: "SURFACE links: the view settings saved with the link" })
  view!: string | null;
}

@ObjectType({ description: "An invitation to join a project, waiting for the invitee's answer" })
export class Invitation {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  projectId!: string;

  @Field(() => String)
  projectName!: string;

  @Field(() => String, { description: "The invited address (seen by the project's owner and by the invitee)" })
  email!: string;

  @Field(() => MemberRole)
  role!: MemberRole;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  // Resolved by a field resolver: invitedBy.
  invitedById!: string | null;
}

export const InvitationConnection = Connection(Invitation, "Invitation");

@ObjectType({ implements: MutationPayload })
export class InvitationPayload extends MutationPayload {
  @Field(() => Invitation, { nullable: true })
  invitation!: Invitation | null;
}


