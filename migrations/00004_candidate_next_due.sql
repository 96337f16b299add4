-- The earliest running deadline of each candidate, kept by the admission
-- service on every write, so that lists filter "overdue" and "due soon" in
-- SQL at national scale.

-- +goose Up
ALTER TABLE candidates ADD COLUMN next_due date;
ALTER TABLE candidates ADD COLUMN next_due_code text NOT NULL DEFAULT '';
CREATE INDEX candidates_org_next_due_idx ON candidates (organization_id, next_due) WHERE next_due IS NOT NULL;

-- +goose Down
DROP INDEX candidates_org_next_due_idx;
ALTER TABLE candidates DROP COLUMN next_due_code;
ALTER TABLE candidates DROP COLUMN next_due;
