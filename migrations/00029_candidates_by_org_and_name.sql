-- +goose Up
-- A ward's list in name order reads the first names of each of its
-- organizations and merges them. Before, it walked the whole country's
-- index of names until fifty of the ward's turned up (6 000 rows for a
-- ward of 3 000 candidates among a million), or sorted all the ward's
-- with the Vietnamese collation.
CREATE INDEX candidates_org_given_name_idx ON candidates (organization_id, split_part(full_name, ' ', -1), full_name, id);

-- +goose Down
DROP INDEX candidates_org_given_name_idx;
