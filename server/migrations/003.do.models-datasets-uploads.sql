-- Uploads go straight from the browser or script to object storage under server-chosen keys; an
-- upload row remembers what was promised (names, sizes) until it is completed and validated.
CREATE TABLE uploads (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id   uuid NOT NULL REFERENCES projects ON DELETE CASCADE,
  user_id      uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('model', 'dataset', 'checkpoint')),
  name         text NOT NULL,
  -- For checkpoints: the model and training step they belong to.
  model_id     uuid,
  step         integer,
  -- For datasets: the CSV label column, when not the last.
  label        text,
  -- [{ name, key, size, contentType }]
  files        jsonb NOT NULL,
  total_bytes  bigint NOT NULL CHECK (total_bytes >= 0),
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'validating', 'completed', 'failed')),
  error_code   text,
  error_message text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL
);
CREATE INDEX uploads_user_pending ON uploads (user_id) WHERE status = 'pending';

CREATE TABLE models (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id      uuid NOT NULL REFERENCES projects ON DELETE CASCADE,
  created_by      uuid REFERENCES users ON DELETE SET NULL,
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  format          text NOT NULL DEFAULT 'tfjs-layers',
  -- [{ name, className, outputShape, params }]
  layers          jsonb NOT NULL,
  parameter_count bigint NOT NULL,
  input_shape     jsonb NOT NULL,
  output_shape    jsonb NOT NULL,
  loss            text,
  -- Parameter shapes in weight order: checkpoints and directions must match it.
  signature       text NOT NULL,
  storage_prefix  text NOT NULL,
  files           jsonb NOT NULL,
  total_bytes     bigint NOT NULL,
  sha256          text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX models_project ON models (project_id, created_at DESC);

CREATE TABLE checkpoints (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  model_id       uuid NOT NULL REFERENCES models ON DELETE CASCADE,
  step           integer NOT NULL CHECK (step >= 0),
  storage_prefix text NOT NULL,
  files          jsonb NOT NULL,
  total_bytes    bigint NOT NULL,
  sha256         text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (model_id, step)
);

CREATE TABLE datasets (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id     uuid NOT NULL REFERENCES projects ON DELETE CASCADE,
  created_by     uuid REFERENCES users ON DELETE SET NULL,
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  format         text NOT NULL CHECK (format IN ('npy', 'csv', 'builtin')),
  rows           integer NOT NULL,
  input_shape    jsonb NOT NULL,
  target_shape   jsonb NOT NULL,
  classes        integer,
  class_names    jsonb,
  -- CSV: the label column chosen at upload (null: the last column).
  label          text,
  storage_prefix text,
  files          jsonb NOT NULL,
  total_bytes    bigint NOT NULL,
  sha256         text,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX datasets_project ON datasets (project_id, created_at DESC);
