-- Experiments: a comparison from the paper run as one unit (skip connections or not, small or
-- large batches, weight decay or not, a training trajectory). The experiment trains its runs,
-- then computes matching surfaces (same grid, same direction seed) of the trained models.
CREATE TABLE experiments (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id  uuid NOT NULL REFERENCES projects ON DELETE CASCADE,
  created_by  uuid REFERENCES users ON DELETE SET NULL,
  kind        text NOT NULL CHECK (kind IN ('skip', 'batch', 'weight-decay', 'trajectory')),
  name        text NOT NULL,
  caption     text NOT NULL,
  dataset_id  uuid NOT NULL REFERENCES datasets ON DELETE CASCADE,
  -- Grid and sample count of the surfaces to compute once training is done.
  surface_params jsonb NOT NULL,
  surface_ids uuid[] NOT NULL DEFAULT '{}',
  failed      boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX experiments_project ON experiments (project_id, created_at DESC);

ALTER TABLE training_runs ADD COLUMN experiment_id uuid REFERENCES experiments ON DELETE CASCADE;
-- Which side of the comparison a run is ("with skips", "batch 512"), shown as its label.
ALTER TABLE training_runs ADD COLUMN role text;
