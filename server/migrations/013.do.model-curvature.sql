-- Curvature of the loss at a model (its Hessian over a dataset): top eigenvalues, lambda_min,
-- Hutchinson trace and the eigenvalue density, computed by a worker from Hessian-vector products.
CREATE TABLE model_curvatures (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  model_id       uuid NOT NULL REFERENCES models ON DELETE CASCADE,
  dataset_id     uuid NOT NULL REFERENCES datasets ON DELETE CASCADE,
  created_by     uuid REFERENCES users ON DELETE SET NULL,
  -- { samples, sampleSeed, topK, traceProbes, densityRuns, densitySteps, seed }, as validated.
  options        jsonb NOT NULL,
  status         text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'ready', 'failed')),
  hvps_done      integer NOT NULL DEFAULT 0,
  hvps_planned   integer NOT NULL DEFAULT 0,
  -- The engine's ModelCurvature (eigenvalues, trace, density, timings), when ready.
  result         jsonb,
  attempts       integer NOT NULL DEFAULT 0,
  error_code     text,
  error_message  text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  finished_at    timestamptz
);
CREATE INDEX model_curvatures_model ON model_curvatures (model_id, created_at DESC);
