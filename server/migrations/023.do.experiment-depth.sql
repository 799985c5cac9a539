-- Experiments of depth with and without shortcuts (the zoo's ResNets and their plain twins).
ALTER TABLE experiments DROP CONSTRAINT experiments_kind_check;
ALTER TABLE experiments ADD CONSTRAINT experiments_kind_check CHECK (kind IN ('skip', 'batch', 'weight-decay', 'trajectory', 'over-training', 'depth'));
