-- The report reaches members through their organizations (a ward's cells,
-- a province's 9 000 cells) and then the day range: the organization
-- leads the index. (The day-first indexes of 00008 made the planner walk a
-- whole year's entries once per cell.)
-- +goose Up
DROP INDEX members_admitted_on_idx;
DROP INDEX members_ceremony_on_idx;
CREATE INDEX members_org_admitted_idx ON members (organization_id, admitted_on);
CREATE INDEX members_org_ceremony_idx ON members (organization_id, ceremony_on);

-- +goose Down
DROP INDEX members_org_ceremony_idx;
DROP INDEX members_org_admitted_idx;
CREATE INDEX members_admitted_on_idx ON members (admitted_on, organization_id);
CREATE INDEX members_ceremony_on_idx ON members (ceremony_on, organization_id);
