-- +goose Up
-- A member's events point at the step that caused them (a decision, a
-- ceremony, a recognition). Without an index on that column, each check of
-- the reference (a step deleted or its id changed) scanned every member
-- event: a million at national size, minutes for a few thousand steps.
CREATE INDEX member_events_step_idx ON member_events (step_id) WHERE step_id IS NOT NULL;

-- +goose Down
DROP INDEX member_events_step_idx;
