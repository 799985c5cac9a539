/**
 * What fields cost, declared on the schema with type-graphql's `@Field({ complexity })` and read
 * by graphql-query-complexity (see limits.ts). A field without a declaration costs 1 plus what it
 * contains. A number here is the field's own cost, added to what it contains; a function computes
 * the whole cost from the field's arguments and the cost of its selection (`childComplexity`).
 */
import type { ComplexityEstimator } from "graphql-query-complexity";

/** A page holds `first` items when the caller gives no `first` (the schema's default too). */
export const DEFAULT_PAGE = 20;

/**
 * A paginated list (`first`, 1-100): what each item selects, `first` times. So
 * `projects(first: 100) { nodes { members(first: 100) { ... } } }` costs about 100 * 100 per
 * member field.
 */
export const pageComplexity: ComplexityEstimator = ({ args, childComplexity }) => {
  const first = typeof args.first === "number" ? args.first : DEFAULT_PAGE;
  return 1 + Math.max(1, first) * childComplexity;
};

/**
 * A list that is bounded but not paginated: what each item selects, `bound` times, so nesting such
 * lists cannot multiply work unseen.
 */
export function boundedListComplexity(bound: number): ComplexityEstimator {
  return ({ childComplexity }) => 1 + bound * childComplexity;
}

/** Surface.series: one frame per checkpoint, at most 50 (surfaces.service refuses more). */
export const SERIES_MAX_FRAMES = 50;

/**
 * A grid of values inline (up to 201x201 numbers). The estimate only keeps a query from asking for
 * many grids at once; each grid's real size is charged again against the request's budget of grid
 * values before it is loaded (`spendValues`).
 */
export const GRID_VALUES_COMPLEXITY = 1000;

/** Two to four grids brought onto one value range. */
export const COMPARISON_COMPLEXITY = 100;

/** A signed, short-lived URL. */
export const SIGNED_URL_COMPLEXITY = 5;
