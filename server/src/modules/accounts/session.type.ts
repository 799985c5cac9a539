import { Field, GraphQLISODateTime, ID, Int, ObjectType } from "type-graphql";
import { MutationPayload } from "../../graphql/payload.js";

@ObjectType({ description: "A signed-in browser session of the caller's account" })
export class Session {
  @Field(() => ID)
  id!: string;

  @Field(() => GraphQLISODateTime, { description: "When the session was opened (sign-in or sign-up)" })
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { description: "Its last request, to the minute" })
  lastSeenAt!: Date;

  @Field(() => GraphQLISODateTime, { description: "When it ends unless used again" })
  expiresAt!: Date;

  @Field(() => String, { description: "The browser and system in a few words, from the user agent: \"Chrome 131 on Linux\"" })
  browser!: string;

  @Field(() => String, { nullable: true, description: "The full User-Agent header it last sent (up to 512 characters)" })
  userAgent!: string | null;

  @Field(() => String, { nullable: true, description: "The network address it last came from" })
  lastAddress!: string | null;

  @Field(() => Boolean, { description: "True for the session this request came with" })
  current!: boolean;
}

@ObjectType({ implements: MutationPayload })
export class EndSessionPayload extends MutationPayload {
  @Field(() => Session, { nullable: true, description: "The session that ended" })
  session!: Session | null;
}

@ObjectType({ implements: MutationPayload })
export class EndSessionsPayload extends MutationPayload {
  @Field(() => Int, { nullable: true, description: "How many sessions ended" })
  ended!: number | null;
}

@ObjectType({ description: "A project the caller owns that other people are members of" })
export class SharedProject {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Int, { description: "Members besides the owner" })
  memberCount!: number;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

@ObjectType({ implements: MutationPayload })
export class DeleteAccountPayload extends MutationPayload {
  @Field(() => Int, { nullable: true, description: "How many projects were deleted with the account" })
  deletedProjects!: number | null;
}
