-- Login attempts, kept in PostgreSQL so that throttling holds across
-- instances: repeated failures for a username or from an address slow down,
-- then lock for a while.

-- +goose Up
CREATE TABLE login_attempts (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT now(),
    username text NOT NULL,
    ip       text NOT NULL,
    success  boolean NOT NULL
);
CREATE INDEX login_attempts_username_at_idx ON login_attempts (username, at DESC);
CREATE INDEX login_attempts_ip_at_idx ON login_attempts (ip, at DESC);

ALTER TABLE users ADD COLUMN password_changed_at timestamptz NOT NULL DEFAULT now();
-- created by the first start, shown once in the terminal
ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE users DROP COLUMN must_change_password;
ALTER TABLE users DROP COLUMN password_changed_at;
DROP TABLE login_attempts;
