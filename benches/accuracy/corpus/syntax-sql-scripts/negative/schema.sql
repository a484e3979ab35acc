CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    password_changed_at TIMESTAMPTZ,
    api_token_digest CHAR(64)
);
CREATE INDEX users_email_idx ON users (email);
