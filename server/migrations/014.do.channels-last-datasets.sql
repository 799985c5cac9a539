-- Image datasets stored channels-last (N, H, W, C) for models that read images channels-first
-- (ONNX models from PyTorch read NCHW by default); chosen when the dataset is uploaded.
ALTER TABLE uploads ADD COLUMN channels_last boolean NOT NULL DEFAULT false;
ALTER TABLE datasets ADD COLUMN channels_last boolean NOT NULL DEFAULT false;
