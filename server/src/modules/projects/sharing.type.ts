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

@ObjectType({ description: "One surface of a comparison link, in its place" })
export class CompareLinkSurface {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true, description: "The surface's name; null for a surface of another project than the one listing the link" })
  name!: string | null;
}

@ObjectType({ description: "A link to a comparison: its holder sees those surfaces side by side (values, annotations) with the saved settings, and nothing else of their projects" })
export class CompareLink {
  @Field(() => ID)
  id!: string;

  @Field(() => [CompareLinkSurface], { description: "The surfaces in their order on the page" })
  surfaces!: CompareLinkSurface[];

  @Field(() => String, { description: "Path of the link in the web app: /share/<token>/compare?ids=<ids>&<view>" })
  path!: string;

  @Field(() => String, { description: "The settings the comparison opens with (the compare page's query string, without the surfaces)" })
  view!: string;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "When the link was revoked; a revoked link opens nothing" })
  revokedAt!: Date | null;

  // Resolved by a field resolver: createdBy.
  createdById!: string | null;
}

export const CompareLinkConnection = Connection(CompareLink, "CompareLink");

@ObjectType({ implements: MutationPayload })
export class CompareLinkPayload extends MutationPayload {
  @Field(() => CompareLink, { nullable: true })
  link!: CompareLink | null;
}

export enum SharedLinkKind {
  PROJECT = "project",
  SURFACE = "surface",
  COMPARE = "compare",
}
registerEnumType(SharedLinkKind, {
  name: "SharedLinkKind",
  description: "PROJECT: the project's link (the whole project, read only); SURFACE: a link to one surface; COMPARE: a link to a comparison of surfaces",
});

@ObjectType({ description: "What a share link opens" })
export class SharedLink {
  @Field(() => SharedLinkKind)
  kind!: SharedLinkKind;

  @Field(() => ID, { nullable: true, description: "PROJECT and SURFACE links: the project (null for COMPARE links, whose surfaces may span projects)" })
  projectId!: string | null;

  @Field(() => ID, { nullable: true, description: "SURFACE links: the surface" })
  surfaceId!: string | null;

  @Field(() => [ID], { nullable: true, description: "COMPARE links: the surfaces, in their order" })
  surfaceIds!: string[] | null;

  @Field(() => String, { nullable: true, description: "SURFACE and COMPARE links: the view settings saved with the link" })
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


