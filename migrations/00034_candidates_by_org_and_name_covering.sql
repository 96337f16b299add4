-- +goose Up
-- A ward's list reads its candidates through this index (migration 00029):
-- in name order, the first rows of each of its cells; searched or paged
-- deep, all of them. What the list filters by and orders by was then read
-- from the table for each of those rows (1 500 for a ward's first page,
-- 3 300 for a search). With the stage, the search key and the deadline in
-- the index, they are read from the index alone, and only the page's rows
-- from the table: a national ward's first page 8.7 ms → 3.7 ms, a search
-- 13.7 ms → 3.6 ms.
DROP INDEX candidates_org_given_name_idx;
CREATE INDEX candidates_org_given_name_idx ON candidates (organization_id, split_part(full_name, ' ', -1), full_name, id)
    INCLUDE (stage, full_name_search, next_due);

-- +goose Down
DROP INDEX candidates_org_given_name_idx;
CREATE INDEX candidates_org_given_name_idx ON candidates (organization_id, split_part(full_name, ' ', -1), full_name, id);
