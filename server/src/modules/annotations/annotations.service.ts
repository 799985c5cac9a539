/** Notes pinned on surfaces: everyone who can read the surface reads them; editors and owners write. */
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

export type AnnotationKind = "minimum" | "saddle" | "note";

export interface AnnotationRecord {
  id: string;
  surfaceId: string;
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
  surface_id: string;
  author_id: string | null;
  x: number;
  y: number;
  kind: AnnotationKind;
  label: string;
  body: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, surface_id, author_id, x, y, kind, label, body, created_at, updated_at`;
const toAnnotation = (row: Row): AnnotationRecord => ({
  id: row.id,
  surfaceId: row.surface_id,
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
function checkPosition(surface: SurfaceRecord, x: number, y: number): void {
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
  ) {}

  async list(surfaceId: string, args: PageRequest): Promise<Page<AnnotationRecord>> {
    const { limit, cursor, first } = pageWindow(args);
    const result = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM annotations WHERE surface_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $4`,
      [surfaceId, cursor?.createdAt ?? null, cursor?.id ?? null, limit],
    );
    return toPage(result.rows.map(toAnnotation), first);
  }

  async add(actor: Actor, input: { surfaceId: string; x: number; y: number; kind: AnnotationKind; label: string; body?: string | null }): Promise<AnnotationRecord> {
    const userId = requireUser(actor);
    const surface = await this.surfaces.get(actor, input.surfaceId, "write");
    checkPosition(surface, input.x, input.y);
    const result = await this.pool.query<Row>(
      `INSERT INTO annotations (surface_id, author_id, x, y, kind, label, body) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [
        surface.id,
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

  private async load(actor: Actor, id: string): Promise<{ annotation: AnnotationRecord; surface: SurfaceRecord }> {
    const row = (await this.pool.query<Row>(`SELECT ${COLUMNS} FROM annotations WHERE id = $1`, [assertId(id, "Annotation")])).rows[0];
    if (!row) throw notFound("Annotation");
    const surface = await this.surfaces.get(actor, row.surface_id, "write", undefined, "Annotation");
    return { annotation: toAnnotation(row), surface };
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
