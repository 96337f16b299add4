-- +goose Up
-- A report counts the members recognised official, and the probationary
-- members removed, in its period: the events of one kind dated in it.
-- Without an index by kind and day, each count read all 2.4 million events
-- of a national database and joined them against every member (0.48 s for
-- a province's year); with it, the period's few thousand events are found
-- and their members looked up by key.
CREATE INDEX member_events_kind_day_idx ON member_events (kind, occurred_on) INCLUDE (member_id);

-- +goose Down
DROP INDEX member_events_kind_day_idx;
