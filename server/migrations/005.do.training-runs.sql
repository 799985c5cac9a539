-- Training runs: a zoo model trained by a worker on a project's dataset. Each checkpoint becomes a
-- checkpoint of the resulting model, so its trajectory can be drawn on a PCA plane.
CREATE TABLE training_runs (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id      uuid NOT NULL REFERENCES projects ON DELETE CASCADE,
  created_by      uuid REFERENCES users ON DELETE SET NULL,
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  dataset_id      uuid NOT NULL REFERENCES datasets ON DELETE CASCADE,
  test_dataset_id uuid REFERENCES datasets ON DELETE SET NULL,
  -- The zoo architecture and the optimizer settings, as given.
  architecture    jsonb NOT NULL,
  options         jsonb NOT NULL,
  status          text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'ready', 'failed', 'cancelled')),
  steps_done      integer NOT NULL DEFAULT 0,
  steps_total     integer,
  -- [{ step, epoch, trainLoss, trainAccuracy, testLoss, testAccuracy }], one per checkpoint.
  curve           jsonb NOT NULL DEFAULT '[]',
  model_id        uuid REFERENCES models ON DELETE SET NULL,
  storage_prefix  text NOT NULL,
  error_code      text,
  error_message   text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  started_at      timestamptz,
  finished_at     timestamptz
);
CREATE INDEX training_runs_project ON training_runs (project_id, created_at DESC);
