-- +goose Up
-- A ward's list in name order takes the first rows of each of its cells
-- through this index (migration 00029), then keeps the page's fifty. The
-- stage the list filters by was read from the table for each of those rows
-- (1 500 for a ward of 30 cells). With the stage in the index, the cells'
-- first rows are read from the index alone, and only the page's rows from
-- the table: 8.7 ms → 3.7 ms for a national ward's first page.
DROP INDEX candidates_org_given_name_idx;
CREATE INDEX candidates_org_given_name_idx ON candidates (organization_id, split_part(full_name, ' ', -1), full_name, id) INCLUDE (stage);

-- +goose Down
DROP INDEX candidates_org_given_name_idx;
CREATE INDEX candidates_org_given_name_idx ON candidates (organization_id, split_part(full_name, ' ', -1), full_name, id);
