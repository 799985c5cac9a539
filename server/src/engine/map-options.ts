/**
 * Defaults of eigen-ratio maps, in a module of their own with no TF.js import, so the API's
 * parameter schema takes them from the engine without loading it.
 */

/**
 * Most Lanczos steps per point of an eigen-ratio map (default); each is one HVP. Measured on the
 * float64 fixtures (an MLP with BatchNorm and a CNN, README "Curvature"), points met the default
 * tolerance in 20 to 61 steps (the MLP's lambda_min sits at the edge of a cluster and converges
 * last); 80 covers them with room, and a point that needs more is marked unconverged rather than
 * run on. The old fixed 10 steps left |lambda_min| 10-37% short with nothing to show it.
 */
export const MAP_LANCZOS_STEPS = 80;

/**
 * Default tolerance of a map point (mapPointConverged): 1e-2, so |lambda_min / lambda_max| is
 * within about 2e-2 relative of its converged value (2e-4 absolute where it is below 1e-2).
 */
export const MAP_TOLERANCE = 1e-2;
