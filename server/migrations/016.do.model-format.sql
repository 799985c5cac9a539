-- A model's format says what its files are: 'tfjs-layers' (model.json and weight shards) or 'onnx'
-- (model.onnx). ONNX models stored before this migration were recorded with the column's default.
UPDATE models SET format = 'onnx' WHERE files ? 'model.onnx' AND NOT files ? 'model.json';
ALTER TABLE models ADD CONSTRAINT models_format_check CHECK (format IN ('tfjs-layers', 'onnx'));
