import { Arg, Args, Ctx, Field, ID, InputType, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { pageComplexity } from "../../graphql/complexity.js";
import { Connection, PageArgs } from "../../graphql/pagination.js";
import { runMutation } from "../../graphql/payload.js";
import { forbidden, unauthenticated } from "../../domain/errors.js";
import { limit } from "./accounts.resolver.js";
import { EndSessionPayload, EndSessionsPayload, Session } from "./session.type.js";

const SessionConnection = Connection(Session, "Session");

@InputType()
class ChangePasswordInput {
  @Field(() => String)
  currentPassword!: string;

  @Field(() => String, { description: "8 to 200 characters, hard to guess" })
  newPassword!: string;
}

/** The caller's own user id, from a browser session only: a leaked API token cannot end sessions or change the password. */
export function sessionUser(context: Context): string {
  const { actor } = context;
  if (actor.kind !== "user") throw unauthenticated();
  if (actor.via !== "session") throw forbidden("Sign in with a browser session to do this; an API token cannot");
  return actor.user.id;
}

@Resolver()
export class SessionsResolver {
  @Query(() => SessionConnection, { complexity: pageComplexity, description: "The caller's live sessions, newest first; `current` marks this one" })
  sessions(@Args(() => PageArgs) page: PageArgs, @Ctx() { actor, services, session }: Context) {
    if (actor.kind !== "user") throw unauthenticated();
    return services.sessions.list(actor.user.id, session.current, page);
  }

  // Another account's session id answers NOT_FOUND, like one that never existed.
  @Mutation(() => EndSessionPayload, { description: "Sign out one of the caller's sessions; its next request is signed out" })
  endSession(@Arg("id", () => ID) id: string, @Ctx() context: Context): Promise<EndSessionPayload> {
    return runMutation({ session: null }, async () => {
      const ended = await context.services.sessions.end(sessionUser(context), id, context.session.current);
      if (ended.current) context.session.clear();
      return { session: ended };
    });
  }

  @Mutation(() => EndSessionsPayload, { description: "Sign out everywhere else: every session of the caller but this one" })
  endOtherSessions(@Ctx() context: Context): Promise<EndSessionsPayload> {
    return runMutation({ ended: null }, async () => ({ ended: await context.services.sessions.endOthers(sessionUser(context), context.session.current) }));
  }

  @Mutation(() => EndSessionsPayload, { description: "Change the password (the current one is asked again); every other session is signed out" })
  changePassword(@Arg("input", () => ChangePasswordInput) input: ChangePasswordInput, @Ctx() context: Context): Promise<EndSessionsPayload> {
    return runMutation({ ended: null }, async () => {
      const userId = sessionUser(context);
      // Each try checks a password, so it counts like a sign-in attempt.
      await limit(context, "signIn");
      return { ended: await context.services.sessions.changePassword(userId, input, context.session.current) };
    });
  }
}
