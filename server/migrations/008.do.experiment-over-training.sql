-- A fifth experiment: the landscape over training (one run, a plane around the trained model,
-- and the same plane around each of its checkpoints).
ALTER TABLE experiments DROP CONSTRAINT experiments_kind_check;
ALTER TABLE experiments ADD CONSTRAINT experiments_kind_check CHECK (kind IN ('skip', 'batch', 'weight-decay', 'trajectory', 'over-training'));
