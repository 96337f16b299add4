-- +goose Up
-- A file's step of one kind is found without reading the file's other
-- steps: the dashboards' forecast asks it of every open file in scope.
CREATE INDEX steps_candidate_kind_idx ON steps (candidate_id, kind);

-- +goose Down
DROP INDEX steps_candidate_kind_idx;
