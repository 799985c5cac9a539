import { Arg, Args, Ctx, Field, ID, InputType, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { assertId } from "../../graphql/ids.js";
import { Connection, PageArgs } from "../../graphql/pagination.js";
import { DomainError, MutationPayload, runMutation, unauthenticated } from "../../graphql/payload.js";
import { ErrorCode } from "../../errors.js";
import { ApiToken, ApiTokenPayload, AuthPayload, CreateApiTokenPayload, User } from "./account.type.js";

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

  @Query(() => ApiTokenConnection, { description: "The caller's API tokens, newest first" })
  apiTokens(@Args(() => PageArgs) page: PageArgs, @Ctx() { actor, services }: Context) {
    if (actor.kind !== "user") throw unauthenticated();
    return services.accounts.listTokens(actor.user.id, page);
  }

  // Creating an account signs in at once.
  @Mutation(() => AuthPayload)
  signUp(@Arg("input", () => SignUpInput) input: SignUpInput, @Ctx() { services, session }: Context): Promise<AuthPayload> {
    return runMutation({ user: null }, async () => {
      const user = await services.accounts.signUp(input);
      session.set(await services.accounts.openSession(user.id));
      return { user };
    });
  }

  @Mutation(() => AuthPayload)
  signIn(
    @Arg("email", () => String) email: string,
    @Arg("password", () => String) password: string,
    @Ctx() { services, session }: Context,
  ): Promise<AuthPayload> {
    return runMutation({ user: null }, async () => {
      // A new session id at every sign-in: an id planted before sign-in is never promoted.
      if (session.current) await services.accounts.signOut(session.current);
      const { user, session: secret } = await services.accounts.signIn({ email, password });
      session.set(secret);
      return { user };
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
  createApiToken(@Arg("name", () => String) name: string, @Ctx() { actor, services }: Context): Promise<CreateApiTokenPayload> {
    return runMutation({ token: null, apiToken: null }, async () => {
      if (actor.kind !== "user") throw unauthenticated();
      if (actor.via !== "session") throw new DomainError(ErrorCode.FORBIDDEN, "API tokens are created from a signed-in session, not with another token");
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
