/**
 * The demo's system account: it owns the public demo project (modules/experiments/demo.ts creates
 * it) and, in the fair queue, counts as the lowest-priority owner. Declared here so the API and the
 * workers name it alike.
 */

/** The system account's email; ".invalid" can never receive mail, and its password hash allows no sign-in. */
export const DEMO_EMAIL = "demo@lossatlas.invalid";
/** The demo project's name. */
export const DEMO_PROJECT_NAME = "Loss Atlas demo";
