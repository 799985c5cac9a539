-- A surface may evaluate a held-out test set beside its training set, in the same job: each tile
-- keeps the test set's loss and accuracy next to the training set's until finalize writes them to
-- the values file after the training grids. Deleting the test set deletes the surfaces computed
-- on it, as deleting the training set does.
ALTER TABLE surfaces ADD COLUMN test_dataset_id uuid REFERENCES datasets ON DELETE CASCADE;
CREATE INDEX surfaces_test_dataset ON surfaces (test_dataset_id) WHERE test_dataset_id IS NOT NULL;
ALTER TABLE surface_tiles ADD COLUMN test_loss bytea, ADD COLUMN test_accuracy bytea;
