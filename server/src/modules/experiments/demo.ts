/**
 * The demo project: on a new installation, `start` creates a public, read-only project owned by a
 * system account that cannot sign in, and queues the paper's comparisons on MNIST digits, so new
 * users see real landscapes filling in without preparing anything.
 */
import type { Pool } from "../../db/pool.js";
import type { DatasetsService } from "../datasets/datasets.service.js";
import type { ProjectsService } from "../projects/projects.service.js";
import type { ExperimentsService } from "./experiments.service.js";
import { DEMO_EMAIL, DEMO_PROJECT_NAME } from "../../domain/demo.js";
import type { Logger } from "../../logger.js";
import type { Actor } from "../accounts/actor.js";
import type { ExperimentKind, ExperimentSize } from "./definitions.js";

/** In the order they are queued: the quick MLP comparisons first, then the ResNet sweeps. */
const KINDS: ExperimentKind[] = ["skip", "batch", "trajectory", "over-training", "weight-decay", "connectivity", "normalization", "depth", "width"];

/** Creates the demo project and queues its experiments, unless this installation already has one. */
/** The services the demo project is made with. */
export interface DemoServices {
  pool: Pool;
  projects: ProjectsService;
  datasets: DatasetsService;
  experiments: ExperimentsService;
}

export async function ensureDemoProject(services: DemoServices, size: ExperimentSize, log: Logger): Promise<string | null> {
  const { pool } = services;
  // The system account has no usable password: "!" is not an argon2 hash, so no sign-in succeeds.
  const user = (
    await pool.query<{ id: string; email: string; name: string; created_at: Date }>(
      `INSERT INTO users (email, name, password_hash) VALUES ($1, 'Loss Atlas demo', '!')
       ON CONFLICT (email) DO UPDATE SET email = excluded.email RETURNING id, email, name, created_at`,
      [DEMO_EMAIL],
    )
  ).rows[0]!;
  const existing = await pool.query(`SELECT 1 FROM projects WHERE owner_id = $1`, [user.id]);
  if (existing.rowCount) return null;
  const actor: Actor = { kind: "user", user: { id: user.id, email: user.email, name: user.name, createdAt: user.created_at }, via: "session" };
  const project = await services.projects.create(actor, {
    name: DEMO_PROJECT_NAME,
    description: "Li et al. (2018) reproduced on MNIST digits: ResNets of several depths and widths with and without shortcuts, skip connections in an MLP, what filter normalization fixes (small vs large batch, weight decay), an optimizer's path on its PCA plane, and the landscape over training; and a curve connecting two minima (Garipov et al. 2018). Read-only for everyone.",
  });
  await services.projects.setVisibility(actor, project.id, "public");
  const mnist = await services.datasets.addBuiltin(actor, project.id, "mnist");
  for (const kind of KINDS) await services.experiments.start(actor, { projectId: project.id, kind, datasetId: mnist.id, size });
  log.info({ projectId: project.id, size }, "demo project queued");
  return project.id;
}
