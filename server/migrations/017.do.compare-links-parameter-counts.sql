-- Links to a comparison: "Share comparison" on the compare page makes one, giving its holder those
-- two to four surfaces alone, in their order, with the page's settings (the same rules as a link to
-- one surface: nothing else of their projects opens). Each row of compare_link_surfaces names its
-- project, so a link is listed on, and revoked with, the projects its surfaces belong to.
CREATE TABLE compare_links (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token      text NOT NULL UNIQUE,
  -- The settings the link opens with (the compare page's query string, without the surfaces).
  view       text NOT NULL DEFAULT '' CHECK (length(view) <= 2000),
  created_by uuid REFERENCES users ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

CREATE TABLE compare_link_surfaces (
  link_id    uuid NOT NULL REFERENCES compare_links ON DELETE CASCADE,
  position   smallint NOT NULL CHECK (position BETWEEN 0 AND 3),
  surface_id uuid NOT NULL REFERENCES surfaces ON DELETE CASCADE,
  project_id uuid NOT NULL REFERENCES projects ON DELETE CASCADE,
  PRIMARY KEY (link_id, position),
  UNIQUE (link_id, surface_id)
);
CREATE INDEX compare_link_surfaces_project ON compare_link_surfaces (project_id, link_id);
CREATE INDEX compare_link_surfaces_surface ON compare_link_surfaces (surface_id);

-- A model's weights counted as a researcher reports them: the trainable parameters, and the buffers
-- (BatchNorm's running statistics: state, not parameters). Frozen weights are the rest of
-- parameter_count. Null for models stored before these were counted.
ALTER TABLE models ADD COLUMN trainable_count bigint, ADD COLUMN buffer_count bigint;
