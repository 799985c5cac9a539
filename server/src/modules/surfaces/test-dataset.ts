/**
 * The held-out test set a new surface may evaluate beside its training set: a dataset of the same
 * project (so the caller's role on it is the one checked for the training set), with samples of
 * the same shape and the same classes.
 */
import type { Pool } from "../../db/pool.js";
import { badInput, notFound } from "../../domain/errors.js";
import { assertId } from "../../domain/ids.js";
import type { SurfaceKind } from "../../domain/surface-params.js";

/** What the check compares: a dataset's sample shape and classes (null for regression targets). */
export interface DatasetShape {
  input_shape: number[];
  classes: number | null;
}

/**
 * The test set's id, checked against the training set's shape and classes; null when none is
 * given. Throws NOT_FOUND for a dataset outside the project, BAD_USER_INPUT on `testDatasetId`
 * otherwise.
 */
export async function checkTestDataset(
  pool: Pool,
  projectId: string,
  kind: SurfaceKind,
  train: { id: string } & DatasetShape,
  testDatasetId: string | null | undefined,
): Promise<string | null> {
  if (testDatasetId === null || testDatasetId === undefined || testDatasetId === "") return null;
  if (kind === "eigen-ratio") throw badInput("testDatasetId", "An eigen-ratio map is computed on one dataset; only loss surfaces take test data");
  const id = assertId(testDatasetId, "Dataset");
  if (id === train.id) throw badInput("testDatasetId", "The test data must be another dataset than the training data");
  const test = (await pool.query<DatasetShape>(`SELECT input_shape, classes FROM datasets WHERE id = $1 AND project_id = $2`, [id, projectId])).rows[0];
  if (!test) throw notFound("Dataset");
  if (test.input_shape.join("x") !== train.input_shape.join("x")) {
    throw badInput("testDatasetId", `The test data's samples have shape [${test.input_shape.join(", ")}] but the training data's are [${train.input_shape.join(", ")}]`);
  }
  if (test.classes !== train.classes) {
    const classes = (c: number | null) => (c === null ? "no class labels" : `${c} classes`);
    throw badInput("testDatasetId", `The test data has ${classes(test.classes)} but the training data has ${classes(train.classes)}`);
  }
  return id;
}
