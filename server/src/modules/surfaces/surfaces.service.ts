/**
 * Surfaces on the API side: create (validate, record, queue), read (axes, values, statistics,
 * critical points), cancel, delete, the gallery across every project the caller may see, and
 * side-by-side comparison on one value range. Workers do the computing (see compute/).
 */
import { MAX_COMPARED } from "../../domain/compare.js";
import { z } from "zod";
import type { Pool } from "../../db/pool.js";
import { axisValues, floatsOf } from "../../domain/values.js";
import { MAX_MAP_LANCZOS_STEPS, MIN_MAP_LANCZOS_STEPS } from "../../engine/pure.js";
import { type QueuePlace, queuePlace } from "../../domain/fair-queue.js";
import { recordSurface } from "../../domain/record-surface.js";
import { assertId } from "../../domain/ids.js";
import { type Page, type PageRequest, pageWindow, toPage } from "../../domain/pagination.js";
import { DomainError, badInput, notFound } from "../../domain/errors.js";
import { ErrorCode } from "../../errors.js";
import { parseInput } from "../../domain/validation.js";
import type { Queue } from "../../queue/queue.js";
import type { DownloadAs, ObjectStore } from "../../storage/object-store.js";
import { type Actor, actorUserId } from "../accounts/actor.js";
import type { Action, Role } from "../projects/policy.js";
import { type ProjectsService, requireUser } from "../projects/projects.service.js";
import { assertQuotaLeft } from "../uploads/quota.js";
import {
  COLUMNS,
  type CreateSurfaceInput,
  type EigenRatioCost,
  type GalleryFilter,
  INLINE_POINTS,
  type SurfaceRecord,
  type SurfaceRow,
  type SurfaceValues,
  TILE_VALUE_COLUMNS,
  type TileValueColumns,
  tileValues,
  toSurface,
} from "./surface-records.js";
import { checkTestDataset } from "./test-dataset.js";
import { isPlanar, MAX_EIGEN_RATIO_POINTS, MAX_POINTS, metricsOf, OLD_CURVATURE_GRIDS, type SurfaceKind, type SurfaceMetric, type SurfaceParams, surfaceParamsSchema, withDefaultCount } from "../../domain/surface-params.js";

const tagSchema = z.array(z.string().trim().toLowerCase().regex(/^[\w.-]{1,40}$/)).max(20);
const nameSchema = z.string().trim().min(1).max(200);

/**
 * Ready surfaces (of at most INLINE_POINTS points, 323 KB each) whose values stay in memory, most
 * recently used first: at most about 41 MB.
 */
const READY_VALUES_CACHED = 128;
/** Presigned URLs kept for reuse (oldest dropped first). */
const SIGNED_URLS_CACHED = 5000;

export class SurfacesService {
  /** Values of ready surfaces by id, least recently used first (Map keeps insertion order). */
  private readonly readyValues = new Map<string, Promise<SurfaceValues>>();
  /** Presigned URLs by key, name and lifetime, with when to stop handing them out. */
  private readonly signedUrls = new Map<string, { url: Promise<string>; reuseUntil: number }>();

  constructor(
    private readonly pool: Pool,
    private readonly store: ObjectStore,
    private readonly queue: Queue,
    private readonly projects: ProjectsService,
    /** UPLOAD_QUOTA_BYTES: a full store refuses new surfaces. */
    private readonly quotaBytes = Number.POSITIVE_INFINITY,
    /** COMPUTE_POINTS_IN_FLIGHT: points one user may have queued or computing at once. */
    private readonly pointsInFlight = Number.POSITIVE_INFINITY,
  ) {}

  /**
   * Refuses a surface of `points` when its creator's unfinished surfaces already hold enough points
   * that it would go over COMPUTE_POINTS_IN_FLIGHT (one surface alone is always accepted), so
   * nobody fills the queue for everyone. The demo's surfaces have no creator and are not counted.
   */
  private async assertPointsInFlight(userId: string, points: number): Promise<void> {
    const inFlight = Number(
      (
        await this.pool.query<{ n: string }>(
          `SELECT COALESCE(sum(points_total - points_done), 0) AS n FROM surfaces WHERE created_by = $1 AND status IN ('queued', 'running')`,
          [userId],
        )
      ).rows[0]!.n,
    );
    if (inFlight > 0 && inFlight + points > this.pointsInFlight) {
      throw new DomainError(
        ErrorCode.COMPUTE_LIMIT,
        `Your surfaces being computed still have ${inFlight} points to go; with this one's ${points} that is over the ${this.pointsInFlight} points one user may have queued at once. Wait for some to finish, or cancel one`,
      );
    }
  }

  /** Where a queued or running surface stands in the fair queue (null otherwise). */
  queuePlace(record: SurfaceRecord, workerTimeoutSeconds?: number): Promise<QueuePlace | null> {
    return queuePlace(this.pool, { id: record.id, status: record.status, pointsTotal: record.pointsTotal, pointsDone: record.pointsDone, gpu: record.params.gpu }, workerTimeoutSeconds);
  }

  async create(actor: Actor, input: CreateSurfaceInput): Promise<SurfaceRecord> {
    const userId = requireUser(actor);
    const project = await this.projects.access(actor, input.projectId, "write");
    await assertQuotaLeft(this.pool, userId, this.quotaBytes);
    const kind = input.kind;
    // A line or an interpolation asked for without a count gets the figure's default (51, 61).
    const given = withDefaultCount(kind, input.params);
    const params = parseInput(surfaceParamsSchema, given, "params", describeParamsError(given));
    // A PCA plane's grid follows its path unless the caller says otherwise: nobody can know the
    // path's extent before the checkpoints are projected, and a fixed range can hide it in one cell.
    const asked = (input.params as { fitPath?: boolean | null } | null)?.fitPath;
    if (kind === "pca" && (asked === undefined || asked === null)) params.fitPath = true;
    if (params.equalAspect && !(kind === "pca" && params.fitPath)) {
      throw badInput("params.equalAspect", "Equal aspect applies to a PCA plane's ranges fitted to its path; give equal ranges yourself otherwise");
    }
    const twoD = isPlanar(kind);
    if (twoD && !params.y) throw badInput("params.y", `A ${kind === "pca" ? "PCA plane" : kind === "eigen-ratio" ? "eigen-ratio map" : "plane"} needs a y axis`);
    if (!twoD && params.y) throw badInput("params.y", "A line or an interpolation has no y axis");
    const total = params.x.count * (twoD ? params.y!.count : 1);
    if (total > MAX_POINTS) throw badInput("params", `${total} points is too many; at most ${MAX_POINTS}`);
    // Each point of an eigen-ratio map is a Lanczos run of at most `lanczosSteps` Hessian-vector products.
    if (kind === "eigen-ratio" && total > MAX_EIGEN_RATIO_POINTS) {
      throw badInput("params", `${total} points is too many for an eigen-ratio map (each costs up to ${params.lanczosSteps} Hessian-vector products); at most ${MAX_EIGEN_RATIO_POINTS}`);
    }
    await this.assertPointsInFlight(userId, total);
    if (kind === "interpolation" && !input.modelBId) throw badInput("modelBId", "An interpolation needs a second model");
    if (kind !== "interpolation" && input.modelBId) throw badInput("modelBId", "Only interpolations take a second model");
    if (kind !== "interpolation" && params.runningStats !== "move") throw badInput("params.runningStats", "Only interpolations say what BatchNorm's running statistics do between two models");

    const modelId = assertId(input.modelId, "Model");
    const model = (
      await this.pool.query<{ input_shape: number[]; output_shape: number[]; signature: string }>(
        `SELECT input_shape, output_shape, signature FROM models WHERE id = $1 AND project_id = $2`,
        [modelId, project.id],
      )
    ).rows[0];
    if (!model) throw notFound("Model");
    let modelBId: string | null = null;
    if (input.modelBId) {
      modelBId = assertId(input.modelBId, "Model");
      const other = (await this.pool.query<{ signature: string }>(`SELECT signature FROM models WHERE id = $1 AND project_id = $2`, [modelBId, project.id])).rows[0];
      if (!other) throw notFound("Model");
      if (other.signature !== model.signature) throw badInput("modelBId", "The two models have different architectures; interpolation needs the same weights' shapes");
    }
    if (kind === "pca") {
      const count = Number((await this.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM checkpoints WHERE model_id = $1`, [modelId])).rows[0]!.n);
      if (count < 2) throw badInput("modelId", "A PCA surface needs at least two checkpoints of the model's training run");
    }
    if (params.checkpointStep !== null) {
      const found = await this.pool.query(`SELECT 1 FROM checkpoints WHERE model_id = $1 AND step = $2`, [modelId, params.checkpointStep]);
      if (!found.rowCount) throw badInput("params.checkpointStep", `The model has no checkpoint at step ${params.checkpointStep}`);
      if (kind === "interpolation" || kind === "pca") throw badInput("params.checkpointStep", "Only planes and lines can be centred on a checkpoint");
    }
    if (params.directionX !== null || params.directionY !== null) {
      if (kind !== "plane" && kind !== "line") throw badInput("params.directionX", "Only planes and lines run along uploaded directions");
      if (params.directionX === null) throw badInput("params.directionY", "A y direction needs an x direction");
      if (params.directionY !== null && !twoD) throw badInput("params.directionY", "A line has only an x direction");
      if (params.directionsFrom !== null) throw badInput("params.directionX", "Uploaded directions and directionsFrom cannot be combined");
      for (const [field, id] of [["directionX", params.directionX], ["directionY", params.directionY]] as const) {
        if (id === null) continue;
        const found = await this.pool.query(`SELECT 1 FROM model_directions WHERE id = $1 AND model_id = $2`, [id, modelId]);
        if (!found.rowCount) throw badInput(`params.${field}`, "The model has no uploaded direction with that id");
      }
    }
    if (params.directionsFrom !== null) {
      const source = (await this.pool.query<{ model_id: string; kind: SurfaceKind; status: string; params: SurfaceParams }>(`SELECT model_id, kind, status, params FROM surfaces WHERE id = $1 AND project_id = $2`, [
        params.directionsFrom,
        project.id,
      ])).rows[0];
      if (!source) throw badInput("params.directionsFrom", "No surface of this project has that id");
      if (source.model_id !== modelId) throw badInput("params.directionsFrom", "Directions can be shared between surfaces of the same model only");
      if (isPlanar(source.kind) !== twoD) throw badInput("params.directionsFrom", "That surface has another number of directions");
      if (source.status === "queued" || source.status === "failed" || source.status === "cancelled") throw badInput("params.directionsFrom", `That surface is ${source.status}; its directions are not ready`);
      // A plane's curvature map takes the Hessian over the parameters the plane's directions move.
      if (kind === "eigen-ratio") Object.assign(params, { ignore: source.params.ignore, frozen: source.params.frozen ?? "move", norm: source.params.norm, seed: source.params.seed });
    }
    const datasetId = assertId(input.datasetId, "Dataset");
    const dataset = (
      await this.pool.query<{ input_shape: number[]; rows: number; classes: number | null }>(`SELECT input_shape, rows, classes FROM datasets WHERE id = $1 AND project_id = $2`, [
        datasetId,
        project.id,
      ])
    ).rows[0];
    if (!dataset) throw notFound("Dataset");
    const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
    if (size(dataset.input_shape) !== size(model.input_shape)) {
      throw badInput("datasetId", `The dataset's samples have shape [${dataset.input_shape.join(", ")}] but the model takes [${model.input_shape.join(", ")}]`);
    }
    // A label the model has no output for would index past its logits: refuse it here, not in a worker.
    const outputs = model.output_shape.at(-1) ?? 1;
    const classesItCanScore = outputs === 1 ? 2 : outputs;
    if (dataset.classes !== null && dataset.classes > classesItCanScore) {
      throw badInput("datasetId", `The dataset has ${dataset.classes} classes but the model scores only ${classesItCanScore}`);
    }
    if (params.samples !== null && params.samples > dataset.rows) throw badInput("params.samples", `The dataset has only ${dataset.rows} rows`);
    const testDatasetId = await checkTestDataset(this.pool, project.id, kind, { id: datasetId, ...dataset }, input.testDatasetId);
    const tags = parseInput(tagSchema, input.tags ?? [], "tags", "Tags are up to 20 words of letters, digits, . _ -");
    const name = parseInput(nameSchema, input.name ?? defaultName(kind, params), "name", "Name must be 1 to 200 characters");

    const id = await recordSurface(this.pool, this.queue, { projectId: project.id, createdBy: userId, name, kind, modelId, modelBId, datasetId, testDatasetId, params, tags });
    return this.get(actor, id);
  }

  /** @param what what the caller asked about (an annotation on the surface...), named in a NOT_FOUND. */
  async get(actor: Actor, surfaceId: string, action: Action = "read", shareToken?: string, what = "Surface"): Promise<SurfaceRecord> {
    const row = (await this.pool.query<SurfaceRow>(`SELECT ${COLUMNS} FROM surfaces s WHERE s.id = $1`, [assertId(surfaceId, what)])).rows[0];
    if (!row) throw notFound(what);
    const project = await this.projects.access(actor, row.project_id, action, shareToken, what, row.id);
    return toSurface(row, project.role);
  }

  /**
   * Surfaces of every project the caller may see (own, member, public, and the shared project of
   * a share token), newest first, with filters.
   */
  async gallery(actor: Actor, filter: GalleryFilter, args: PageRequest, shareToken?: string): Promise<Page<SurfaceRecord>> {
    const { limit, cursor, first } = pageWindow(args);
    const userId = actorUserId(actor) ?? null;
    const projectId = filter.projectId ? assertId(filter.projectId, "Project") : null;
    const modelId = filter.modelId ? assertId(filter.modelId, "Model") : null;
    const search = filter.search ? `%${filter.search.replace(/[%_\\]/g, (c) => `\\${c}`)}%` : null;
    const result = await this.pool.query<SurfaceRow & { owner_id: string; member_role: "viewer" | "editor" | null; visibility: string; share_token: string | null }>(
      `SELECT ${COLUMNS}, p.owner_id, p.visibility, p.share_token, m.role AS member_role
         FROM surfaces s
         JOIN projects p ON p.id = s.project_id
         LEFT JOIN project_members m ON m.project_id = p.id AND m.user_id = $1
        WHERE (p.owner_id = $1 OR m.user_id IS NOT NULL OR p.visibility = 'public' OR (p.visibility = 'link' AND p.share_token = $2))
          AND ($3::uuid IS NULL OR s.project_id = $3)
          AND ($4::uuid IS NULL OR s.model_id = $4 OR s.model_b_id = $4)
          AND ($5::text IS NULL OR s.kind = $5)
          AND ($6::text IS NULL OR $6 = ANY (s.tags))
          AND ($7::text IS NULL OR s.status = $7)
          AND ($8::text IS NULL OR s.name ILIKE $8)
          AND ($9::timestamptz IS NULL OR (s.created_at, s.id) < ($9, $10::uuid))
          AND ($12::boolean OR s.params->>'directionsFrom' IS NULL OR s.params->>'checkpointStep' IS NULL)
        ORDER BY s.created_at DESC, s.id DESC
        LIMIT $11`,
      [
        userId, shareToken ?? null, projectId, modelId, filter.kind ?? null, filter.tag?.toLowerCase() ?? null, filter.status ?? null, search,
        cursor?.createdAt ?? null, cursor?.id ?? null, limit, filter.frames ?? false,
      ],
    );
    const rows = result.rows.map((row) => {
      const role: Role =
        row.owner_id === userId ? "owner" : row.member_role ? row.member_role : row.visibility === "public" ? "public" : "link";
      return toSurface(row, role);
    });
    return toPage(rows, first);
  }

  /** Grid axes of a surface (y is [0] for 1D surfaces). */
  axes(surface: SurfaceRecord): { xs: Float64Array; ys: Float64Array } {
    const twoD = isPlanar(surface.kind);
    return { xs: axisValues(surface.params.x), ys: twoD && surface.params.y ? axisValues(surface.params.y) : new Float64Array([0]) };
  }

  /**
   * The values computed so far: the finished file for ready surfaces, else the finished tiles
   * (NaN where nothing is computed yet), one row-major grid per metric of the surface's kind
   * (loss and accuracy; or lambdaMax, lambdaMin and ratio for eigen-ratio maps).
   */
  async values(surface: SurfaceRecord): Promise<SurfaceValues> {
    const total = surface.pointsTotal;
    const metrics = metricsOf(surface.kind, surface.testDatasetId !== null);
    const fromFile = async () => {
      const bytes = await this.store.get(`${surface.storagePrefix}values.bin`);
      // Eigen-ratio maps made before per-point convergence hold three grids: steps and convergence unknown.
      const old = surface.kind === "eigen-ratio" && bytes?.length === total * 4 * OLD_CURVATURE_GRIDS;
      if (!bytes || (bytes.length !== total * 4 * metrics.length && !old)) throw new Error(`values file of surface ${surface.id} is missing or damaged`);
      const all = floatsOf(bytes);
      return Object.fromEntries(metrics.map((metric, m) => [metric, m * total < all.length ? all.slice(m * total, (m + 1) * total) : new Float32Array(total).fill(Number.NaN)])) as SurfaceValues;
    };
    if (surface.status === "ready" && total <= INLINE_POINTS) {
      // A ready surface's values file never changes: read it once, then from memory.
      const cached = this.readyValues.get(surface.id);
      if (cached) {
        this.readyValues.delete(surface.id);
        this.readyValues.set(surface.id, cached);
        return cached;
      }
      const loading = fromFile();
      this.readyValues.set(surface.id, loading);
      loading.catch(() => this.readyValues.delete(surface.id));
      // Keep the most recently used; a value is 8 to 12 bytes per point.
      while (this.readyValues.size > READY_VALUES_CACHED) this.readyValues.delete(this.readyValues.keys().next().value!);
      return loading;
    }
    if (surface.status === "ready") return fromFile();
    const grids = Object.fromEntries(metrics.map((metric) => [metric, new Float32Array(total).fill(Number.NaN)])) as SurfaceValues;
    const tiles = await this.pool.query<{ indices: number[] } & TileValueColumns>(
      `SELECT indices, ${TILE_VALUE_COLUMNS} FROM surface_tiles WHERE surface_id = $1 AND finished_at IS NOT NULL AND (loss IS NOT NULL OR curvature IS NOT NULL)`,
      [surface.id],
    );
    for (const tile of tiles.rows) {
      const values = tileValues(tile, tile.indices.length);
      for (const metric of metrics) {
        const v = values[metric];
        if (v) tile.indices.forEach((k, n) => (grids[metric]![k] = v[n]!));
      }
    }
    return grids;
  }

  /** A finished tile's values, for progress events (metrics of the surface's kind only). */
  async tile(surfaceId: string, tile: number): Promise<{ indices: number[]; values: Partial<Record<SurfaceMetric, number[]>> } | undefined> {
    const row = (
      await this.pool.query<{ indices: number[] } & TileValueColumns>(`SELECT indices, ${TILE_VALUE_COLUMNS} FROM surface_tiles WHERE surface_id = $1 AND tile = $2`, [surfaceId, tile])
    ).rows[0];
    if (!row || (!row.loss && !row.curvature)) return undefined;
    const values = tileValues(row, row.indices.length);
    return { indices: row.indices, values: Object.fromEntries(Object.entries(values).map(([metric, v]) => [metric, Array.from(v)])) };
  }

  /**
   * What an eigen-ratio map of `points` points would cost: Hessian-vector products (each two
   * gradients over the samples) and, when a speed was measured on this model (its last eigen-ratio
   * map's tiles, else its last curvature), about how many seconds one worker takes.
   */
  async eigenRatioCost(actor: Actor, input: { modelId: string; datasetId: string; points: number; lanczosSteps: number; samples: number | null }, shareToken?: string): Promise<EigenRatioCost> {
    const modelId = assertId(input.modelId, "Model");
    const project = (await this.pool.query<{ project_id: string }>(`SELECT project_id FROM models WHERE id = $1`, [modelId])).rows[0];
    if (!project) throw notFound("Model");
    await this.projects.access(actor, project.project_id, "read", shareToken, "Model");
    const datasetId = assertId(input.datasetId, "Dataset");
    const dataset = (await this.pool.query<{ rows: number }>(`SELECT rows FROM datasets WHERE id = $1 AND project_id = $2`, [datasetId, project.project_id])).rows[0];
    if (!dataset) throw notFound("Dataset");
    if (!Number.isInteger(input.points) || input.points < 1) throw badInput("points", "Points must be a positive whole number");
    if (!Number.isInteger(input.lanczosSteps) || input.lanczosSteps < MIN_MAP_LANCZOS_STEPS || input.lanczosSteps > MAX_MAP_LANCZOS_STEPS) {
      throw badInput("lanczosSteps", `Lanczos steps must be from ${MIN_MAP_LANCZOS_STEPS} to ${MAX_MAP_LANCZOS_STEPS}`);
    }
    const samples = Math.min(input.samples ?? dataset.rows, dataset.rows);
    const hvps = input.points * input.lanczosSteps;
    // Seconds per gradient per sample: an HVP is four gradients (Richardson; two in maps and
    // curvatures made before it), each in proportion to the samples.
    const fromMaps = (
      await this.pool.query<{ seconds: number | null; gradients: string | null; samples: string | null; mean_steps: number | null }>(
        `WITH last AS (SELECT s.id, s.params, s.points_total, s.statistics, ds.rows FROM surfaces s JOIN datasets ds ON ds.id = s.dataset_id
                        WHERE s.model_id = $1 AND s.kind = 'eigen-ratio' AND s.status = 'ready' ORDER BY s.finished_at DESC LIMIT 1)
         SELECT (SELECT sum(extract(epoch FROM t.finished_at - t.started_at)) FROM surface_tiles t WHERE t.surface_id = last.id)::float8 AS seconds,
                (CASE WHEN last.statistics->'lanczosSteps'->>'mean' IS NOT NULL
                      THEN 4 * last.points_total * (last.statistics->'lanczosSteps'->>'mean')::float8
                      ELSE 2 * last.points_total * (last.params->>'lanczosSteps')::int END)::text AS gradients,
                LEAST(COALESCE((last.params->>'samples')::int, last.rows), last.rows)::text AS samples,
                (last.statistics->'lanczosSteps'->>'mean')::float8 AS mean_steps
           FROM last`,
        [modelId],
      )
    ).rows[0];
    let perGradientSample: number | null = null;
    let basis: string | null = null;
    const expectedHvps = fromMaps?.mean_steps ? Math.round(input.points * Math.min(fromMaps.mean_steps, input.lanczosSteps)) : null;
    if (fromMaps?.seconds && fromMaps.gradients && fromMaps.samples) {
      perGradientSample = fromMaps.seconds / Number(fromMaps.gradients) / Number(fromMaps.samples);
      basis = "the speed measured on this model's last eigen-ratio map";
    } else {
      const curvature = (
        await this.pool.query<{ seconds: number | null; gradients: number; samples: number }>(
          `SELECT (c.result->>'seconds')::float8 AS seconds, COALESCE((c.result->>'gradients')::int, 2 * c.hvps_done) AS gradients, LEAST((c.options->>'samples')::int, ds.rows) AS samples
             FROM model_curvatures c JOIN datasets ds ON ds.id = c.dataset_id
            WHERE c.model_id = $1 AND c.status = 'ready' ORDER BY c.finished_at DESC LIMIT 1`,
          [modelId],
        )
      ).rows[0];
      if (curvature?.seconds && curvature.gradients > 0 && curvature.samples > 0) {
        perGradientSample = curvature.seconds / curvature.gradients / curvature.samples;
        basis = "the speed measured on this model's last curvature";
      }
    }
    const estimatedSeconds = perGradientSample === null ? null : 4 * (expectedHvps ?? hvps) * samples * perGradientSample;
    return { hvps, expectedHvps, samples, estimatedSeconds, basis };
  }

  async valuesUrl(surface: SurfaceRecord, expiresIn: number): Promise<string | null> {
    if (surface.status !== "ready") return null;
    return this.presigned(`${surface.storagePrefix}values.bin`, expiresIn, { fileName: `${surface.name}.f32`, contentType: "application/octet-stream" });
  }

  async thumbnailUrl(surface: SurfaceRecord, expiresIn: number): Promise<string | null> {
    if (surface.status !== "ready") return null;
    return this.presigned(`${surface.storagePrefix}thumbnail.png`, expiresIn, { fileName: `${surface.name}.png`, contentType: "image/png" });
  }

  /**
   * A presigned GET URL of a file of a ready surface (which never changes), reused while more than
   * half of its lifetime is left: signing costs more CPU than anything else in a gallery page.
   */
  private presigned(key: string, expiresIn: number, as: DownloadAs): Promise<string> {
    const id = `${key}|${as.fileName}|${as.contentType}|${expiresIn}`;
    const now = Date.now();
    const cached = this.signedUrls.get(id);
    if (cached && cached.reuseUntil > now) return cached.url;
    const url = this.store.presignGet(key, expiresIn, as);
    this.signedUrls.delete(id);
    this.signedUrls.set(id, { url, reuseUntil: now + (expiresIn * 1000) / 2 });
    url.catch(() => this.signedUrls.delete(id));
    while (this.signedUrls.size > SIGNED_URLS_CACHED) this.signedUrls.delete(this.signedUrls.keys().next().value!);
    return url;
  }

  /** Stops a queued or running surface; tiles in flight finish but are not recorded. */
  async cancel(actor: Actor, surfaceId: string): Promise<SurfaceRecord> {
    const surface = await this.get(actor, surfaceId, "write");
    const result = await this.pool.query<SurfaceRow>(
      `UPDATE surfaces s SET status = 'cancelled', finished_at = now() WHERE id = $1 AND status IN ('queued', 'running') RETURNING ${COLUMNS}`,
      [surface.id],
    );
    if (!result.rows[0]) throw badInput("id", `The surface is ${surface.status}; only queued or running surfaces can be cancelled`);
    await this.pool.query(`SELECT pg_notify('surface_progress', $1)`, [JSON.stringify({ surfaceId: surface.id, tile: null })]);
    return toSurface(result.rows[0], surface.role);
  }

  async delete(actor: Actor, surfaceId: string): Promise<string> {
    const surface = await this.get(actor, surfaceId, "write");
    await this.pool.query(`DELETE FROM surfaces WHERE id = $1`, [surface.id]);
    await this.store.deletePrefix(surface.storagePrefix);
    return surface.id;
  }

  /**
   * The landscape over training: one surface per checkpoint of the model of `surfaceId`, centred
   * on the checkpoint, with that surface's grid and directions; in step order.
   */
  async series(actor: Actor, surfaceId: string): Promise<SurfaceRecord[]> {
    const source = await this.get(actor, surfaceId, "write");
    if (source.kind !== "plane" && source.kind !== "line") throw badInput("surfaceId", "A series over training is made of random planes or lines");
    if (source.status !== "ready" && source.status !== "running") throw badInput("surfaceId", `The surface is ${source.status}; its directions are not ready`);
    const steps = (await this.pool.query<{ step: number }>(`SELECT step FROM checkpoints WHERE model_id = $1 ORDER BY step`, [source.modelId])).rows.map((r) => r.step);
    if (steps.length === 0) throw badInput("surfaceId", "The surface's model has no checkpoints");
    if (steps.length > 50) throw badInput("surfaceId", `The model has ${steps.length} checkpoints; a series takes at most 50`);
    const created: SurfaceRecord[] = [];
    for (const step of steps) {
      created.push(
        await this.create(actor, {
          projectId: source.projectId,
          name: `${source.name} at step ${step}`,
          kind: source.kind,
          modelId: source.modelId,
          datasetId: source.datasetId,
          params: { ...source.params, checkpointStep: step, directionsFrom: source.id },
          tags: [...new Set([...source.tags, "series"])],
        }),
      );
    }
    return created;
  }

  /**
   * The landscape over training that `surface` belongs to: every surface of its project that
   * shares the directions of the series' source (the surface the series was made from) and is
   * centred on a checkpoint, in step order. Empty when there is none. The caller's role on the
   * project was checked when `surface` was loaded, and the frames are in the same project.
   */
  async seriesFrames(surface: SurfaceRecord): Promise<SurfaceRecord[]> {
    // A link to one surface shows that surface alone, not its sibling frames.
    if (surface.role === "surface") return [];
    const source = surface.params.checkpointStep !== null && surface.params.directionsFrom ? surface.params.directionsFrom : surface.id;
    const rows = await this.pool.query<SurfaceRow>(
      `SELECT ${COLUMNS} FROM surfaces s
        WHERE s.project_id = $1 AND s.params->>'directionsFrom' = $2 AND s.params->>'checkpointStep' IS NOT NULL
        ORDER BY (s.params->>'checkpointStep')::int, s.created_at`,
      [surface.projectId, source],
    );
    return rows.rows.map((row) => toSurface(row, surface.role));
  }

  /** Several surfaces the caller may read (2 to MAX_COMPARED), in the order asked. */
  async many(actor: Actor, ids: string[], shareToken?: string): Promise<SurfaceRecord[]> {
    if (ids.length < 2 || ids.length > MAX_COMPARED) throw badInput("ids", `Compare two to ${MAX_COMPARED} surfaces`);
    if (new Set(ids).size !== ids.length) throw badInput("ids", "A surface appears twice");
    const surfaces: SurfaceRecord[] = [];
    for (const id of ids) surfaces.push(await this.get(actor, id, "read", shareToken));
    return surfaces;
  }
}

function defaultName(kind: SurfaceKind, params: SurfaceParams): string {
  const grid = params.y ? `${params.x.count}x${params.y.count}` : `${params.x.count}`;
  const label = { plane: "Random plane", line: "Random line", interpolation: "Interpolation", pca: "PCA plane", "eigen-ratio": "Eigen-ratio map" }[kind];
  return `${label} ${grid}`;
}

function describeParamsError(params: unknown): string {
  const result = surfaceParamsSchema.safeParse(params);
  if (result.success) return "";
  const issue = result.error.issues[0]!;
  return `params.${issue.path.join(".")}: ${issue.message}`;
}
