/** Who is calling: nobody, or a user via a session cookie or an API token. */
import type { UserRecord } from "./accounts.service.js";

export type Actor = { kind: "anonymous" } | { kind: "user"; user: UserRecord; via: "session" | "token" };

export const ANONYMOUS: Actor = { kind: "anonymous" };

/** The signed-in user's id, or undefined. */
export const actorUserId = (actor: Actor): string | undefined => (actor.kind === "user" ? actor.user.id : undefined);
