-- Failed sign-ins, to slow down password guessing: too many for one email in a window and
-- further attempts are refused for a while, right password or not.
CREATE TABLE sign_in_failures (
  email     text NOT NULL,
  failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failures_email ON sign_in_failures (email, failed_at DESC);
