-- Surfaces: a grid of loss and accuracy values around a model. A surface is cut into tiles (runs
-- of grid points in coarse-to-fine order); each tile is one queue job any worker can take, and
-- its values are kept here until the surface is assembled into one float32 file in storage.
CREATE TABLE surfaces (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id     uuid NOT NULL REFERENCES projects ON DELETE CASCADE,
  created_by     uuid REFERENCES users ON DELETE SET NULL,
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind           text NOT NULL CHECK (kind IN ('plane', 'line', 'interpolation', 'pca')),
  model_id       uuid NOT NULL REFERENCES models ON DELETE CASCADE,
  model_b_id     uuid REFERENCES models ON DELETE CASCADE,
  dataset_id     uuid NOT NULL REFERENCES datasets ON DELETE CASCADE,
  -- Grid, directions, samples, loss, GPU wish: everything needed to recompute it.
  params         jsonb NOT NULL,
  tags           text[] NOT NULL DEFAULT '{}',
  status         text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'ready', 'failed', 'cancelled')),
  points_done    integer NOT NULL DEFAULT 0,
  points_total   integer NOT NULL,
  tiles_total    integer,
  error_code     text,
  error_message  text,
  storage_prefix text NOT NULL,
  -- Filled by the worker: the directions' cosine, PCA variance and path, model positions.
  geometry       jsonb,
  statistics     jsonb,
  critical_points jsonb,
  backend        text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  started_at     timestamptz,
  finished_at    timestamptz
);
CREATE INDEX surfaces_project ON surfaces (project_id, created_at DESC);
CREATE INDEX surfaces_gallery ON surfaces (created_at DESC, id DESC);
CREATE INDEX surfaces_tags ON surfaces USING gin (tags);

CREATE TABLE surface_tiles (
  surface_id  uuid NOT NULL REFERENCES surfaces ON DELETE CASCADE,
  tile        integer NOT NULL,
  level       integer NOT NULL,
  -- Flat grid indices (j * nx + i) of the tile's points.
  indices     integer[] NOT NULL,
  worker_id   uuid,
  attempts    integer NOT NULL DEFAULT 0,
  started_at  timestamptz,
  finished_at timestamptz,
  -- float32 little-endian, one value per index.
  loss        bytea,
  accuracy    bytea,
  PRIMARY KEY (surface_id, tile)
);
CREATE INDEX surface_tiles_running ON surface_tiles (worker_id) WHERE finished_at IS NULL AND worker_id IS NOT NULL;

-- Notes pinned on a surface at (x, y) in its coordinates.
CREATE TABLE annotations (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  surface_id uuid NOT NULL REFERENCES surfaces ON DELETE CASCADE,
  author_id  uuid REFERENCES users ON DELETE SET NULL,
  x          double precision NOT NULL,
  y          double precision NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('minimum', 'saddle', 'note')),
  label      text NOT NULL CHECK (length(label) BETWEEN 1 AND 120),
  body       text NOT NULL DEFAULT '' CHECK (length(body) <= 5000),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX annotations_surface ON annotations (surface_id, created_at);
