-- The token of each submitted administration form: a second submit of the
-- same form (a double click, a reload) writes nothing.
-- +goose Up
CREATE TABLE form_tokens (
    token   text PRIMARY KEY CHECK (length(token) BETWEEN 8 AND 120),
    used_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE form_tokens;
