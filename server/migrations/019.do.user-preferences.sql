-- Per-user preferences that follow a user across browsers. `export_settings` is how they last
-- exported a figure (theme, size, DPI, format); its shape is checked by the API
-- (domain/export-settings.ts), so a new preference needs no new migration.
CREATE TABLE user_preferences (
  user_id         uuid PRIMARY KEY REFERENCES users ON DELETE CASCADE,
  export_settings jsonb,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
