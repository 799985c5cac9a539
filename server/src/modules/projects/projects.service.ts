/**
 * Projects, their members and their sharing. Every method takes the caller and checks its role
 * through the policy before touching anything.
 */
import { z } from "zod";
import { parseInput } from "../../domain/validation.js";
import type { Pool } from "../../db/pool.js";
import { assertId } from "../../domain/ids.js";
import { type Page, type PageRequest, pageWindow, toPage } from "../../domain/pagination.js";
import { badInput, notFound, unauthenticated } from "../../domain/errors.js";
import type { ObjectStore } from "../../storage/object-store.js";
import type { AccountsService, UserRecord } from "../accounts/accounts.service.js";
import { type Actor, actorUserId } from "../accounts/actor.js";
import { randomSecret } from "../accounts/secrets.js";
import { projectPrefix } from "./cleanup.js";
import { type Action, type Role, requireRole, roleOn } from "./policy.js";

export type Visibility = "private" | "link" | "public";
export type MemberRole = "viewer" | "editor";

export interface ProjectRecord {
  id: string;
  ownerId: string;
  name: string;
  description: string;
  visibility: Visibility;
  shareToken: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** The caller's role, decided when the record was loaded for that caller. */
  role: Role;
}

export interface MemberRecord {
  user: UserRecord;
  role: MemberRole;
  addedAt: Date;
  /** For pagination: members are listed newest first. */
  createdAt: Date;
  id: string;
}

interface ProjectRow {
  id: string;
  owner_id: string;
  name: string;
  description: string;
  visibility: Visibility;
  share_token: string | null;
  created_at: Date;
  updated_at: Date;
  member_role: MemberRole | null;
}

const PROJECT_COLUMNS = `p.id, p.owner_id, p.name, p.description, p.visibility, p.share_token, p.created_at, p.updated_at`;

const projectName = z.string().trim().min(1).max(120);
const projectDescription = z.string().trim().max(2000);

function toProject(row: ProjectRow, role: Role): ProjectRecord {
  return {
    id: row.id,
    ownerId: row.owner_id,
    name: row.name,
    description: row.description,
    visibility: row.visibility,
    // The share token is a capability; only those who manage sharing see it.
    shareToken: role === "owner" ? row.share_token : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    role,
  };
}

export class ProjectsService {
  constructor(
    private readonly pool: Pool,
    private readonly accounts: AccountsService,
    private readonly store?: ObjectStore,
  ) {}

  /**
   * Loads a project for the caller and checks `action`; NOT_FOUND when the caller may not know it.
   * @param shareToken the view-only token of a share link, if the caller holds one.
   * @param what what the caller asked about (a model, a surface...), named in a NOT_FOUND.
   * @param surfaceId the one surface the caller asks about, when it does: only then can a link to
   *   that surface grant (read) access.
   */
  async access(
    actor: Actor,
    projectId: string,
    action: Action,
    shareToken?: string,
    what = "Project",
    surfaceId?: string,
  ): Promise<ProjectRecord> {
    const id = assertId(projectId, "Project");
    // A surface link only ever reads, and only the surface it was made for (a comparison's link,
    // only the surfaces it was made for).
    const surfaceLink = action === "read" && shareToken !== undefined && surfaceId !== undefined;
    const result = await this.pool.query<ProjectRow & { surface_link: boolean }>(
      `SELECT ${PROJECT_COLUMNS}, m.role AS member_role,
              ($3::boolean AND (EXISTS (SELECT 1 FROM surface_links l
                WHERE l.project_id = p.id AND l.surface_id = $4::uuid AND l.token = $5 AND l.revoked_at IS NULL)
                OR EXISTS (SELECT 1 FROM compare_links c JOIN compare_link_surfaces cs ON cs.link_id = c.id
                WHERE cs.project_id = p.id AND cs.surface_id = $4::uuid AND c.token = $5 AND c.revoked_at IS NULL))) AS surface_link
         FROM projects p LEFT JOIN project_members m ON m.project_id = p.id AND m.user_id = $2
        WHERE p.id = $1`,
      [id, actorUserId(actor) ?? null, surfaceLink, surfaceLink ? surfaceId : null, surfaceLink ? shareToken : null],
    );
    const row = result.rows[0];
    const role = row
      ? roleOn(
          actor,
          { ownerId: row.owner_id, visibility: row.visibility, shareToken: row.share_token, memberRole: row.member_role, surfaceLink: row.surface_link },
          shareToken,
        )
      : null;
    requireRole(actor, role, action, what);
    return toProject(row!, role!);
  }

  async create(actor: Actor, input: { name: string; description?: string | null }): Promise<ProjectRecord> {
    const userId = requireUser(actor);
    const name = parseInput(projectName, input.name, "name", "Project name must be 1 to 120 characters");
    const description = parseInput(projectDescription, input.description ?? "", "description", "Description must be at most 2000 characters");
    const result = await this.pool.query<ProjectRow>(
      `INSERT INTO projects AS p (owner_id, name, description) VALUES ($1, $2, $3) RETURNING ${PROJECT_COLUMNS}, NULL AS member_role`,
      [userId, name, description],
    );
    return toProject(result.rows[0]!, "owner");
  }

  /** Projects the caller owns or is a member of, newest first. */
  async listMine(actor: Actor, args: PageRequest): Promise<Page<ProjectRecord>> {
    const userId = requireUser(actor);
    const { limit, cursor, first } = pageWindow(args);
    const result = await this.pool.query<ProjectRow>(
      `SELECT ${PROJECT_COLUMNS}, m.role AS member_role
         FROM projects p LEFT JOIN project_members m ON m.project_id = p.id AND m.user_id = $1
        WHERE (p.owner_id = $1 OR m.user_id IS NOT NULL)
          AND ($2::timestamptz IS NULL OR (p.created_at, p.id) < ($2, $3::uuid))
        ORDER BY p.created_at DESC, p.id DESC LIMIT $4`,
      [userId, cursor?.createdAt ?? null, cursor?.id ?? null, limit],
    );
    const projects = result.rows.map((row) => toProject(row, row.owner_id === userId ? "owner" : (row.member_role ?? "viewer")));
    return toPage(projects, first);
  }

  async update(actor: Actor, projectId: string, input: { name?: string | null; description?: string | null }): Promise<ProjectRecord> {
    const project = await this.access(actor, projectId, "manage");
    const name = input.name == null ? project.name : parseInput(projectName, input.name, "name", "Project name must be 1 to 120 characters");
    const description =
      input.description == null ? project.description : parseInput(projectDescription, input.description, "description", "Description must be at most 2000 characters");
    const result = await this.pool.query<ProjectRow>(
      `UPDATE projects AS p SET name = $2, description = $3, updated_at = now() WHERE id = $1 RETURNING ${PROJECT_COLUMNS}, NULL AS member_role`,
      [project.id, name, description],
    );
    return toProject(result.rows[0]!, "owner");
  }

  /** Deletes the project and (through foreign keys) everything in it; returns its id. */
  async delete(actor: Actor, projectId: string): Promise<string> {
    const project = await this.access(actor, projectId, "manage");
    await this.pool.query(`DELETE FROM projects WHERE id = $1`, [project.id]);
    // Every object of a project lives under its prefix: models, datasets, surfaces.
    await this.store?.deletePrefix(projectPrefix(project.id));
    return project.id;
  }

  /**
   * Sets who may view the project. `link` creates a share token when there is none; going back
   * to private or public keeps no token, so an old link stops working at once.
   */
  async setVisibility(actor: Actor, projectId: string, visibility: Visibility): Promise<ProjectRecord> {
    const project = await this.access(actor, projectId, "manage");
    const token = visibility === "link" ? (project.shareToken ?? randomSecret(24)) : null;
    const result = await this.pool.query<ProjectRow>(
      `UPDATE projects AS p SET visibility = $2, share_token = $3, updated_at = now() WHERE id = $1 RETURNING ${PROJECT_COLUMNS}, NULL AS member_role`,
      [project.id, visibility, token],
    );
    return toProject(result.rows[0]!, "owner");
  }

  /** Replaces the share token: links given out before stop working. */
  async rotateShareToken(actor: Actor, projectId: string): Promise<ProjectRecord> {
    const project = await this.access(actor, projectId, "manage");
    if (project.visibility !== "link") throw badInput("projectId", "Turn on link sharing first");
    const result = await this.pool.query<ProjectRow>(
      `UPDATE projects AS p SET share_token = $2, updated_at = now() WHERE id = $1 RETURNING ${PROJECT_COLUMNS}, NULL AS member_role`,
      [project.id, randomSecret(24)],
    );
    return toProject(result.rows[0]!, "owner");
  }

  async members(actor: Actor, projectId: string, args: PageRequest, shareToken?: string): Promise<Page<MemberRecord>> {
    const project = await this.access(actor, projectId, "read", shareToken);
    const { limit, cursor, first } = pageWindow(args);
    const result = await this.pool.query<{ user_id: string; role: MemberRole; added_at: Date }>(
      `SELECT user_id, role, added_at FROM project_members
        WHERE project_id = $1 AND ($2::timestamptz IS NULL OR (added_at, user_id) < ($2, $3::uuid))
        ORDER BY added_at DESC, user_id DESC LIMIT $4`,
      [project.id, cursor?.createdAt ?? null, cursor?.id ?? null, limit],
    );
    const users = await this.accounts.usersByIds(result.rows.map((row) => row.user_id));
    // The owner manages the members, so sees their emails; everyone else sees names.
    const emailVisibleTo = project.role === "owner" ? project.ownerId : undefined;
    const members = result.rows.map((row) => ({
      user: { ...users.get(row.user_id)!, emailVisibleTo },
      role: row.role,
      addedAt: row.added_at,
      createdAt: row.added_at,
      id: row.user_id,
    }));
    return toPage(members, first);
  }

  /**
   * Changes the role of a current member, named by email (owner only). New members come in by
   * invitation (InvitationsService), never by being added here, and the answer for an email that
   * is not a member says nothing about whether it has an account.
   */
  async setMember(actor: Actor, projectId: string, email: string, role: MemberRole): Promise<MemberRecord> {
    const project = await this.access(actor, projectId, "manage");
    const address = email.trim().toLowerCase();
    const result = await this.pool.query<{ user_id: string; added_at: Date }>(
      `UPDATE project_members m SET role = $3 FROM users u
        WHERE m.project_id = $1 AND m.user_id = u.id AND u.email = $2
        RETURNING m.user_id, m.added_at`,
      [project.id, address, role],
    );
    const row = result.rows[0];
    if (!row) throw badInput("email", "No member of this project has this email; invite them instead");
    const user = (await this.accounts.usersByIds([row.user_id])).get(row.user_id)!;
    return { user: { ...user, emailVisibleTo: project.ownerId }, role, addedAt: row.added_at, createdAt: row.added_at, id: user.id };
  }

  /**
   * The owner removes anyone; a member may remove themself (leave). The surface links the member
   * made go with them, and so do their comparison links holding a surface of the project: a link
   * speaks for its maker, who no longer may share the project.
   */
  async removeMember(actor: Actor, projectId: string, userId: string): Promise<void> {
    const self = actorUserId(actor) === userId;
    const project = await this.access(actor, projectId, self ? "read" : "manage");
    const member = assertId(userId, "Member");
    const removed = await this.pool.query(
      `WITH gone AS (DELETE FROM project_members WHERE project_id = $1 AND user_id = $2 RETURNING user_id),
       revoked AS (
         UPDATE surface_links SET revoked_at = now()
          WHERE project_id = $1 AND created_by IN (SELECT user_id FROM gone) AND revoked_at IS NULL),
       compared AS (
         UPDATE compare_links c SET revoked_at = now()
          WHERE c.created_by IN (SELECT user_id FROM gone) AND c.revoked_at IS NULL
            AND EXISTS (SELECT 1 FROM compare_link_surfaces cs WHERE cs.link_id = c.id AND cs.project_id = $1))
       SELECT 1 FROM gone`,
      [project.id, member],
    );
    if (removed.rowCount === 0) throw notFound("Member");
  }
}

export function requireUser(actor: Actor): string {
  if (actor.kind !== "user") throw unauthenticated();
  return actor.user.id;
}

