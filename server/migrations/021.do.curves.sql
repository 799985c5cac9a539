-- Curves between two models of one architecture (mode connectivity, Garipov et al. 2018): the bends
-- are trained by a worker, then loss and accuracy are evaluated along the curve and along the
-- straight line. The bends of each checkpoint are stored under storage_prefix, as a model's files.
CREATE TABLE curves (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id      uuid NOT NULL REFERENCES projects ON DELETE CASCADE,
  created_by      uuid REFERENCES users ON DELETE SET NULL,
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  model_a_id      uuid NOT NULL REFERENCES models ON DELETE CASCADE,
  model_b_id      uuid NOT NULL REFERENCES models ON DELETE CASCADE,
  dataset_id      uuid NOT NULL REFERENCES datasets ON DELETE CASCADE,
  test_dataset_id uuid REFERENCES datasets ON DELETE SET NULL,
  -- { kind, bends, epochs, optimizer, learningRate, weightDecay, batchSize, seed, points, samples }, as validated.
  options         jsonb NOT NULL,
  status          text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'ready', 'failed', 'cancelled')),
  phase           text CHECK (phase IN ('training', 'evaluating')),
  steps_done      integer NOT NULL DEFAULT 0,
  steps_total     integer,
  points_done     integer NOT NULL DEFAULT 0,
  points_total    integer,
  -- [{ step, meanLoss, prefix, files }], one per stored checkpoint of the bends.
  checkpoints     jsonb NOT NULL DEFAULT '[]',
  -- The engine's CurveEvaluation (t, values along the curve and the line, barriers), when ready.
  result          jsonb,
  storage_prefix  text NOT NULL,
  attempts        integer NOT NULL DEFAULT 0,
  error_code      text,
  error_message   text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  started_at      timestamptz,
  finished_at     timestamptz,
  CHECK (model_a_id <> model_b_id)
);
CREATE INDEX curves_project ON curves (project_id, created_at DESC);
