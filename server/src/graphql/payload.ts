/**
 * Expected failures of mutations come back as data, `{ ok, error { code, message, field } }`, so a
 * client handles "email already taken" like any other result; queries throw instead. Services
 * signal such failures with the domain's DomainError (domain/errors.ts); thrown from a query, it
 * leaves as a GraphQL error with its code (graphql/errors.ts).
 */
import { Field, InterfaceType, ObjectType, registerEnumType } from "type-graphql";
import { DomainError } from "../domain/errors.js";
import { ErrorCode } from "../errors.js";

registerEnumType(ErrorCode, { name: "ErrorCode", description: "Stable error codes; see docs/ERRORS.md" });

@ObjectType({ description: "Why a mutation did not happen" })
export class MutationError {
  @Field(() => ErrorCode)
  code!: ErrorCode;

  @Field(() => String)
  message!: string;

  @Field(() => String, { nullable: true, description: "The input field at fault, when one is" })
  field!: string | null;
}

@InterfaceType("MutationResult", { description: "What every mutation answers: ok, or the error that stopped it" })
export abstract class MutationPayload {
  @Field(() => Boolean)
  ok!: boolean;

  @Field(() => MutationError, { nullable: true })
  error!: MutationError | null;
}

/**
 * Runs a mutation body: its result fields with ok=true, or the DomainError it threw as data with
 * `empty` fields. Anything else propagates and becomes INTERNAL_SERVER_ERROR.
 */
export async function runMutation<F extends object>(
  empty: NoInfer<{ [K in keyof F]: null }>,
  body: () => Promise<F>,
): Promise<{ [K in keyof F]: F[K] | null } & MutationPayload> {
  try {
    return { ok: true, error: null, ...(await body()) };
  } catch (error) {
    if (error instanceof DomainError) {
      return { ok: false, error: { code: error.code, message: error.message, field: error.field ?? null }, ...empty };
    }
    throw error;
  }
}
