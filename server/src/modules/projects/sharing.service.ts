/**
 * Links to single surfaces ("Share view"), and what a link token opens. A project's own link is
 * its share token (see ProjectsService.setVisibility); a surface link is a row here, made by an
 * editor or the owner, revoked one by one, and never changes the project's visibility.
 */
import { z } from "zod";
import type { Pool } from "../../db/pool.js";
import { assertId } from "../../domain/ids.js";
import { type Page, type PageRequest, pageWindow, toPage } from "../../domain/pagination.js";
import { notFound } from "../../domain/errors.js";
import { parseInput } from "../../domain/validation.js";
import { type Actor, actorUserId } from "../accounts/actor.js";
import { randomSecret } from "../accounts/secrets.js";
import { requireRole } from "./policy.js";
import type { ProjectsService } from "./projects.service.js";

export interface SurfaceLinkRecord {
  id: string;
  projectId: string;
  surfaceId: string;
  surfaceName: string;
  token: string;
  view: string;
  createdBy: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

/** What a share token opens: the whole project (read only) or one surface. */
export type SharedTarget =
  | { kind: "project"; projectId: string }
  | { kind: "surface"; projectId: string; surfaceId: string; view: string }
  | { kind: "compare"; surfaceIds: string[]; view: string };

interface LinkRow {
  id: string;
  project_id: string;
  surface_id: string;
  surface_name: string;
  token: string;
  view: string;
  created_by: string | null;
  created_at: Date;
  revoked_at: Date | null;
}

const toLink = (row: LinkRow): SurfaceLinkRecord => ({
  id: row.id,
  projectId: row.project_id,
  surfaceId: row.surface_id,
  surfaceName: row.surface_name,
  token: row.token,
  view: row.view,
  createdBy: row.created_by,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

const LINK_COLUMNS = `l.id, l.project_id, l.surface_id, s.name AS surface_name, l.token, l.view, l.created_by, l.created_at, l.revoked_at`;

// The view is the surface page's query string (mode, metric, scale, camera); nothing else.
export const viewSchema = z.string().max(2000).regex(/^[\w.,:=&%+-]*$/);

export class SharingService {
  constructor(
    private readonly pool: Pool,
    private readonly projects: ProjectsService,
  ) {}

  /** A new link to one surface (editors and owners); the project's visibility stays as it is. */
  async createSurfaceLink(actor: Actor, surfaceId: string, view: string | null | undefined): Promise<SurfaceLinkRecord> {
    const surface = await this.surfaceProject(surfaceId);
    const project = await this.projects.access(actor, surface.project_id, "write", undefined, "Surface");
    const settings = parseInput(viewSchema, (view ?? "").replace(/^\?/, ""), "view", "The view is a query string of the surface page, at most 2000 characters");
    const result = await this.pool.query<LinkRow>(
      `WITH l AS (INSERT INTO surface_links (project_id, surface_id, token, view, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING *)
       SELECT ${LINK_COLUMNS} FROM l JOIN surfaces s ON s.id = l.surface_id`,
      [project.id, surface.id, randomSecret(24), settings, actorUserId(actor)],
    );
    return toLink(result.rows[0]!);
  }

  /**
   * Surface links of a project, newest first: the owner sees all of them, an editor those they
   * made, anyone else none.
   */
  async surfaceLinks(actor: Actor, projectId: string, args: PageRequest, includeRevoked: boolean, shareToken?: string): Promise<Page<SurfaceLinkRecord>> {
    const project = await this.projects.access(actor, projectId, "read", shareToken);
    const { limit, cursor, first } = pageWindow(args);
    if (project.role !== "owner" && project.role !== "editor") return toPage([], first);
    const result = await this.pool.query<LinkRow>(
      `SELECT ${LINK_COLUMNS} FROM surface_links l JOIN surfaces s ON s.id = l.surface_id
        WHERE l.project_id = $1 AND ($2::uuid IS NULL OR l.created_by = $2) AND ($3::boolean OR l.revoked_at IS NULL)
          AND ($4::timestamptz IS NULL OR (l.created_at, l.id) < ($4, $5::uuid))
        ORDER BY l.created_at DESC, l.id DESC LIMIT $6`,
      [project.id, project.role === "owner" ? null : actorUserId(actor), includeRevoked, cursor?.createdAt ?? null, cursor?.id ?? null, limit],
    );
    return toPage(result.rows.map(toLink), first);
  }

  /** Revokes a surface link at once: the owner any of the project's, an editor their own. */
  async revokeSurfaceLink(actor: Actor, linkId: string): Promise<SurfaceLinkRecord> {
    const id = assertId(linkId, "Share link");
    const row = (await this.pool.query<LinkRow>(`SELECT ${LINK_COLUMNS} FROM surface_links l JOIN surfaces s ON s.id = l.surface_id WHERE l.id = $1`, [id]))
      .rows[0];
    if (!row) throw notFound("Share link");
    const project = await this.projects.access(actor, row.project_id, "write", undefined, "Share link");
    // An editor revokes the links they made; the rest are the owner's to manage.
    if (project.role !== "owner" && row.created_by !== actorUserId(actor)) requireRole(actor, project.role, "manage", "Share link");
    const result = await this.pool.query<LinkRow>(
      `WITH l AS (UPDATE surface_links SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING *)
       SELECT ${LINK_COLUMNS} FROM l JOIN surfaces s ON s.id = l.surface_id`,
      [id],
    );
    return toLink(result.rows[0]!);
  }

  /**
   * What a share token opens, for the web app's /share/<token> page. Anyone may ask: the token is
   * the capability. A revoked, rotated or unknown token is NOT_FOUND.
   */
  async resolve(token: string): Promise<SharedTarget> {
    if (token.length === 0 || token.length > 200) throw notFound("Share link");
    const project = await this.pool.query<{ id: string }>(`SELECT id FROM projects WHERE visibility = 'link' AND share_token = $1`, [token]);
    if (project.rows[0]) return { kind: "project", projectId: project.rows[0].id };
    const link = await this.pool.query<{ project_id: string; surface_id: string; view: string }>(
      `SELECT project_id, surface_id, view FROM surface_links WHERE token = $1 AND revoked_at IS NULL`,
      [token],
    );
    const row = link.rows[0];
    if (row) return { kind: "surface", projectId: row.project_id, surfaceId: row.surface_id, view: row.view };
    const comparison = await this.pool.query<{ view: string; surface_ids: string[] }>(
      `SELECT c.view, array_agg(cs.surface_id ORDER BY cs.position) AS surface_ids
         FROM compare_links c JOIN compare_link_surfaces cs ON cs.link_id = c.id
        WHERE c.token = $1 AND c.revoked_at IS NULL GROUP BY c.id`,
      [token],
    );
    const compare = comparison.rows[0];
    if (!compare) throw notFound("Share link");
    return { kind: "compare", surfaceIds: compare.surface_ids, view: compare.view };
  }

  private async surfaceProject(surfaceId: string): Promise<{ id: string; project_id: string }> {
    const row = (await this.pool.query<{ id: string; project_id: string }>(`SELECT id, project_id FROM surfaces WHERE id = $1`, [assertId(surfaceId, "Surface")]))
      .rows[0];
    if (!row) throw notFound("Surface");
    return row;
  }
}
