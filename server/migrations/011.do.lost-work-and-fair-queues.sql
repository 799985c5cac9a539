-- Lost work and fair queues.
--
-- A tile counts the starts that ended in an error it reported (failures): the other starts that
-- did not finish are starts whose worker died (out of memory, killed), which the sweeper counts
-- to fail a surface with a message its owner understands.
ALTER TABLE surface_tiles ADD COLUMN failures integer NOT NULL DEFAULT 0;
-- Where the tile stands in the fair queue: its owner's virtual finishing time (smaller first).
ALTER TABLE surface_tiles ADD COLUMN queue_tag bigint;
CREATE INDEX surface_tiles_pending ON surface_tiles (queue_tag) WHERE finished_at IS NULL;
-- Starts of a surface's preparation and of a training run whose worker died (a start that
-- reports an error gives its count back: the queue's retries handle errors).
ALTER TABLE surfaces ADD COLUMN prepare_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE training_runs ADD COLUMN attempts integer NOT NULL DEFAULT 0;

-- Fair share between owners (a user, or the demo): each owner's work is tagged with a virtual
-- finishing time that grows by the work's points times the owner's weight; workers take the
-- smallest tag first, so owners take turns whatever their backlogs.
CREATE TABLE queue_owners (
  owner    text PRIMARY KEY,
  last_tag bigint NOT NULL DEFAULT 0
);
