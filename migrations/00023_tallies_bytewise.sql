-- +goose Up
-- The tallies' items are compared as bytes ("due/2026-11-28" before
-- "due/2026-11-29", "stage/" before "stage0") whatever the database's
-- collation, so that a count reads each kind of item as one range of the
-- index.
DROP INDEX tallies_org_item_idx;
ALTER TABLE tallies ALTER COLUMN item TYPE text COLLATE "C";
CREATE INDEX tallies_org_item_idx ON tallies (organization_id, item) INCLUDE (n);

-- +goose Down
DROP INDEX tallies_org_item_idx;
ALTER TABLE tallies ALTER COLUMN item TYPE text COLLATE "default";
CREATE INDEX tallies_org_item_idx ON tallies (organization_id, item) INCLUDE (n);
