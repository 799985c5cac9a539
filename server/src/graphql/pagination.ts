/**
 * Cursor pagination for every list: `first` (1-100, default 20) items after an opaque `after`
 * cursor, ordered newest first by (created_at, id) so pages stay stable while rows are added.
 */
import type { ClassType } from "type-graphql";
import { ArgsType, Field, Int, ObjectType } from "type-graphql";
import { badInput } from "./payload.js";

export const MAX_PAGE = 100;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 20, description: "How many items, 1 to 100 (default 20)" })
  first: number = 20;

  @Field(() => String, { nullable: true, description: "The endCursor of the previous page" })
  after?: string | null;
}

@ObjectType()
export class PageInfo {
  @Field(() => String, { nullable: true })
  endCursor!: string | null;

  @Field(() => Boolean)
  hasNextPage!: boolean;
}

export interface Page<T> {
  nodes: T[];
  pageInfo: PageInfo;
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

export interface Cursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`, "utf8").toString("base64url");
}

export function decodeCursor(text: string): Cursor {
  const [at, id] = Buffer.from(text, "base64url").toString("utf8").split("|");
  const createdAt = new Date(at ?? "");
  if (!id || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) throw badInput("after", "after is not a cursor from this list");
  return { createdAt, id };
}

/** Validates `first`/`after` and returns SQL-ready values: limit (one extra to see a next page) and cursor. */
export function pageWindow(args: PageArgs): { limit: number; cursor: Cursor | null; first: number } {
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_PAGE) {
    throw badInput("first", `first must be between 1 and ${MAX_PAGE}`);
  }
  return { first: args.first, limit: args.first + 1, cursor: args.after ? decodeCursor(args.after) : null };
}

/** Cuts the extra row and builds pageInfo. */
export function toPage<T extends { createdAt: Date; id: string }>(rows: T[], first: number): Page<T> {
  const nodes = rows.slice(0, first);
  const last = nodes[nodes.length - 1];
  return { nodes, pageInfo: { hasNextPage: rows.length > first, endCursor: last ? encodeCursor(last) : null } };
}
