/**
 * Cursor pagination for every list: `first` (1-100, default 20) items after an opaque `after`
 * cursor, ordered newest first by (created_at, id) so pages stay stable while rows are added.
 * The GraphQL arguments and connection types that carry it are in graphql/pagination.ts.
 */
import { badInput } from "./errors.js";

export const MAX_PAGE = 100;

/** What a caller asks of a list: `first` items (1 to MAX_PAGE) after the cursor `after`. */
export interface PageRequest {
  first: number;
  after?: string | null;
}

export interface PageInfo {
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface Page<T> {
  nodes: T[];
  pageInfo: PageInfo;
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
export function pageWindow(args: PageRequest): { limit: number; cursor: Cursor | null; first: number } {
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
