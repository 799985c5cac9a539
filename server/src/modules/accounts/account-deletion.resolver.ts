import { Arg, Args, Ctx, Field, InputType, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { pageComplexity } from "../../graphql/complexity.js";
import { Connection, PageArgs } from "../../graphql/pagination.js";
import { runMutation } from "../../graphql/payload.js";
import { unauthenticated } from "../../domain/errors.js";
import { limit } from "./accounts.resolver.js";
import { DeleteAccountPayload, SharedProject } from "./session.type.js";
import { sessionUser } from "./sessions.resolver.js";

const SharedProjectConnection = Connection(SharedProject, "SharedProject");

@InputType()
class DeleteAccountInput {
  @Field(() => String, { description: "The account's password, asked again" })
  password!: string;

  @Field(() => Boolean, {
    defaultValue: false,
    description: "Also delete owned projects that others are members of; without it such projects stop the deletion (OWNS_SHARED_PROJECTS)",
  })
  deleteSharedProjects!: boolean;
}

@Resolver()
export class AccountDeletionResolver {
  @Query(() => SharedProjectConnection, {
    complexity: pageComplexity,
    description: "Projects the caller owns that others are members of: to hand over, or delete, before the account can go",
  })
  mySharedProjects(@Args(() => PageArgs) page: PageArgs, @Ctx() { actor, services }: Context) {
    if (actor.kind !== "user") throw unauthenticated();
    return services.accountDeletion.sharedProjects(actor.user.id, page);
  }

  // From a browser session only, with the password again: a stolen token or an unlocked screen is not enough.
  @Mutation(() => DeleteAccountPayload, {
    description: "Delete the caller's account and everything only it owns (projects, uploads, sessions, tokens, invitations sent); signs out",
  })
  deleteAccount(@Arg("input", () => DeleteAccountInput) input: DeleteAccountInput, @Ctx() context: Context): Promise<DeleteAccountPayload> {
    return runMutation({ deletedProjects: null }, async () => {
      const userId = sessionUser(context);
      await limit(context, "signIn");
      const { deletedProjects } = await context.services.accountDeletion.delete(userId, input);
      context.session.clear();
      return { deletedProjects };
    });
  }
}
