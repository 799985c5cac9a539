-- Experiments of width with and without shortcuts (the zoo's ResNets at several widths).
ALTER TABLE experiments DROP CONSTRAINT experiments_kind_check;
ALTER TABLE experiments ADD CONSTRAINT experiments_kind_check CHECK (kind IN ('skip', 'batch', 'weight-decay', 'trajectory', 'over-training', 'depth', 'width'));
