-- What a surface keeps in object storage (values, thumbnail, directions), counted against the
-- quota of whoever created it. Set when the surface is finalized.
ALTER TABLE surfaces ADD COLUMN stored_bytes bigint NOT NULL DEFAULT 0;
