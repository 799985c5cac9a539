-- The installation: one row, written on the first start, so every process and every restart can
-- tell it is looking at the same Loss Atlas data.
CREATE TABLE installation (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  id         uuid NOT NULL DEFAULT gen_random_uuid(),
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO installation DEFAULT VALUES;

-- Compute workers: each registers at start, then sends heartbeats. A worker whose heartbeat is
-- older than the configured timeout counts as gone and its work is handed to others.
CREATE TABLE workers (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hostname          text NOT NULL,
  pid               integer NOT NULL,
  backend           text NOT NULL CHECK (backend IN ('tensorflow-gpu', 'tensorflow', 'wasm', 'cpu')),
  device            text NOT NULL,
  gpu               boolean NOT NULL DEFAULT false,
  version           text NOT NULL,
  started_at        timestamptz NOT NULL DEFAULT now(),
  last_heartbeat_at timestamptz NOT NULL DEFAULT now(),
  stopped_at        timestamptz
);
CREATE INDEX workers_live ON workers (last_heartbeat_at DESC) WHERE stopped_at IS NULL;
