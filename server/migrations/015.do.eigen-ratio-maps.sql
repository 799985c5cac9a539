-- Eigen-ratio maps (Li et al. 2018, section 6): a surface kind whose grid points hold the Hessian's
-- extreme eigenvalues and |lambda_min / lambda_max| instead of loss and accuracy. Its tiles keep
-- their three values per point here until the map is assembled into its values file.
ALTER TABLE surfaces DROP CONSTRAINT surfaces_kind_check;
ALTER TABLE surfaces ADD CONSTRAINT surfaces_kind_check CHECK (kind IN ('plane', 'line', 'interpolation', 'pca', 'eigen-ratio'));
-- float32 little-endian: lambda_max of each of the tile's indices, then lambda_min, then the ratio.
ALTER TABLE surface_tiles ADD COLUMN curvature bytea;
