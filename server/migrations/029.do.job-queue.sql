-- The job queue's own tables (server/src/queue/), in place of pg-boss's `pgboss` schema.
--
-- Each queue's options, written by the API at start (ensureQueues) and copied onto every job sent.
CREATE TABLE queues (
  name              text PRIMARY KEY,
  -- Runs after the first that a failed job gets (a job runs at most retry_limit + 1 times).
  retry_limit       integer NOT NULL DEFAULT 2 CHECK (retry_limit >= 0),
  -- Seconds between a failure and the next run.
  retry_delay       integer NOT NULL DEFAULT 0 CHECK (retry_delay >= 0),
  -- Seconds a run may take before it is failed (and retried).
  expire_seconds    integer NOT NULL DEFAULT 900 CHECK (expire_seconds > 0),
  -- Seconds without a heartbeat after which a run's worker counts as dead; null: no heartbeat.
  heartbeat_seconds integer CHECK (heartbeat_seconds > 0),
  created_on        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE queue_jobs (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Insertion order, to break ties between jobs sent in one transaction.
  seq               bigint GENERATED ALWAYS AS IDENTITY,
  name              text NOT NULL REFERENCES queues ON DELETE RESTRICT,
  data              jsonb NOT NULL DEFAULT '{}',
  state             text NOT NULL DEFAULT 'created'
                    CHECK (state IN ('created', 'retry', 'active', 'completed', 'failed', 'cancelled')),
  -- Higher first; then the oldest first.
  priority          integer NOT NULL DEFAULT 0,
  singleton_key     text,
  retry_limit       integer NOT NULL,
  -- Runs started before this one: 0 on the first run, retry_limit on the last.
  retry_count       integer NOT NULL DEFAULT 0,
  retry_delay       integer NOT NULL,
  expire_seconds    integer NOT NULL,
  heartbeat_seconds integer,
  start_after       timestamptz NOT NULL DEFAULT now(),
  created_on        timestamptz NOT NULL DEFAULT now(),
  started_on        timestamptz,
  heartbeat_on      timestamptz,
  completed_on      timestamptz,
  output            jsonb
);
-- What a worker takes next: its queue's waiting jobs in priority order.
CREATE INDEX queue_jobs_next ON queue_jobs (name, priority DESC, created_on, seq) WHERE state IN ('created', 'retry');
-- Runs whose worker may have died (maintenance looks at these every few seconds).
CREATE INDEX queue_jobs_active ON queue_jobs (heartbeat_on) WHERE state = 'active';
-- A second job with the same key while one is waiting or running is not queued.
CREATE UNIQUE INDEX queue_jobs_singleton ON queue_jobs (name, singleton_key) WHERE singleton_key IS NOT NULL AND state IN ('created', 'retry', 'active');
-- Finished jobs, deleted by maintenance after a while.
CREATE INDEX queue_jobs_finished ON queue_jobs (completed_on) WHERE state IN ('completed', 'failed', 'cancelled');
-- The live jobs of a queue (the sweeper asks whether a piece of work has one).
CREATE INDEX queue_jobs_live ON queue_jobs (name) WHERE state IN ('created', 'retry', 'active');

-- An installation that ran on pg-boss keeps its waiting and running jobs: they wait again here (a
-- running one's worker is on the old queue, so it runs again), and the old schema goes.
DO $$
BEGIN
  IF to_regclass('pgboss.job') IS NOT NULL THEN
    INSERT INTO queues (name, retry_limit, retry_delay, expire_seconds, heartbeat_seconds)
      SELECT DISTINCT name, 5, 1, 1800, 10 FROM pgboss.job WHERE state::text IN ('created', 'retry', 'active')
      ON CONFLICT (name) DO NOTHING;
    INSERT INTO queue_jobs (id, name, data, state, priority, singleton_key, retry_limit, retry_count, retry_delay, expire_seconds, heartbeat_seconds, start_after, created_on)
      SELECT id, name, coalesce(data, '{}'::jsonb), 'created', priority, singleton_key, 5, 0, 1, 1800, 10, now(), created_on
        FROM pgboss.job WHERE state::text IN ('created', 'retry', 'active')
      ON CONFLICT DO NOTHING;
  END IF;
END
$$;
DROP SCHEMA IF EXISTS pgboss CASCADE;
