import { Ctx, Field, ID, ObjectType, Query, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context.js";

@ObjectType({ description: "An OpenID Connect provider people may sign in with" })
class SignInProvider {
  @Field(() => ID, { description: "Names the provider in its URLs" })
  id!: string;

  @Field(() => String, { description: "What its button says" })
  name!: string;

  @Field(() => String, { description: "Where the browser goes to sign in with it: GET, then the provider, then back signed in" })
  startPath!: string;
}

@ObjectType()
class SignInOptions {
  @Field(() => Boolean, { description: "Whether email and password sign in and sign up here (PASSWORD_SIGN_IN)" })
  password!: boolean;

  // Bounded by configuration (at most 20 providers), so not paginated.
  @Field(() => [SignInProvider], { description: "The single sign-on providers, in configuration order" })
  providers!: SignInProvider[];
}

@Resolver()
export class SignInOptionsResolver {
  @Query(() => SignInOptions, { description: "How people sign in here; public" })
  signInOptions(@Ctx() { services }: Context): SignInOptions {
    return {
      password: services.accounts.passwordSignIn,
      providers: services.sso.providers().map((provider) => ({ ...provider, startPath: `/auth/oidc/${provider.id}/start` })),
    };
  }
}
