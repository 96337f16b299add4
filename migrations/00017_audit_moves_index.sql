-- +goose Up
-- A file's page lists its cell moves from the audit trail; every staff read
-- of the file adds an audit row too, so the moves are found by their own
-- small index instead of among all the file's events.
CREATE INDEX audit_events_candidate_moves_idx ON audit_events (entity_id, at) WHERE entity = 'candidate' AND action = 'candidate.move';

-- +goose Down
DROP INDEX audit_events_candidate_moves_idx;
