-- +goose Up
-- A dashboard lists the files moved between cells since the user's last
-- visit. Moves are rare among the changes: through the index of the
-- changes by time, finding that there were none walked every step
-- recorded since the visit (thousands in a busy province). They now have
-- their own index by time.
CREATE INDEX audit_events_moves_at_idx ON audit_events (at) WHERE action = 'candidate.move';

-- +goose Down
DROP INDEX audit_events_moves_at_idx;
