-- +goose Up
-- A candidate put on a cell's list has no step until the nomination is
-- recorded. The report's pipeline counts the candidates who had a step by
-- a day, and when it reads where they stand from the tallies it must leave
-- these out: finding them among a province's 150 000 candidates in
-- "source" took a probe into the steps for each, a second of a report's
-- recount. They are marked instead ("new"): the first step's state write
-- sets the mark from the steps (candidate_forecast_mark gives "" in
-- "source"), and the tallies count them apart (stage/source/new).
UPDATE candidates SET forecast_mark = 'new'
WHERE stage = 'source' AND forecast_mark <> 'new' AND NOT EXISTS (SELECT 1 FROM steps s WHERE s.candidate_id = candidates.id);

-- +goose Down
UPDATE candidates SET forecast_mark = '' WHERE forecast_mark = 'new';
