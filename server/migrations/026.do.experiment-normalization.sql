-- Experiments of what filter normalization fixes (small vs large batch, without and with weight
-- decay; slices and planes with and without filter normalization). The kind is added to whatever
-- list the check holds, so migrations adding other kinds beside this one need no order.
DO $$
DECLARE
  kinds text[];
BEGIN
  SELECT array_agg(m[1]) INTO kinds
    FROM regexp_matches(pg_get_constraintdef((SELECT oid FROM pg_constraint WHERE conname = 'experiments_kind_check' AND conrelid = 'experiments'::regclass)), '''([^'']+)''', 'g') AS m;
  IF NOT 'normalization' = ANY (kinds) THEN
    kinds := array_append(kinds, 'normalization');
  END IF;
  ALTER TABLE experiments DROP CONSTRAINT experiments_kind_check;
  EXECUTE format('ALTER TABLE experiments ADD CONSTRAINT experiments_kind_check CHECK (kind IN (%s))', (SELECT string_agg(quote_literal(k), ', ') FROM unnest(kinds) AS k));
END $$;
