import { Arg, Ctx, Field, FieldResolver, Mutation, ObjectType, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { MutationPayload, runMutation } from "../../graphql/payload.js";
import { unauthenticated } from "../../domain/errors.js";
import { AuthPayload, User } from "./account.type.js";
import { assertPasswordSignIn, type UserRecord } from "./accounts.service.js";
import { limit, withRetryAfter } from "./accounts.resolver.js";

@ObjectType({ implements: MutationPayload })
class RequestPasswordResetPayload extends MutationPayload {}

@ObjectType({ implements: MutationPayload })
class VerifyEmailPayload extends MutationPayload {}

@ObjectType({ implements: MutationPayload })
class SendVerificationEmailPayload extends MutationPayload {
  @Field(() => Boolean, { nullable: true, description: "False when the address was already verified, so nothing was sent" })
  sent!: boolean | null;
}

/** Email that arrives: password resets and address verification. */
@Resolver()
export class EmailResolver {
  // Limited per client and per address; the answer is the same whether the address has an account.
  @Mutation(() => RequestPasswordResetPayload, {
    description: "Email a link to choose a new password, if the address has an account; answers the same either way",
  })
  requestPasswordReset(@Arg("email", () => String) email: string, @Ctx() context: Context): Promise<RequestPasswordResetPayload> {
    return runMutation({}, async () => {
      assertPasswordSignIn(context.services.accounts.passwordSignIn);
      await limit(context, "accountEmail");
      await withRetryAfter(context, context.services.limits.consumeEmail(String(email)));
      context.services.passwordResets.request(email);
      return {};
    });
  }

  @Mutation(() => AuthPayload, {
    description: "Choose a new password with a reset link's token (single use, 1 hour); ends every session of the account and signs this browser in",
  })
  resetPassword(
    @Arg("token", () => String) token: string,
    @Arg("password", () => String, { description: "8 to 200 characters, as hard to guess as at sign-up" }) password: string,
    @Ctx() context: Context,
  ): Promise<AuthPayload> {
    const { services, session } = context;
    return runMutation({ user: null }, async () => {
      assertPasswordSignIn(services.accounts.passwordSignIn);
      await limit(context, "signIn");
      const user = await services.passwordResets.reset(token, password);
      // Whoever was signed in on this browser before is signed out, as at sign-in.
      if (session.current) await services.accounts.signOut(session.current);
      session.set(await services.accounts.openSession(user.id));
      return { user: { ...user, emailVisibleTo: user.id } };
    });
  }

  // Works signed out too: the link may be opened on another device than the one signed in.
  @Mutation(() => VerifyEmailPayload, { description: "Verify the account's email address with the token of a verification link (single use)" })
  verifyEmail(@Arg("token", () => String) token: string, @Ctx() context: Context): Promise<VerifyEmailPayload> {
    return runMutation({}, async () => {
      await limit(context, "signIn");
      await context.services.emailVerification.verify(token);
      return {};
    });
  }

  @Mutation(() => SendVerificationEmailPayload, { description: "Send the signed-in user's verification link again" })
  sendVerificationEmail(@Ctx() context: Context): Promise<SendVerificationEmailPayload> {
    const { actor, services } = context;
    return runMutation({ sent: null }, async () => {
      if (actor.kind !== "user") throw unauthenticated();
      await limit(context, "accountEmail");
      await withRetryAfter(context, services.limits.consumeEmail(actor.user.email));
      return { sent: await services.emailVerification.sendNow(actor.user.id) };
    });
  }
}

@Resolver(() => User)
export class UserVerificationResolver {
  @FieldResolver(() => Boolean, {
    nullable: true,
    description: "Whether the email address is verified: shown to the user themself, null for everyone else",
  })
  async emailVerified(@Root() user: UserRecord, @Ctx() { actor, services }: Context): Promise<boolean | null> {
    const self = user.emailVisibleTo === user.id || (actor.kind === "user" && actor.user.id === user.id);
    return self ? services.emailVerification.isVerified(user.id) : null;
  }
}
