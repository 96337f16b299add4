-- The deadlines long past are counted in one item. Every open file counts
-- under the day of its next deadline (due/<day>), and a count of the
-- overdue sums every day before today: a province's dashboard read about a
-- hundred past days for each of its 300 wards. A compaction given a day
-- (tallies_compact(fold_before)) now folds the days before it into
-- due/0001-01-01, and remembers the latest such day in tally_fold; a
-- recount folds the same days. A count of the overdue as of a day on or
-- after that day is unchanged; the instances fold the days more than a week
-- before their own today, so a clock a few days apart from theirs is safe.
-- +goose Up
CREATE TABLE tally_fold (
    one    boolean PRIMARY KEY DEFAULT true CHECK (one),
    before date NOT NULL
);

-- +goose StatementBegin
CREATE FUNCTION tally_folded(item text, before date) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN before IS NOT NULL AND item COLLATE "C" >= 'due/' AND item COLLATE "C" < 'due/' || to_char(before, 'YYYY-MM-DD')
        THEN 'due/0001-01-01' ELSE item END
$$;
-- +goose StatementEnd

DROP FUNCTION tallies_compact();
-- +goose StatementBegin
CREATE FUNCTION tallies_compact(fold_before date DEFAULT NULL) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    removed bigint;
    f date;
    cut text;
BEGIN
    IF fold_before IS NOT NULL THEN
        INSERT INTO tally_fold (before) VALUES (fold_before)
            ON CONFLICT (one) DO UPDATE SET before = greatest(tally_fold.before, EXCLUDED.before);
    END IF;
    SELECT before INTO f FROM tally_fold;
    cut := 'due/' || to_char(f, 'YYYY-MM-DD'); -- null when nothing folds
    -- the days to fold compared in place: a call of tally_folded for each of
    -- 700 000 groups tripled the compaction's time
    WITH k AS (SELECT organization_id, item FROM tallies GROUP BY 1, 2
        HAVING count(*) > 1 OR sum(n) = 0 OR (item > 'due/0001-01-01' AND item < cut)),
    d AS (DELETE FROM tallies t USING k WHERE t.organization_id = k.organization_id AND t.item = k.item
        RETURNING t.organization_id, t.item, t.n),
    i AS (INSERT INTO tallies (organization_id, item, n)
        SELECT organization_id, tally_folded(item, f), sum(n) FROM d GROUP BY 1, 2 HAVING sum(n) <> 0 RETURNING 1)
    SELECT (SELECT count(*) FROM d) - (SELECT count(*) FROM i) INTO removed;
    RETURN removed;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION tallies_recount() RETURNS TABLE (organization_id bigint, item text, kept bigint, counted bigint) LANGUAGE sql STABLE AS $$
    WITH f AS (SELECT (SELECT before FROM tally_fold) AS before),
    rows AS (
        SELECT c.organization_id, i AS item FROM candidates c, candidate_items(c.stage, c.next_due, c.forecast_mark) i
        UNION ALL SELECT m.organization_id, 'admitted/' || extract(year FROM m.admitted_on)::int FROM members m WHERE m.admitted_on IS NOT NULL
        UNION ALL SELECT m.organization_id, 'ceremony/' || extract(year FROM m.ceremony_on)::int FROM members m WHERE m.ceremony_on IS NOT NULL
        UNION ALL SELECT t.organization_id, 'target/' || t.year FROM targets t JOIN organizations o ON o.id = t.organization_id AND o.kind = 'cell' CROSS JOIN LATERAL generate_series(1, t.admissions)
        UNION ALL SELECT t.organization_id, 'targeted/' || t.year FROM targets t JOIN organizations o ON o.id = t.organization_id AND o.kind = 'cell'
        UNION ALL SELECT o.id, 'cell' FROM organizations o WHERE o.kind = 'cell' AND o.active
    ), counted AS (
        SELECT a.id AS organization_id, tally_folded(r.item, f.before) AS item, count(*) AS n FROM rows r JOIN organizations o ON o.id = r.organization_id
        CROSS JOIN LATERAL unnest(organization_ancestors(o.path)) a(id) CROSS JOIN f GROUP BY 1, 2
    ), kept AS (
        SELECT t.organization_id, tally_folded(t.item, f.before) AS item, sum(t.n) AS n FROM tallies t CROSS JOIN f
        WHERE t.item NOT LIKE 'hist/%' GROUP BY 1, 2 HAVING sum(t.n) <> 0
    )
    SELECT coalesce(k.organization_id, c.organization_id), coalesce(k.item, c.item), coalesce(k.n, 0), coalesce(c.n, 0)
    FROM kept k FULL JOIN counted c ON c.organization_id = k.organization_id AND c.item = k.item
    WHERE coalesce(k.n, 0) <> coalesce(c.n, 0)
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION tallies_recount() RETURNS TABLE (organization_id bigint, item text, kept bigint, counted bigint) LANGUAGE sql STABLE AS $$
    WITH rows AS (
        SELECT c.organization_id, i AS item FROM candidates c, candidate_items(c.stage, c.next_due, c.forecast_mark) i
        UNION ALL SELECT m.organization_id, 'admitted/' || extract(year FROM m.admitted_on)::int FROM members m WHERE m.admitted_on IS NOT NULL
        UNION ALL SELECT m.organization_id, 'ceremony/' || extract(year FROM m.ceremony_on)::int FROM members m WHERE m.ceremony_on IS NOT NULL
        UNION ALL SELECT t.organization_id, 'target/' || t.year FROM targets t JOIN organizations o ON o.id = t.organization_id AND o.kind = 'cell' CROSS JOIN LATERAL generate_series(1, t.admissions)
        UNION ALL SELECT t.organization_id, 'targeted/' || t.year FROM targets t JOIN organizations o ON o.id = t.organization_id AND o.kind = 'cell'
        UNION ALL SELECT o.id, 'cell' FROM organizations o WHERE o.kind = 'cell' AND o.active
    ), counted AS (
        SELECT a.id AS organization_id, r.item, count(*) AS n FROM rows r JOIN organizations o ON o.id = r.organization_id
        CROSS JOIN LATERAL unnest(organization_ancestors(o.path)) a(id) GROUP BY 1, 2
    ), kept AS (
        SELECT t.organization_id, t.item, sum(t.n) AS n FROM tallies t WHERE t.item NOT LIKE 'hist/%' GROUP BY 1, 2 HAVING sum(t.n) <> 0
    )
    SELECT coalesce(k.organization_id, c.organization_id), coalesce(k.item, c.item), coalesce(k.n, 0), coalesce(c.n, 0)
    FROM kept k FULL JOIN counted c ON c.organization_id = k.organization_id AND c.item = k.item
    WHERE coalesce(k.n, 0) <> coalesce(c.n, 0)
$$;
-- +goose StatementEnd
DROP FUNCTION tallies_compact(date);
-- +goose StatementBegin
CREATE FUNCTION tallies_compact() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    removed bigint;
BEGIN
    WITH k AS (SELECT organization_id, item FROM tallies GROUP BY 1, 2 HAVING count(*) > 1 OR sum(n) = 0),
    d AS (DELETE FROM tallies t USING k WHERE t.organization_id = k.organization_id AND t.item = k.item
        RETURNING t.organization_id, t.item, t.n),
    i AS (INSERT INTO tallies (organization_id, item, n)
        SELECT organization_id, item, sum(n) FROM d GROUP BY 1, 2 HAVING sum(n) <> 0 RETURNING 1)
    SELECT (SELECT count(*) FROM d) - (SELECT count(*) FROM i) INTO removed;
    RETURN removed;
END;
$$;
-- +goose StatementEnd
-- the folded deadlines counted again under their days
DELETE FROM tallies WHERE item >= 'due/' AND item < 'due0';
INSERT INTO tallies (organization_id, item, n)
SELECT a.id, i, count(*) FROM candidates c JOIN organizations o ON o.id = c.organization_id
    CROSS JOIN LATERAL candidate_items(c.stage, c.next_due, c.forecast_mark) i
    CROSS JOIN LATERAL unnest(organization_ancestors(o.path)) a(id)
WHERE i >= 'due/' AND i < 'due0' GROUP BY 1, 2;
DROP FUNCTION tally_folded(text, date);
DROP TABLE tally_fold;
