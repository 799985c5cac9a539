-- Single sign-on with OpenID Connect. An identity is one provider's subject, linked to one account;
-- an account may hold several (and a password, or none when it was made by signing in with a
-- provider).
ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL;

CREATE TABLE oidc_identities (
  provider     text NOT NULL CHECK (length(provider) BETWEEN 1 AND 32),
  subject      text NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
  user_id      uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  -- The verified address the provider gave when the identity was linked.
  email        text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, subject)
);
CREATE INDEX oidc_identities_user ON oidc_identities (user_id);

-- A sign-in started here and not yet finished: its state (only the SHA-256 kept; the browser holds
-- the state itself in a short-lived cookie too), the nonce the ID token must carry and the PKCE
-- code verifier. A callback consumes its row, so a replayed one finds nothing.
CREATE TABLE oidc_logins (
  state_hash    bytea PRIMARY KEY,
  provider      text NOT NULL,
  nonce         text NOT NULL,
  code_verifier text NOT NULL,
  next_path     text NOT NULL CHECK (length(next_path) <= 500),
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
CREATE INDEX oidc_logins_expires ON oidc_logins (expires_at);

-- An ended session (signed out, ended from the list, by a password change, with its account) and
-- a revoked API token are announced, so every API process closes the WebSockets opened with them.
CREATE FUNCTION announce_credential_ended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'sessions' THEN
    PERFORM pg_notify('credential_ended', encode(OLD.id_hash, 'hex'));
  ELSIF TG_OP = 'DELETE' OR (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL) THEN
    PERFORM pg_notify('credential_ended', encode(OLD.token_hash, 'hex'));
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER sessions_ended AFTER DELETE ON sessions FOR EACH ROW EXECUTE FUNCTION announce_credential_ended();
CREATE TRIGGER api_tokens_ended AFTER UPDATE OF revoked_at OR DELETE ON api_tokens FOR EACH ROW EXECUTE FUNCTION announce_credential_ended();
