/**
 * Links to a comparison ("Share comparison" on the compare page): two to ten surfaces in their
 * order, with the page's settings. They follow the rules of a link to one surface: made only by
 * someone who may share every one of the surfaces (an editor or the owner of each one's project),
 * opening those surfaces and nothing else of their projects, revoked one by one, and revoked with
 * their maker's membership of any of those projects (ProjectsService.removeMember).
 */
import { MAX_COMPARED } from "../../domain/compare.js";
import { z } from "zod";
import type { Pool } from "../../db/pool.js";
import { transaction } from "../../db/transaction.js";
import { assertId } from "../../domain/ids.js";
import { type Page, type PageRequest, pageWindow, toPage } from "../../domain/pagination.js";
import { notFound } from "../../domain/errors.js";
import { parseInput } from "../../domain/validation.js";
import { type Actor, actorUserId } from "../accounts/actor.js";
import { randomSecret } from "../accounts/secrets.js";
import { requireRole, type Role } from "./policy.js";
import type { ProjectsService } from "./projects.service.js";
import { requireUser } from "./projects.service.js";
import { viewSchema } from "./sharing.service.js";

export interface CompareLinkSurface {
  id: string;
  projectId: string;
  name: string;
}

export interface CompareLinkRecord {
  id: string;
  token: string;
  view: string;
  /** The surfaces in their order on the page. */
  surfaces: CompareLinkSurface[];
  createdBy: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

interface LinkRow {
  id: string;
  token: string;
  view: string;
  created_by: string | null;
  created_at: Date;
  revoked_at: Date | null;
  surfaces: { id: string; project_id: string; name: string }[];
}

// A link with its surfaces in order, as one row.
const LINK_SELECT = `SELECT c.id, c.token, c.view, c.created_by, c.created_at, c.revoked_at,
       (SELECT json_agg(json_build_object('id', s.id, 'project_id', cs.project_id, 'name', s.name) ORDER BY cs.position)
          FROM compare_link_surfaces cs JOIN surfaces s ON s.id = cs.surface_id WHERE cs.link_id = c.id) AS surfaces
  FROM compare_links c`;

const toLink = (row: LinkRow): CompareLinkRecord => ({
  id: row.id,
  token: row.token,
  view: row.view,
  surfaces: (row.surfaces ?? []).map((s) => ({ id: s.id, projectId: s.project_id, name: s.name })),
  createdBy: row.created_by,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

const surfaceIds = z.array(z.string()).min(2).max(MAX_COMPARED).refine((ids) => new Set(ids).size === ids.length);

export class CompareLinksService {
  constructor(
    private readonly pool: Pool,
    private readonly projects: ProjectsService,
  ) {}

  /** A new link to a comparison of `ids`, in that order (editors and owners of every surface's project). */
  async create(actor: Actor, ids: string[], view: string | null | undefined): Promise<CompareLinkRecord> {
    const wanted = parseInput(surfaceIds, ids, "surfaceIds", `A comparison links two to ${MAX_COMPARED} different surfaces`).map((id) => assertId(id, "Surface"));
    const settings = parseInput(viewSchema, (view ?? "").replace(/^\?/, ""), "view", "The view is a query string of the compare page, at most 2000 characters");
    const found = await this.pool.query<{ id: string; project_id: string }>(`SELECT id, project_id FROM surfaces WHERE id = ANY ($1::uuid[])`, [wanted]);
    const projectOf = new Map(found.rows.map((r) => [r.id, r.project_id]));
    for (const id of wanted) if (!projectOf.has(id)) throw notFound("Surface");
    // Whoever may not share one of them may not share the comparison.
    for (const projectId of new Set(projectOf.values())) await this.projects.access(actor, projectId, "write", undefined, "Surface");
    const userId = requireUser(actor);
    const id = await transaction(this.pool, async (client) => {
      const link = await client.query<{ id: string }>(`INSERT INTO compare_links (token, view, created_by) VALUES ($1, $2, $3) RETURNING id`, [randomSecret(24), settings, userId]);
      const linkId = link.rows[0]!.id;
      await client.query(
        `INSERT INTO compare_link_surfaces (link_id, position, surface_id, project_id)
         SELECT $1, k - 1, s, p FROM unnest($2::uuid[], $3::uuid[]) WITH ORDINALITY AS t(s, p, k)`,
        [linkId, wanted, wanted.map((w) => projectOf.get(w)!)],
      );
      return linkId;
    });
    return this.byId(id);
  }

  /**
   * Comparison links holding a surface of the project, newest first: the owner sees all of them,
   * an editor those they made, anyone else none.
   */
  async ofProject(actor: Actor, projectId: string, args: PageRequest, includeRevoked: boolean, shareToken?: string): Promise<Page<CompareLinkRecord>> {
    const project = await this.projects.access(actor, projectId, "read", shareToken);
    const { limit, cursor, first } = pageWindow(args);
    if (project.role !== "owner" && project.role !== "editor") return toPage([], first);
    const result = await this.pool.query<LinkRow>(
      `${LINK_SELECT}
        WHERE EXISTS (SELECT 1 FROM compare_link_surfaces cs WHERE cs.link_id = c.id AND cs.project_id = $1)
          AND ($2::uuid IS NULL OR c.created_by = $2) AND ($3::boolean OR c.revoked_at IS NULL)
          AND ($4::timestamptz IS NULL OR (c.created_at, c.id) < ($4, $5::uuid))
        ORDER BY c.created_at DESC, c.id DESC LIMIT $6`,
      [project.id, project.role === "owner" ? null : actorUserId(actor), includeRevoked, cursor?.createdAt ?? null, cursor?.id ?? null, limit],
    );
    return toPage(result.rows.map(toLink), first);
  }

  /**
   * Revokes a comparison link at once: its maker, or the owner of any of its surfaces' projects
   * (who may always stop their surfaces being shared).
   */
  async revoke(actor: Actor, linkId: string): Promise<CompareLinkRecord> {
    const link = await this.byId(assertId(linkId, "Share link"));
    const mine = actor.kind === "user" && link.createdBy === actor.user.id;
    let best: Role | null = null;
    for (const projectId of new Set(link.surfaces.map((s) => s.projectId))) {
      const role = await this.projects.access(actor, projectId, "read", undefined, "Share link").then((p) => p.role, () => null);
      if (role === "owner" || (role === "editor" && mine)) best = role;
      else best ??= role;
    }
    // An editor revokes the links they made; the rest are the owners' to manage.
    if (best !== "owner" && !(best === "editor" && mine)) requireRole(actor, best, "manage", "Share link");
    await this.pool.query(`UPDATE compare_links SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1`, [link.id]);
    return this.byId(link.id);
  }

  private async byId(id: string): Promise<CompareLinkRecord> {
    const row = (await this.pool.query<LinkRow>(`${LINK_SELECT} WHERE c.id = $1`, [id])).rows[0];
    if (!row) throw notFound("Share link");
    return toLink(row);
  }
}
