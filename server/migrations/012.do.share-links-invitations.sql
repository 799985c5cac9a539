-- Links to one surface: "Share view" on a surface makes one, giving its holder that surface alone
-- (values, annotations, the saved view) and nothing else of the project. Several may exist per
-- surface; each is revoked on its own. The project's own link (viewer rights on everything) stays
-- projects.share_token, made and revoked only with the project's visibility.
CREATE TABLE surface_links (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects ON DELETE CASCADE,
  surface_id uuid NOT NULL REFERENCES surfaces ON DELETE CASCADE,
  token      text NOT NULL UNIQUE,
  -- The view settings the link opens with (the surface page's query string).
  view       text NOT NULL DEFAULT '' CHECK (length(view) <= 2000),
  created_by uuid REFERENCES users ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX surface_links_project ON surface_links (project_id, created_at DESC);
CREATE INDEX surface_links_surface ON surface_links (surface_id);

-- Membership by invitation: the owner names an email; whoever signs in with that email accepts or
-- declines. Nothing here says whether the email has an account.
CREATE TABLE project_invitations (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects ON DELETE CASCADE,
  email      text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  role       text NOT NULL CHECK (role IN ('viewer', 'editor')),
  invited_by uuid REFERENCES users ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (project_id, email)
);
CREATE INDEX project_invitations_email ON project_invitations (email, created_at DESC);

-- Failed sign-ins count per email and client address: a client that guesses wrong locks itself
-- out, never the account's owner signing in from elsewhere.
ALTER TABLE sign_in_failures ADD COLUMN client text NOT NULL DEFAULT '';
CREATE INDEX sign_in_failures_email_client ON sign_in_failures (email, client, failed_at DESC);
