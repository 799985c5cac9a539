/**
 * Experiments on the API side: start one (its training runs are queued at once; the worker that
 * finishes the last run queues the matching surfaces), read and list them.
 */
import type { Pool } from "../../db/pool.js";
import { assertId } from "../../domain/ids.js";
import { type Page, type PageRequest, pageWindow, toPage } from "../../domain/pagination.js";
import { badInput, notFound } from "../../domain/errors.js";
import { type Actor, actorUserId } from "../accounts/actor.js";
import { type ProjectsService, requireUser } from "../projects/projects.service.js";
import type { TrainingService } from "../training/training.service.js";
import { type ExperimentKind, type ExperimentSize, planExperiment } from "./definitions.js";
import { checkResnetImages } from "../../domain/training-params.js";

export interface ExperimentRecord {
  id: string;
  projectId: string;
  kind: ExperimentKind;
  name: string;
  caption: string;
  datasetId: string;
  surfaceIds: string[];
  /** The curve between its two models (mode connectivity), once they are trained. */
  curveId: string | null;
  failed: boolean;
  createdAt: Date;
}

/** A pair of planes from one experiment, the first the more non-convex by `contrast`. */
export interface FeaturedComparison {
  experiment: ExperimentRecord;
  surfaceIds: [string, string];
  contrast: number;
}

interface Row {
  id: string;
  project_id: string;
  kind: ExperimentKind;
  name: string;
  caption: string;
  dataset_id: string;
  surface_ids: string[];
  curve_id: string | null;
  failed: boolean;
  created_at: Date;
}

const COLUMNS = `id, project_id, kind, name, caption, dataset_id, surface_ids, curve_id, failed, created_at`;
const toExperiment = (row: Row): ExperimentRecord => ({
  id: row.id,
  projectId: row.project_id,
  kind: row.kind,
  name: row.name,
  caption: row.caption,
  datasetId: row.dataset_id,
  surfaceIds: row.surface_ids,
  curveId: row.curve_id,
  failed: row.failed,
  createdAt: row.created_at,
});

export class ExperimentsService {
  constructor(
    private readonly pool: Pool,
    private readonly projects: ProjectsService,
    private readonly training: TrainingService,
  ) {}

  async start(actor: Actor, input: { projectId: string; kind: ExperimentKind; datasetId: string; size?: ExperimentSize | null }): Promise<ExperimentRecord> {
    const userId = requireUser(actor);
    const project = await this.projects.access(actor, input.projectId, "write");
    const dataset = (await this.pool.query<{ rows: number; classes: number | null; input_shape: number[]; channels_last: boolean }>(`SELECT rows, classes, input_shape, channels_last FROM datasets WHERE id = $1 AND project_id = $2`, [
      assertId(input.datasetId, "Dataset"),
      project.id,
    ])).rows[0];
    if (!dataset) throw notFound("Dataset");
    if (dataset.classes === null) throw badInput("datasetId", "Experiments train classifiers: choose a dataset of class labels");
    const plan = planExperiment(input.kind, input.size ?? "standard", dataset.rows);
    // Refused before anything is stored: a comparison of ResNets needs images they can read.
    for (const run of plan.runs) if (run.architecture.kind === "resnet") checkResnetImages(run.architecture, dataset, "datasetId");
    const surfaceParams = { grid: plan.grid, span: plan.span, samples: plan.samples, surface: plan.surface, series: plan.series ?? false, ...(plan.eigenRatio ? { eigenRatio: plan.eigenRatio } : {}), ...(plan.normalization ? { normalization: plan.normalization } : {}), ...(plan.curve ? { curve: plan.curve } : {}) };
    const row = (
      await this.pool.query<Row>(
        `INSERT INTO experiments (project_id, created_by, kind, name, caption, dataset_id, surface_params) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
        [project.id, userId, input.kind, plan.name, plan.caption, input.datasetId, JSON.stringify(surfaceParams)],
      )
    ).rows[0]!;
    for (const run of plan.runs) {
      await this.training.start(
        actor,
        { projectId: project.id, name: `${plan.name}: ${run.role}`, datasetId: input.datasetId, architecture: run.architecture, options: run.options },
        { id: row.id, role: run.role },
      );
    }
    return toExperiment(row);
  }

  async get(actor: Actor, id: string, shareToken?: string): Promise<ExperimentRecord> {
    const row = (await this.pool.query<Row>(`SELECT ${COLUMNS} FROM experiments WHERE id = $1`, [assertId(id, "Experiment")])).rows[0];
    if (!row) throw notFound("Experiment");
    await this.projects.access(actor, row.project_id, "read", shareToken, "Experiment");
    return toExperiment(row);
  }

  /**
   * The experiment each of these surfaces was made by, if any (for a surface's breadcrumb and the
   * gallery's cards). No access check: callers pass surfaces the caller may read as a project reader.
   */
  async bySurfaceIds(surfaceIds: readonly string[]): Promise<Map<string, ExperimentRecord>> {
    const result = await this.pool.query<Row & { surface_id: string }>(
      `SELECT ${COLUMNS.split(", ").map((c) => `e.${c}`).join(", ")}, s AS surface_id
         FROM experiments e CROSS JOIN LATERAL unnest(e.surface_ids) AS s
        WHERE s = ANY ($1::uuid[])`,
      [surfaceIds],
    );
    return new Map(result.rows.map((row) => [row.surface_id, toExperiment(row)]));
  }

  async list(actor: Actor, projectId: string, args: PageRequest, shareToken?: string): Promise<Page<ExperimentRecord>> {
    const project = await this.projects.access(actor, projectId, "read", shareToken);
    const { limit, cursor, first } = pageWindow(args);
    const result = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM experiments WHERE project_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $4`,
      [project.id, cursor?.createdAt ?? null, cursor?.id ?? null, limit],
    );
    return toPage(result.rows.map(toExperiment), first);
  }

  /**
   * The most striking comparison the caller may see (public, or in their projects): of the ready
   * experiments that pair a network without shortcuts with its twin with them (skip, depth,
   * width), the pair of planes whose non-convexity differs most, the plain one the more
   * non-convex, by the planes' own measurements. Null while no such pair shows a difference.
   */
  async featured(actor: Actor, shareToken?: string): Promise<FeaturedComparison | null> {
    const result = await this.pool.query<Row & { a: string; b: string; contrast: number }>(
      `SELECT ${COLUMNS.split(", ").map((c) => `e.${c}`).join(", ")}, pair.a, pair.b, pair.contrast
         FROM experiments e
         JOIN projects p ON p.id = e.project_id
         LEFT JOIN project_members m ON m.project_id = p.id AND m.user_id = $1
         CROSS JOIN LATERAL (
           SELECT sa.id AS a, sb.id AS b,
                  (sa.statistics->>'nonConvexity')::float8 - (sb.statistics->>'nonConvexity')::float8 AS contrast
             FROM generate_series(1, cardinality(e.surface_ids) - 1, 2) AS k
             JOIN surfaces sa ON sa.id = e.surface_ids[k]
             JOIN surfaces sb ON sb.id = e.surface_ids[k + 1]
            WHERE sa.kind = 'plane' AND sb.kind = 'plane'
              AND jsonb_typeof(sa.statistics->'nonConvexity') = 'number' AND jsonb_typeof(sb.statistics->'nonConvexity') = 'number'
            ORDER BY contrast DESC
            LIMIT 1) pair
        WHERE (p.owner_id = $1 OR m.user_id IS NOT NULL OR p.visibility = 'public' OR (p.visibility = 'link' AND p.share_token = $2))
          AND e.kind IN ('skip', 'depth', 'width') AND NOT e.failed
          AND NOT EXISTS (SELECT 1 FROM surfaces s WHERE s.id = ANY (e.surface_ids) AND s.status <> 'ready')
          AND pair.contrast > 0
        ORDER BY pair.contrast DESC, e.created_at DESC
        LIMIT 1`,
      [actorUserId(actor) ?? null, shareToken ?? null],
    );
    const row = result.rows[0];
    return row ? { experiment: toExperiment(row), surfaceIds: [row.a, row.b], contrast: row.contrast } : null;
  }

  /**
   * Experiments still training or computing, of every project the caller may see (owned, member,
   * public, or the share link's), newest first: what the gallery shows as "being prepared".
   */
  async inProgress(actor: Actor, args: PageRequest, shareToken?: string): Promise<Page<ExperimentRecord>> {
    const { limit, cursor, first } = pageWindow(args);
    const result = await this.pool.query<Row>(
      `SELECT ${COLUMNS.split(", ").map((c) => `e.${c}`).join(", ")}
         FROM experiments e
         JOIN projects p ON p.id = e.project_id
         LEFT JOIN project_members m ON m.project_id = p.id AND m.user_id = $1
        WHERE (p.owner_id = $1 OR m.user_id IS NOT NULL OR p.visibility = 'public' OR (p.visibility = 'link' AND p.share_token = $2))
          AND NOT e.failed
          AND ((cardinality(e.surface_ids) = 0 AND e.curve_id IS NULL)
               OR EXISTS (SELECT 1 FROM surfaces s WHERE s.id = ANY (e.surface_ids) AND s.status IN ('queued', 'running'))
               OR EXISTS (SELECT 1 FROM curves c WHERE c.id = e.curve_id AND c.status IN ('queued', 'running')))
          AND ($3::timestamptz IS NULL OR (e.created_at, e.id) < ($3, $4::uuid))
        ORDER BY e.created_at DESC, e.id DESC
        LIMIT $5`,
      [actorUserId(actor) ?? null, shareToken ?? null, cursor?.createdAt ?? null, cursor?.id ?? null, limit],
    );
    return toPage(result.rows.map(toExperiment), first);
  }
}
