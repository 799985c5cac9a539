/**
 * Who may do what on a project, in one place. Every read and write of a project's objects goes
 * through `require`; a caller with no role at all gets NOT_FOUND, exactly like a missing id, so
 * ids reveal nothing.
 *
 *   role      read  write (upload, surfaces, annotate)  manage (rename, members, sharing, delete)
 *   owner      yes   yes                                  yes
 *   editor     yes   yes                                  no
 *   viewer     yes   no                                   no
 *   link       yes   no                                   no   (holder of the share token)
 *   public     yes   no                                   no   (anyone, on public projects)
 */
import { ErrorCode } from "../../errors.js";
import { DomainError, notFound, unauthenticated } from "../../domain/errors.js";
import type { Actor } from "../accounts/actor.js";

export type Role = "owner" | "editor" | "viewer" | "link" | "public" | "surface";
export type Action = "read" | "write" | "manage";

const ALLOWED: Record<Action, readonly Role[]> = {
  read: ["owner", "editor", "viewer", "link", "public", "surface"],
  write: ["owner", "editor"],
  manage: ["owner"],
};

/** The facts about a project that decide access. */
export interface ProjectAccess {
  ownerId: string;
  visibility: "private" | "link" | "public";
  shareToken: string | null;
  /** The caller's membership role, if any. */
  memberRole: "viewer" | "editor" | null;
  /** True when the caller holds a live link to the one surface being loaded. */
  surfaceLink?: boolean;
}

export function roleOn(actor: Actor, project: ProjectAccess, shareToken: string | undefined): Role | null {
  if (actor.kind === "user") {
    if (project.ownerId === actor.user.id) return "owner";
    if (project.memberRole) return project.memberRole;
  }
  if (project.visibility === "public") return "public";
  if (project.visibility === "link" && shareToken && project.shareToken && shareToken === project.shareToken) return "link";
  if (project.surfaceLink) return "surface";
  return null;
}

export function can(role: Role | null, action: Action): boolean {
  return role !== null && ALLOWED[action].includes(role);
}

/**
 * Throws unless `role` allows `action`: NOT_FOUND without any role, UNAUTHENTICATED for an
 * anonymous caller who could only read, FORBIDDEN otherwise.
 */
export function requireRole(actor: Actor, role: Role | null, action: Action, what = "Project"): Role {
  if (role === null) throw notFound(what);
  if (can(role, action)) return role;
  if (actor.kind === "anonymous") throw unauthenticated();
  throw new DomainError(
    ErrorCode.FORBIDDEN,
    action === "manage" ? "Only the project's owner can do this" : "Viewers cannot change this project; ask its owner for editor access",
  );
}
