-- Notes on a curve's plane (the plane through A, B and theta), beside notes on surfaces:
-- each note belongs to exactly one surface or one curve, and goes with it.
ALTER TABLE annotations ALTER COLUMN surface_id DROP NOT NULL;
ALTER TABLE annotations ADD COLUMN curve_id uuid REFERENCES curves ON DELETE CASCADE;
ALTER TABLE annotations ADD CONSTRAINT annotations_one_owner CHECK ((surface_id IS NULL) <> (curve_id IS NULL));
CREATE INDEX annotations_curve ON annotations (curve_id, created_at) WHERE curve_id IS NOT NULL;
