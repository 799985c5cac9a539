/**
 * The engine's face without TF.js: what the API process (which never computes) may use. The
 * options' vocabularies and ranges, the grid's axes, and critical points with their persistence
 * filter are plain arithmetic on arrays. A dependency rule (.dependency-cruiser.cjs) keeps every
 * module this one reaches free of `@tensorflow/*`; engine/index.ts re-exports all of it for the
 * workers.
 */
export * from "./options.js";
export { parseAxis, axisValues, coarseToFine, type Axis } from "./grid.js";
export {
  findCriticalPoints, basinAround, filterByPersistence, defaultMinPersistence, summarizeValues,
  type CriticalPoint, type Basin, type CriticalPointOptions, type ValueSummary,
} from "./critical-points.js";
export { curveCoefficients, initialBends, pointOnCurve, curveTs, barrier } from "./curve-math.js";
