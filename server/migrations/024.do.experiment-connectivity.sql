-- Mode connectivity as an experiment: two runs of one network from different seeds, then a curve
-- between them instead of surfaces. curve_id names that curve once the runs are trained; like
-- surface_ids it holds no foreign key, so deleting the curve leaves the experiment (which then
-- shows it as gone) rather than queueing a new one.
ALTER TABLE experiments DROP CONSTRAINT experiments_kind_check;
ALTER TABLE experiments ADD CONSTRAINT experiments_kind_check CHECK (kind IN ('skip', 'batch', 'weight-decay', 'trajectory', 'over-training', 'depth', 'connectivity'));
ALTER TABLE experiments ADD COLUMN curve_id uuid;
