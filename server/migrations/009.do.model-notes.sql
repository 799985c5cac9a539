-- What loading a model's files changed or assumed (weights stored as float16 or quantized to
-- uint8/uint16 and dequantized, dtype policies evaluated in float32), shown with its summary.
ALTER TABLE models ADD COLUMN notes jsonb NOT NULL DEFAULT '[]'::jsonb;
