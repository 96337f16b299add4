-- +goose Up
-- An uploaded import file, kept between its preview and its confirmation
-- (at most a day): the confirmation applies exactly the file that was
-- previewed, once.
CREATE TABLE import_uploads (
    id              bigserial PRIMARY KEY,
    user_id         bigint REFERENCES users (id),
    organization_id bigint NOT NULL REFERENCES organizations (id),
    name            text NOT NULL,
    sha256          text NOT NULL,
    encoding        text NOT NULL DEFAULT 'utf-8',
    data            bytea NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    applied_at      timestamptz
);
CREATE INDEX import_uploads_created ON import_uploads (created_at);

-- +goose Down
DROP TABLE import_uploads;
