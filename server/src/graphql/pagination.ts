/**
 * The GraphQL side of cursor pagination (domain/pagination.ts): the `first`/`after` arguments
 * and `<Name>Connection` types with `nodes` and `pageInfo`.
 */
import type { ClassType } from "type-graphql";
import { ArgsType, Field, Int, ObjectType } from "type-graphql";
import type { PageInfo as PageInfoShape, PageRequest } from "../domain/pagination.js";

@ArgsType()
export class PageArgs implements PageRequest {
  @Field(() => Int, { defaultValue: 20, description: "How many items, 1 to 100 (default 20)" })
  first: number = 20;

  @Field(() => String, { nullable: true, description: "The endCursor of the previous page" })
  after?: string | null;
}

@ObjectType()
export class PageInfo implements PageInfoShape {
  @Field(() => String, { nullable: true })
  endCursor!: string | null;

  @Field(() => Boolean)
  hasNextPage!: boolean;
}

/** A `<Name>Connection` type with `nodes` and `pageInfo`. */
export function Connection<T extends object>(item: ClassType<T>, name: string) {
  @ObjectType(`${name}Connection`)
  class ConnectionClass {
    @Field(() => [item])
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }
  return ConnectionClass;
}
