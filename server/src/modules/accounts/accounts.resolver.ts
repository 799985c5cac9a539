import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { pageComplexity } from "../../graphql/complexity.js";
import { assertId } from "../../domain/ids.js";
import { Connection, PageArgs } from "../../graphql/pagination.js";
import { MutationPayload, runMutation } from "../../graphql/payload.js";
import { DomainError, unauthenticated } from "../../domain/errors.js";
import { ErrorCode } from "../../errors.js";
import { ApiToken, ApiTokenPayload, AuthPayload, CreateApiTokenPayload, User } from "./account.type.js";
import type { UserRecord } from "./accounts.service.js";
import { type LimitedAction, RateLimitedError } from "./rate-limits.js";

/**
 * Counts one `action` of the caller against the rate limits; when over, sends `Retry-After` and
 * throws TOO_MANY_REQUESTS (which a mutation answers as data).
 */
export async function limit(context: Context, action: LimitedAction): Promise<void> {
  const userId = context.actor.kind === "user" ? context.actor.user.id : undefined;
  await withRetryAfter(context, context.services.limits.consume(action, { address: context.client.address, userId }));
}

/** Awaits `work`; a RateLimitedError on the way also sets `Retry-After` on the response. */
export async function withRetryAfter<T>(context: Context, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof RateLimitedError) context.client.retryAfter(error.retryAfterSeconds);
    throw error;
  }
}

const ApiTokenConnection = Connection(ApiToken, "ApiToken");

@InputType()
class SignUpInput {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "8 to 200 characters" })
  password!: string;
}

@ObjectType({ implements: MutationPayload })
class SignOutPayload extends MutationPayload {}

@Resolver()
export class AccountsResolver {
  @Query(() => User, { nullable: true, description: "The signed-in user, or null" })
  me(@Ctx() { actor }: Context): User | null {
    return actor.kind === "user" ? actor.user : null;
  }

  @Query(() => ApiTokenConnection, { complexity: pageComplexity, description: "The caller's API tokens, newest first" })
  apiTokens(@Args(() => PageArgs) page: PageArgs, @Ctx() { actor, services }: Context) {
    if (actor.kind !== "user") throw unauthenticated();
    return services.accounts.listTokens(actor.user.id, page);
  }

  // Creating an account signs in at once. Invitations to the email wait in myInvitations.
  @Mutation(() => AuthPayload, { description: "Create an account and sign in; a taken email gets the same generic refusal as any other" })
  signUp(@Arg("input", () => SignUpInput) input: SignUpInput, @Ctx() context: Context): Promise<AuthPayload> {
    const { services, session } = context;
    return runMutation({ user: null }, async () => {
      await limit(context, "signUp");
      const user = await services.accounts.signUp(input);
      services.emailVerification.sendLater(user.id);
      session.set(await services.accounts.openSession(user.id, context.client));
      return { user: { ...user, emailVisibleTo: user.id } };
    });
  }

  @Mutation(() => AuthPayload)
  signIn(
    @Arg("email", () => String) email: string,
    @Arg("password", () => String) password: string,
    @Ctx() context: Context,
  ): Promise<AuthPayload> {
    const { services, session } = context;
    return runMutation({ user: null }, async () => {
      await limit(context, "signIn");
      // A new session id at every sign-in: an id planted before sign-in is never promoted.
      if (session.current) await services.accounts.signOut(session.current);
      const { user, session: secret } = await withRetryAfter(context, services.accounts.signIn({ email, password }, context.client.address, context.client.userAgent));
      session.set(secret);
      return { user: { ...user, emailVisibleTo: user.id } };
    });
  }

  @Mutation(() => SignOutPayload)
  async signOut(@Ctx() { services, session }: Context): Promise<SignOutPayload> {
    if (session.current) await services.accounts.signOut(session.current);
    session.clear();
    return { ok: true, error: null };
  }

  // Only from a signed-in browser session: a leaked token cannot mint more tokens.
  @Mutation(() => CreateApiTokenPayload)
  createApiToken(@Arg("name", () => String) name: string, @Ctx() context: Context): Promise<CreateApiTokenPayload> {
    const { actor, services } = context;
    return runMutation({ token: null, apiToken: null }, async () => {
      if (actor.kind !== "user") throw unauthenticated();
      if (actor.via !== "session") throw new DomainError(ErrorCode.FORBIDDEN, "API tokens are created from a signed-in session, not with another token");
      await limit(context, "createApiToken");
      const { token, record } = await services.accounts.createToken(actor.user.id, name);
      return { token, apiToken: record };
    });
  }

  @Mutation(() => ApiTokenPayload)
  revokeApiToken(@Arg("id", () => ID) id: string, @Ctx() { actor, services }: Context): Promise<ApiTokenPayload> {
    return runMutation({ apiToken: null }, async () => {
      if (actor.kind !== "user") throw unauthenticated();
      return { apiToken: await services.accounts.revokeToken(actor.user.id, assertId(id, "API token")) };
    });
  }
}

@Resolver(() => User)
export class UserResolver {
  // Everyone else sees display names only: on public and link-shared projects, in annotations'
  // authors, in lists of members they do not manage.
  @FieldResolver(() => String, {
    nullable: true,
    description: "The email address: shown to the user themself, and to a project's owner in its list of members; null for everyone else",
  })
  email(@Root() user: UserRecord, @Ctx() { actor }: Context): string | null {
    // emailVisibleTo === the user's own id: they have just signed up or in with this response.
    if (user.emailVisibleTo === user.id) return user.email;
    if (actor.kind !== "user") return null;
    return actor.user.id === user.id || (user.emailVisibleTo !== undefined && actor.user.id === user.emailVisibleTo) ? user.email : null;
  }
}
