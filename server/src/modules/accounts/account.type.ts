import { Field, GraphQLISODateTime, ID, ObjectType } from "type-graphql";
import { MutationPayload } from "../../graphql/payload.js";

@ObjectType({ description: "A person with an account" })
export class User {
  @Field(() => ID)
  id!: string;

  // Resolved by UserResolver.email: visible to the user themself and to an owner for their members.
  email!: string | null;

  @Field(() => String)
  name!: string;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

@ObjectType({ description: "A personal API token for scripts; the secret itself is shown only once, at creation" })
export class ApiToken {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "The first characters of the token, to tell tokens apart" })
  prefix!: string;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  lastUsedAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  revokedAt!: Date | null;
}

@ObjectType({ implements: MutationPayload })
export class AuthPayload extends MutationPayload {
  @Field(() => User, { nullable: true })
  user!: User | null;
}

@ObjectType({ implements: MutationPayload })
export class CreateApiTokenPayload extends MutationPayload {
  @Field(() => String, { nullable: true, description: "The secret: send as `Authorization: Bearer <token>`. Shown only here." })
  token!: string | null;

  @Field(() => ApiToken, { nullable: true })
  apiToken!: ApiToken | null;
}

@ObjectType({ implements: MutationPayload })
export class ApiTokenPayload extends MutationPayload {
  @Field(() => ApiToken, { nullable: true })
  apiToken!: ApiToken | null;
}
