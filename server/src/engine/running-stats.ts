/**
 * What an interpolation (or a plane through three models) does with BatchNorm's running mean and
 * variance. Declared here alone, with no TF.js import, so the API's parameter schema and GraphQL
 * enum derive from this one list.
 *
 * - move (default): every state of the network moves linearly from model A to model B, running
 *   statistics included, as the authors' code does with `--dir_type states`; at t = 0 the network
 *   is model A and at t = 1 model B, exactly.
 * - hold-a: only the weights move (`--dir_type weights`); the running statistics stay model A's all
 *   along, so t = 1 is model B's weights with model A's statistics, not model B.
 * - hold-b: the same, with model B's statistics all along; t = 0 is not model A.
 */
export const RUNNING_STATS = ["move", "hold-a", "hold-b"] as const;
export type RunningStats = (typeof RUNNING_STATS)[number];
export const DEFAULT_RUNNING_STATS: RunningStats = "move";
