-- +goose Up
-- The changes since a province user's last visit, among thousands of
-- organizations, are walked by time: the walk passed every read of a file
-- in between (24 000 reads for 1 000 changes, 15 ms; all the events since
-- the visit for an action that had none). The events other than reads now
-- have their own index by time. A ward's are read organization by
-- organization, through the index of migration 00022.
CREATE INDEX audit_events_changes_at_idx ON audit_events (at) WHERE action <> 'candidate.read';

-- +goose Down
DROP INDEX audit_events_changes_at_idx;
