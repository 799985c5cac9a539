/** GraphQL IDs are UUIDs; anything else can name no object, so it answers like a missing one. */
import { notFound } from "./errors.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Returns the id, or throws NOT_FOUND naming `what` when it cannot be an id. */
export function assertId(value: string, what: string): string {
  if (!isUuid(value)) throw notFound(what);
  return value.toLowerCase();
}
