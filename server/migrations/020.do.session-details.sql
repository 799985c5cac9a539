-- Sessions people can see and end: a public id (the primary key is the secret's hash, which never
-- leaves the server), the browser's user agent and the address the session last came from. Both
-- are written when the session opens and with its once-a-minute touch, never on every request.
ALTER TABLE sessions
  ADD COLUMN id           uuid NOT NULL DEFAULT gen_random_uuid(),
  ADD COLUMN user_agent   text CHECK (length(user_agent) <= 512),
  ADD COLUMN last_address text CHECK (length(last_address) <= 64);
CREATE UNIQUE INDEX sessions_id ON sessions (id);
DROP INDEX sessions_user;
CREATE INDEX sessions_user ON sessions (user_id, created_at DESC);
