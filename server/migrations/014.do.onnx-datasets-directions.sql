-- Image datasets stored channels-last (N, H, W, C) for models that read images channels-first
-- (ONNX models from PyTorch read NCHW by default); chosen when the dataset is uploaded.
ALTER TABLE uploads ADD COLUMN channels_last boolean NOT NULL DEFAULT false;
ALTER TABLE datasets ADD COLUMN channels_last boolean NOT NULL DEFAULT false;

-- Directions uploaded for a model (an ONNX file of the model's graph holding a direction, as
-- PyTorch exports a copy of the model whose parameters hold it), for planes along them.
ALTER TABLE uploads DROP CONSTRAINT uploads_kind_check;
ALTER TABLE uploads ADD CONSTRAINT uploads_kind_check CHECK (kind IN ('model', 'dataset', 'checkpoint', 'direction'));
CREATE TABLE model_directions (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  model_id       uuid NOT NULL REFERENCES models ON DELETE CASCADE,
  name           text NOT NULL,
  storage_prefix text NOT NULL,
  files          jsonb NOT NULL,
  total_bytes    bigint NOT NULL,
  sha256         text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX model_directions_model ON model_directions (model_id, created_at);
