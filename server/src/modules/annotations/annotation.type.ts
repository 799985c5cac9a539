import { Field, Float, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../../graphql/pagination.js";
import { MutationPayload } from "../../graphql/payload.js";
import { User } from "../accounts/account.type.js";

export enum AnnotationKind {
  MINIMUM = "minimum",
  SADDLE = "saddle",
  NOTE = "note",
}
registerEnumType(AnnotationKind, { name: "AnnotationKind" });

@ObjectType({ description: "A note pinned on a surface, or on a curve's plane, at (x, y) in its coordinates" })
export class Annotation {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { nullable: true, description: "The surface the note is on; null for a note on a curve's plane" })
  surfaceId!: string | null;

  @Field(() => ID, { nullable: true, description: "The curve on whose plane the note is; null for a note on a surface" })
  curveId!: string | null;

  @Field(() => Float)
  x!: number;

  @Field(() => Float)
  y!: number;

  @Field(() => AnnotationKind)
  kind!: AnnotationKind;

  @Field(() => String)
  label!: string;

  @Field(() => String)
  body!: string;

  @Field(() => User, { nullable: true, description: "Null when the author's account was deleted" })
  author!: User | null;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime)
  updatedAt!: Date;

  authorId!: string | null;
}

export const AnnotationConnection = Connection(Annotation, "Annotation");

@InputType({ description: "A note on a surface or on a curve's plane: give exactly one of surfaceId and curveId" })
export class AddAnnotationInput {
  @Field(() => ID, { nullable: true })
  surfaceId?: string | null;

  @Field(() => ID, { nullable: true, description: "Pin the note on this curve's plane (through A, B and theta)" })
  curveId?: string | null;

  @Field(() => Float)
  x!: number;

  @Field(() => Float, { description: "0 for 1D surfaces" })
  y!: number;

  @Field(() => AnnotationKind)
  kind!: AnnotationKind;

  @Field(() => String, { description: "1 to 120 characters" })
  label!: string;

  @Field(() => String, { nullable: true, description: "Up to 5000 characters" })
  body?: string | null;
}

@InputType()
export class UpdateAnnotationInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Float, { nullable: true })
  x?: number | null;

  @Field(() => Float, { nullable: true })
  y?: number | null;

  @Field(() => AnnotationKind, { nullable: true })
  kind?: AnnotationKind | null;

  @Field(() => String, { nullable: true })
  label?: string | null;

  @Field(() => String, { nullable: true })
  body?: string | null;
}

@ObjectType({ implements: MutationPayload })
export class AnnotationPayload extends MutationPayload {
  @Field(() => Annotation, { nullable: true })
  annotation!: Annotation | null;
}
