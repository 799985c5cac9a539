/**
 * The cost of a surface before it starts, for the new-surface form: its points' FLOPs by the pure
 * estimate in domain/point-cost.ts and, at the FLOP rate the workers reached lately (the fair
 * queue's measure, which places unprepared surfaces by the same estimate), its seconds.
 */
import type { Pool } from "../../db/pool.js";
import { badInput, notFound } from "../../domain/errors.js";
import { recentFlopRate } from "../../domain/fair-queue.js";
import { assertId } from "../../domain/ids.js";
import { evaluatedSamples, pointFlops, pointSecondsAt, sampleFlops } from "../../domain/point-cost.js";
import type { Actor } from "../accounts/actor.js";
import type { ProjectsService } from "../projects/projects.service.js";

export interface SurfaceCostRecord {
  /** Samples each point evaluates, the test set's included. */
  samples: number;
  testSamples: number;
  flopsPerPoint: number;
  totalFlops: number;
  secondsPerPoint: number | null;
  estimatedSeconds: number | null;
}

export class SurfaceCostService {
  constructor(
    private readonly pool: Pool,
    private readonly projects: ProjectsService,
  ) {}

  /**
   * What `points` points of a model over a dataset of its project (and a test set, evaluated at
   * every point too) cost; a caller who may not read the model gets NOT_FOUND.
   */
  async estimate(actor: Actor, input: { modelId: string; datasetId: string; points: number; samples: number | null; testDatasetId?: string | null }, shareToken?: string): Promise<SurfaceCostRecord> {
    const modelId = assertId(input.modelId, "Model");
    const model = (
      await this.pool.query<{ project_id: string; parameter_count: string; flops_per_sample: number | null }>(`SELECT project_id, parameter_count, flops_per_sample FROM models WHERE id = $1`, [modelId])
    ).rows[0];
    if (!model) throw notFound("Model");
    await this.projects.access(actor, model.project_id, "read", shareToken, "Model");
    const datasetId = assertId(input.datasetId, "Dataset");
    const dataset = (await this.pool.query<{ rows: number }>(`SELECT rows FROM datasets WHERE id = $1 AND project_id = $2`, [datasetId, model.project_id])).rows[0];
    if (!dataset) throw notFound("Dataset");
    if (!Number.isInteger(input.points) || input.points < 1 || input.points > 10_000_000) throw badInput("points", "Points must be a whole number from 1 to 10000000");
    if (input.samples !== null && (!Number.isInteger(input.samples) || input.samples < 1)) throw badInput("samples", "Samples must be a positive whole number");
    let testSamples = 0;
    if (input.testDatasetId) {
      const test = (await this.pool.query<{ rows: number }>(`SELECT rows FROM datasets WHERE id = $1 AND project_id = $2`, [assertId(input.testDatasetId, "Dataset"), model.project_id])).rows[0];
      if (!test) throw notFound("Dataset");
      testSamples = evaluatedSamples(test.rows, input.samples);
    }
    const samples = evaluatedSamples(dataset.rows, input.samples) + testSamples;
    const flopsPerPoint = pointFlops(sampleFlops({ flopsPerSample: model.flops_per_sample, parameterCount: Number(model.parameter_count) }), samples);
    const secondsPerPoint = pointSecondsAt(flopsPerPoint, await recentFlopRate(this.pool));
    return {
      samples,
      testSamples,
      flopsPerPoint,
      totalFlops: flopsPerPoint * input.points,
      secondsPerPoint,
      estimatedSeconds: secondsPerPoint === null ? null : secondsPerPoint * input.points,
    };
  }
}
