-- +goose Up
-- The reads of files are most of the audit trail (one per staff view). The
-- changes since a user's last visit, and the audit page filtered to an
-- action other than a read, look among the other events only.
CREATE INDEX audit_events_changes_idx ON audit_events (organization_id, at) WHERE action <> 'candidate.read';

-- +goose Down
DROP INDEX audit_events_changes_idx;
