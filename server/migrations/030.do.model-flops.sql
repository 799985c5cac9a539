-- Forward-pass FLOPs of one sample, as the engine counts them when it reads the model (twice the
-- multiply-adds of its dense and convolution layers). A convolution applies each weight at every
-- output position, so for CNNs this is many times 2 x parameters, which the cost estimates used
-- before. Null for models stored before it was counted: estimates fall back to 2 x parameters.
ALTER TABLE models ADD COLUMN flops_per_sample double precision CHECK (flops_per_sample >= 0);
