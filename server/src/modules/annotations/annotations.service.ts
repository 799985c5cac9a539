/**
 * Notes pinned on surfaces and on curves' planes: everyone who can read the surface or curve reads
 * them; editors and owners of its project write.
 */
import { z } from "zod";
import type { Pool } from "../../db/pool.js";
import { assertId } from "../../domain/ids.js";
import { type Page, type PageRequest, pageWindow, toPage } from "../../domain/pagination.js";
import { badInput, notFound } from "../../domain/errors.js";
import { parseInput } from "../../domain/validation.js";
import type { Actor } from "../accounts/actor.js";
import { requireUser } from "../projects/projects.service.js";
import { isPlanar } from "../../domain/surface-params.js";
import type { SurfaceRecord } from "../surfaces/surface-records.js";
import type { SurfacesService } from "../surfaces/surfaces.service.js";
import type { CurvesService } from "../curves/curves.service.js";

export type AnnotationKind = "minimum" | "saddle" | "note";

export interface AnnotationRecord {
  id: string;
  /** Exactly one of surfaceId and curveId is set. */
  surfaceId: string | null;
  curveId: string | null;
  authorId: string | null;
  x: number;
  y: number;
  kind: AnnotationKind;
  label: string;
  body: string;
  createdAt: Date;
  updatedAt: Date;
}

interface Row {
  id: string;
  surface_id: string | null;
  curve_id: string | null;
  author_id: string | null;
  x: number;
  y: number;
  kind: AnnotationKind;
  label: string;
  body: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, surface_id, curve_id, author_id, x, y, kind, label, body, created_at, updated_at`;
const toAnnotation = (row: Row): AnnotationRecord => ({
  id: row.id,
  surfaceId: row.surface_id,
  curveId: row.curve_id,
  authorId: row.author_id,
  x: row.x,
  y: row.y,
  kind: row.kind,
  label: row.label,
  body: row.body,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const label = z.string().trim().min(1).max(120);
const body = z.string().max(5000);

/** An annotation must sit on the surface's grid (a small margin allowed). */
function checkPosition(surface: SurfaceRecord | null, x: number, y: number): void {
  if (!surface) {
    // A curve's plane spans wherever its own grid lies (known only once it is computed): any finite point.
    if (!Number.isFinite(x)) throw badInput("x", "x must be a finite number");
    if (!Number.isFinite(y)) throw badInput("y", "y must be a finite number");
    return;
  }
  const within = (value: number, axis: { min: number; max: number }) => {
    const margin = (axis.max - axis.min) * 0.01;
    return Number.isFinite(value) && value >= axis.min - margin && value <= axis.max + margin;
  };
  if (!within(x, surface.params.x)) throw badInput("x", `x must lie in [${surface.params.x.min}, ${surface.params.x.max}]`);
  const twoD = isPlanar(surface.kind);
  if (twoD && surface.params.y && !within(y, surface.params.y)) throw badInput("y", `y must lie in [${surface.params.y.min}, ${surface.params.y.max}]`);
  if (!twoD && y !== 0) throw badInput("y", "A 1D surface has y = 0");
}

export class AnnotationsService {
  constructor(
    private readonly pool: Pool,
    private readonly surfaces: SurfacesService,
    private readonly curves: CurvesService,
  ) {}

  /** Notes on one surface or one curve's plane (the caller loaded it through an access check), newest first. */
  async list(owner: { surfaceId: string } | { curveId: string }, args: PageRequest): Promise<Page<AnnotationRecord>> {
    const { limit, cursor, first } = pageWindow(args);
    const column = "surfaceId" in owner ? "surface_id" : "curve_id";
    const result = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM annotations WHERE ${column} = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $4`,
      ["surfaceId" in owner ? owner.surfaceId : owner.curveId, cursor?.createdAt ?? null, cursor?.id ?? null, limit],
    );
    return toPage(result.rows.map(toAnnotation), first);
  }

  async add(
    actor: Actor,
    input: { surfaceId?: string | null; curveId?: string | null; x: number; y: number; kind: AnnotationKind; label: string; body?: string | null },
  ): Promise<AnnotationRecord> {
    const userId = requireUser(actor);
    if ((input.surfaceId == null) === (input.curveId == null)) throw badInput("surfaceId", "Give either a surface or a curve, not both");
    const surface = input.surfaceId != null ? await this.surfaces.get(actor, input.surfaceId, "write") : null;
    const curve = input.curveId != null ? await this.curves.get(actor, input.curveId, "write") : null;
    checkPosition(surface, input.x, input.y);
    const result = await this.pool.query<Row>(
      `INSERT INTO annotations (surface_id, curve_id, author_id, x, y, kind, label, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [
        surface?.id ?? null,
        curve?.id ?? null,
        userId,
        input.x,
        input.y,
        input.kind,
        parseInput(label, input.label, "label", "Label must be 1 to 120 characters"),
        parseInput(body, input.body ?? "", "body", "Text must be at most 5000 characters"),
      ],
    );
    return toAnnotation(result.rows[0]!);
  }

  private async load(actor: Actor, id: string): Promise<{ annotation: AnnotationRecord; surface: SurfaceRecord | null }> {
    const row = (await this.pool.query<Row>(`SELECT ${COLUMNS} FROM annotations WHERE id = $1`, [assertId(id, "Annotation")])).rows[0];
    if (!row) throw notFound("Annotation");
    if (row.surface_id) return { annotation: toAnnotation(row), surface: await this.surfaces.get(actor, row.surface_id, "write", undefined, "Annotation") };
    await this.curves.get(actor, row.curve_id!, "write", undefined, "Annotation");
    return { annotation: toAnnotation(row), surface: null };
  }

  async update(
    actor: Actor,
    input: { id: string; x?: number | null; y?: number | null; kind?: AnnotationKind | null; label?: string | null; body?: string | null },
  ): Promise<AnnotationRecord> {
    requireUser(actor);
    const { annotation, surface } = await this.load(actor, input.id);
    const x = input.x ?? annotation.x;
    const y = input.y ?? annotation.y;
    checkPosition(surface, x, y);
    const result = await this.pool.query<Row>(
      `UPDATE annotations SET x = $2, y = $3, kind = $4, label = $5, body = $6, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
      [
        annotation.id,
        x,
        y,
        input.kind ?? annotation.kind,
        input.label == null ? annotation.label : parseInput(label, input.label, "label", "Label must be 1 to 120 characters"),
        input.body == null ? annotation.body : parseInput(body, input.body, "body", "Text must be at most 5000 characters"),
      ],
    );
    return toAnnotation(result.rows[0]!);
  }

  async delete(actor: Actor, id: string): Promise<string> {
    requireUser(actor);
    const { annotation } = await this.load(actor, id);
    await this.pool.query(`DELETE FROM annotations WHERE id = $1`, [annotation.id]);
    return annotation.id;
  }
}
