-- +goose Up
-- A dashboard over many units read every tally row of each unit on every
-- view: a province's 300 wards, 5 700 rows through 900 index descents, about
-- 7 ms of its 12 ms in the database. Between two compactions the compacted
-- rows do not change; only the rows written since are new. tally_epoch
-- counts the compactions that changed anything, in the same transaction, so
-- an instance keeps the compacted rows' sums of a view under that count and
-- reads only the rows not yet compacted, through their own index.
--
-- Compactions also run one at a time now (every instance runs one every 30
-- seconds). Two at once could each fold part of an item's rows into a
-- compacted row of its own: the second one's snapshot saw rows written after
-- the first one's. No later compaction merged those rows, since it folds only
-- the items that have rows not yet compacted.
CREATE TABLE tally_epoch (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    n   bigint  NOT NULL
);
INSERT INTO tally_epoch (n) VALUES (0);

DROP FUNCTION tallies_compact(date);
-- +goose StatementBegin
CREATE FUNCTION tallies_compact(fold_before date DEFAULT NULL) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    deleted bigint;
    inserted bigint;
    was date;
    f date;
    cut text;
BEGIN
    -- one at a time; the statements below see what the one before committed
    PERFORM pg_advisory_xact_lock(7346282);
    SELECT before INTO was FROM tally_fold;
    IF fold_before IS NOT NULL THEN
        INSERT INTO tally_fold (before) VALUES (fold_before)
            ON CONFLICT (one) DO UPDATE SET before = greatest(tally_fold.before, EXCLUDED.before);
    END IF;
    SELECT before INTO f FROM tally_fold;
    cut := 'due/' || to_char(f, 'YYYY-MM-DD'); -- null when nothing folds
    -- the items written to since the last compaction, through their own
    -- index; and, when the cut moved, the days it passed
    WITH k AS (SELECT DISTINCT organization_id, item FROM tallies WHERE NOT compacted
        UNION
        SELECT organization_id, item FROM tallies
        WHERE f IS DISTINCT FROM was AND item > 'due/0001-01-01' AND item < cut
          AND item >= 'due/' || coalesce(to_char(was, 'YYYY-MM-DD'), '0001-01-02')),
    d AS (DELETE FROM tallies t USING k WHERE t.organization_id = k.organization_id AND t.item = k.item
        RETURNING t.organization_id, t.item, t.n),
    -- a folded day joins the folded item as a fresh row, merged next time
    i AS (INSERT INTO tallies (organization_id, item, n, compacted)
        SELECT organization_id, folded, sum(n), bool_and(folded = item)
        FROM (SELECT organization_id, tally_folded(item, f) AS folded, item, n FROM d) x
        GROUP BY 1, 2 HAVING sum(n) <> 0 RETURNING 1)
    SELECT (SELECT count(*) FROM d), (SELECT count(*) FROM i) INTO deleted, inserted;
    IF deleted > 0 THEN
        UPDATE tally_epoch SET n = n + 1;
    END IF;
    RETURN deleted - inserted;
END;
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION tallies_compact(date);
-- +goose StatementBegin
CREATE FUNCTION tallies_compact(fold_before date DEFAULT NULL) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    removed bigint;
    was date;
    f date;
    cut text;
BEGIN
    SELECT before INTO was FROM tally_fold;
    IF fold_before IS NOT NULL THEN
        INSERT INTO tally_fold (before) VALUES (fold_before)
            ON CONFLICT (one) DO UPDATE SET before = greatest(tally_fold.before, EXCLUDED.before);
    END IF;
    SELECT before INTO f FROM tally_fold;
    cut := 'due/' || to_char(f, 'YYYY-MM-DD'); -- null when nothing folds
    WITH k AS (SELECT DISTINCT organization_id, item FROM tallies WHERE NOT compacted
        UNION
        SELECT organization_id, item FROM tallies
        WHERE f IS DISTINCT FROM was AND item > 'due/0001-01-01' AND item < cut
          AND item >= 'due/' || coalesce(to_char(was, 'YYYY-MM-DD'), '0001-01-02')),
    d AS (DELETE FROM tallies t USING k WHERE t.organization_id = k.organization_id AND t.item = k.item
        RETURNING t.organization_id, t.item, t.n),
    i AS (INSERT INTO tallies (organization_id, item, n, compacted)
        SELECT organization_id, folded, sum(n), bool_and(folded = item)
        FROM (SELECT organization_id, tally_folded(item, f) AS folded, item, n FROM d) x
        GROUP BY 1, 2 HAVING sum(n) <> 0 RETURNING 1)
    SELECT (SELECT count(*) FROM d) - (SELECT count(*) FROM i) INTO removed;
    RETURN removed;
END;
$$;
-- +goose StatementEnd
DROP TABLE tally_epoch;
