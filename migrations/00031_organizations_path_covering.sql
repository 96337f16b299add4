-- +goose Up
-- Every scoped page finds the organizations under a path (path LIKE
-- '/1/2/%'). The index of paths alone left each match to be read from the
-- table, and at the default random_page_cost the planner chose to read the
-- whole table instead: 9 300 organizations, about 1 ms, three or four times
-- for each page of a ward. The index now carries what those queries read,
-- so they are answered from it.
CREATE INDEX organizations_path_cover_idx ON organizations (path text_pattern_ops) INCLUDE (id, parent_id, kind, active);
DROP INDEX organizations_path_idx;

-- +goose Down
CREATE INDEX organizations_path_idx ON organizations (path text_pattern_ops);
DROP INDEX organizations_path_cover_idx;
