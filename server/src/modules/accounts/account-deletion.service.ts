/**
 * Deleting an account and everything only it owns.
 *
 * What goes: the projects it owns (with their models, datasets, surfaces, training runs,
 * experiments, annotations and every object under their prefix in the store), its memberships of
 * other projects, its sessions, API tokens, uploads (objects of unfinished ones included) and the
 * invitations it sent. What stays: what it made inside other people's projects (models, surfaces,
 * annotations, share links), which belongs to those projects and keeps no author.
 *
 * Shared projects: a project the account owns and others are members of is not deleted by
 * surprise. Either its ownership is handed to a member first (projects/ownership.service.ts), or
 * the caller says `deleteSharedProjects`; otherwise the deletion stops with OWNS_SHARED_PROJECTS,
 * naming those projects.
 */
import type { Pool } from "../../db/pool.js";
import { transaction } from "../../db/transaction.js";
import { DomainError } from "../../domain/errors.js";
import { type Page, type PageRequest, pageWindow, toPage } from "../../domain/pagination.js";
import { ErrorCode } from "../../errors.js";
import type { ObjectStore } from "../../storage/object-store.js";
import { deletePrefixes, projectPrefix } from "../projects/cleanup.js";
import { confirmPassword } from "./password-check.js";

/** A project the account owns that others are members of. */
export interface SharedProjectRecord {
  id: string;
  name: string;
  /** Members besides the owner. */
  memberCount: number;
  createdAt: Date;
}

interface SharedRow {
  id: string;
  name: string;
  member_count: number;
  created_at: Date;
}

const toShared = (row: SharedRow): SharedProjectRecord => ({ id: row.id, name: row.name, memberCount: row.member_count, createdAt: row.created_at });

/** Names shown in the error, at most this many (the rest counted). */
const NAMED_IN_ERROR = 10;

export interface AccountDeletion {
  /** How many projects went with the account. */
  deletedProjects: number;
  /** How many prefixes of the object store were emptied. */
  deletedPrefixes: number;
}

export class AccountDeletionService {
  constructor(
    private readonly pool: Pool,
    private readonly store: ObjectStore,
  ) {}

  /** The projects the user owns that others are members of, newest first. */
  async sharedProjects(userId: string, args: PageRequest): Promise<Page<SharedProjectRecord>> {
    const { limit, cursor, first } = pageWindow(args);
    const result = await this.pool.query<SharedRow>(
      `SELECT p.id, p.name, p.created_at, (SELECT count(*)::int FROM project_members m WHERE m.project_id = p.id) AS member_count
         FROM projects p
        WHERE p.owner_id = $1 AND EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = p.id)
          AND ($2::timestamptz IS NULL OR (p.created_at, p.id) < ($2, $3::uuid))
        ORDER BY p.created_at DESC, p.id DESC LIMIT $4`,
      [userId, cursor?.createdAt ?? null, cursor?.id ?? null, limit],
    );
    return toPage(result.rows.map(toShared), first);
  }

  /**
   * Deletes the account after checking its password. The rows go in one transaction, which
   * locks the account's projects first, so a member added meanwhile is seen; the objects of its
   * projects and uploads go after the rows (a crash between leaves orphaned objects, never rows
   * pointing at missing objects).
   */
  async delete(userId: string, input: { password: string; deleteSharedProjects: boolean }): Promise<AccountDeletion> {
    await confirmPassword(this.pool, userId, input.password, "password");
    const { projectIds, uploadIds } = await transaction(this.pool, async (client) => {
      await client.query(`SELECT id FROM users WHERE id = $1 FOR UPDATE`, [userId]);
      const owned = await client.query<{ id: string; name: string; members: number }>(
        `SELECT p.id, p.name, (SELECT count(*)::int FROM project_members m WHERE m.project_id = p.id) AS members
           FROM projects p WHERE p.owner_id = $1 ORDER BY p.created_at FOR UPDATE`,
        [userId],
      );
      const shared = owned.rows.filter((project) => project.members > 0);
      if (shared.length > 0 && !input.deleteSharedProjects) throw ownsSharedProjects(shared.map((project) => project.name));
      const uploads = await client.query<{ id: string }>(`SELECT id FROM uploads WHERE user_id = $1`, [userId]);
      await client.query(`DELETE FROM project_invitations WHERE invited_by = $1`, [userId]);
      // Sessions, tokens, memberships, uploads and owned projects (and all in them) cascade.
      await client.query(`DELETE FROM users WHERE id = $1`, [userId]);
      return { projectIds: owned.rows.map((project) => project.id), uploadIds: uploads.rows.map((upload) => upload.id) };
    });
    const prefixes = [...projectIds.map(projectPrefix), ...uploadIds.map((id) => `uploads/${id}/`)];
    await deletePrefixes(this.store, prefixes);
    return { deletedProjects: projectIds.length, deletedPrefixes: prefixes.length };
  }
}

function ownsSharedProjects(names: string[]): DomainError {
  const quoted = names.slice(0, NAMED_IN_ERROR).map((name) => `"${name}"`);
  if (names.length > NAMED_IN_ERROR) quoted.push(`${names.length - NAMED_IN_ERROR} more`);
  const list = quoted.join(", ");
  return new DomainError(
    ErrorCode.OWNS_SHARED_PROJECTS,
    `Other people are members of projects you own: ${list}. Hand each over to a member first, or choose to delete them with your account.`,
    "deleteSharedProjects",
  );
}
