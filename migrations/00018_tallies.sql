-- +goose Up
-- Counts kept in the same transaction as each change, so that a dashboard
-- or a target page reads a few rows per organization instead of scanning
-- every file under it. Each organization holds the counts of its whole
-- subtree (a ward the sum of its cells, the province the sum of its wards).
--
-- A change inserts its deltas (+1 for the new row's item, -1 for the old
-- one's) and never updates a shared row, so concurrent step writes in one
-- cell never wait on each other; tallies_compact() folds the deltas of an
-- item into one row from time to time. A count is the sum of an item's rows.
--
-- Items:
--   stage/<stage>/<mark>  a candidate in a stage; mark is the year of the
--                         effective decision (awaiting_ceremony), the year
--                         of the next deadline (awaiting_decision),
--                         "verified" for a dossier whose history was
--                         verified, else empty
--   due/<yyyy-mm-dd>      an open file whose next deadline is that day (the
--                         overdue and due-soon counts sum the days before
--                         and after today)
--   admitted/<year>       a member whose admission decision is in the year
--   ceremony/<year>       a member whose ceremony is in the year
--   target/<year>         the admissions planned for the year (cells' targets)
--   targeted/<year>       the cells with a target for the year
--   cell                  an active cell
CREATE TABLE tallies (
    organization_id bigint NOT NULL REFERENCES organizations(id),
    item            text   NOT NULL,
    n               bigint NOT NULL
);
CREATE INDEX tallies_org_item_idx ON tallies (organization_id, item) INCLUDE (n);

ALTER TABLE candidates ADD COLUMN forecast_mark text NOT NULL DEFAULT '';

-- candidate_forecast_mark is the mark of a candidate in a stage, from its
-- effective steps (the steps no later step supersedes).
-- +goose StatementBegin
CREATE FUNCTION candidate_forecast_mark(cid bigint, stage text) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT CASE stage
        WHEN 'awaiting_ceremony' THEN coalesce((SELECT extract(year FROM max(s.occurred_on))::int::text FROM steps s
            WHERE s.candidate_id = cid AND s.kind = 'decision' AND s.outcome = 'done'
              AND NOT EXISTS (SELECT 1 FROM steps x WHERE x.supersedes_id = s.id)), '')
        WHEN 'dossier' THEN CASE WHEN EXISTS (SELECT 1 FROM steps s WHERE s.candidate_id = cid AND s.kind = 'verification'
              AND s.outcome = 'passed' AND NOT EXISTS (SELECT 1 FROM steps x WHERE x.supersedes_id = s.id)) THEN 'verified' ELSE '' END
        ELSE '' END
$$;
-- +goose StatementEnd

-- candidate_items are the items a candidate counts in.
-- +goose StatementBegin
CREATE FUNCTION candidate_items(stage text, next_due date, mark text) RETURNS SETOF text LANGUAGE sql STABLE AS $$
    SELECT 'stage/' || stage || '/' || CASE WHEN stage = 'awaiting_decision'
        THEN coalesce(extract(year FROM next_due)::int::text, '') ELSE mark END
    UNION ALL
    SELECT 'due/' || to_char(next_due, 'YYYY-MM-DD')
    WHERE next_due IS NOT NULL AND stage NOT IN ('official', 'withdrawn', 'removed', 'transferred')
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION organization_ancestors(path text) RETURNS bigint[] LANGUAGE sql IMMUTABLE AS $$
    SELECT string_to_array(btrim(path, '/'), '/')::bigint[]
$$;
-- +goose StatementEnd

-- tally_candidates adds a statement's deltas to the tallies of every
-- organization above (and at) each changed candidate's cell.
-- +goose StatementBegin
CREATE FUNCTION tally_candidates() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO tallies (organization_id, item, n)
        SELECT a.id, d.item, sum(d.n) FROM (
            SELECT organization_id, i AS item, 1 AS n FROM new_rows, candidate_items(stage, next_due, forecast_mark) i) d
        JOIN organizations o ON o.id = d.organization_id CROSS JOIN LATERAL unnest(organization_ancestors(o.path)) a(id)
        GROUP BY 1, 2;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO tallies (organization_id, item, n)
        SELECT a.id, d.item, sum(d.n) FROM (
            SELECT organization_id, i AS item, -1 AS n FROM old_rows, candidate_items(stage, next_due, forecast_mark) i) d
        JOIN organizations o ON o.id = d.organization_id CROSS JOIN LATERAL unnest(organization_ancestors(o.path)) a(id)
        GROUP BY 1, 2;
    ELSE
        INSERT INTO tallies (organization_id, item, n)
        SELECT a.id, d.item, sum(d.n) FROM (
            SELECT organization_id, i AS item, 1 AS n FROM new_rows, candidate_items(stage, next_due, forecast_mark) i
            UNION ALL
            SELECT organization_id, i, -1 FROM old_rows, candidate_items(stage, next_due, forecast_mark) i) d
        JOIN organizations o ON o.id = d.organization_id CROSS JOIN LATERAL unnest(organization_ancestors(o.path)) a(id)
        GROUP BY 1, 2 HAVING sum(d.n) <> 0;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- tally_members does the same for the members' admission and ceremony years.
-- +goose StatementBegin
CREATE FUNCTION tally_members() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO tallies (organization_id, item, n)
        SELECT a.id, d.item, sum(d.n) FROM (
            SELECT organization_id, 'admitted/' || extract(year FROM admitted_on)::int AS item, 1 AS n FROM new_rows WHERE admitted_on IS NOT NULL
            UNION ALL SELECT organization_id, 'ceremony/' || extract(year FROM ceremony_on)::int, 1 FROM new_rows WHERE ceremony_on IS NOT NULL) d
        JOIN organizations o ON o.id = d.organization_id CROSS JOIN LATERAL unnest(organization_ancestors(o.path)) a(id)
        GROUP BY 1, 2;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO tallies (organization_id, item, n)
        SELECT a.id, d.item, sum(d.n) FROM (
            SELECT organization_id, 'admitted/' || extract(year FROM admitted_on)::int AS item, -1 AS n FROM old_rows WHERE admitted_on IS NOT NULL
            UNION ALL SELECT organization_id, 'ceremony/' || extract(year FROM ceremony_on)::int, -1 FROM old_rows WHERE ceremony_on IS NOT NULL) d
        JOIN organizations o ON o.id = d.organization_id CROSS JOIN LATERAL unnest(organization_ancestors(o.path)) a(id)
        GROUP BY 1, 2;
    ELSE
        INSERT INTO tallies (organization_id, item, n)
        SELECT a.id, d.item, sum(d.n) FROM (
            SELECT organization_id, 'admitted/' || extract(year FROM admitted_on)::int AS item, 1 AS n FROM new_rows WHERE admitted_on IS NOT NULL
            UNION ALL SELECT organization_id, 'ceremony/' || extract(year FROM ceremony_on)::int, 1 FROM new_rows WHERE ceremony_on IS NOT NULL
            UNION ALL SELECT organization_id, 'admitted/' || extract(year FROM admitted_on)::int, -1 FROM old_rows WHERE admitted_on IS NOT NULL
            UNION ALL SELECT organization_id, 'ceremony/' || extract(year FROM ceremony_on)::int, -1 FROM old_rows WHERE ceremony_on IS NOT NULL) d
        JOIN organizations o ON o.id = d.organization_id CROSS JOIN LATERAL unnest(organization_ancestors(o.path)) a(id)
        GROUP BY 1, 2 HAVING sum(d.n) <> 0;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- tally_add adds n to an item of the organization at path and of every
-- organization above it.
-- +goose StatementBegin
CREATE FUNCTION tally_add(path text, item text, n bigint) RETURNS void LANGUAGE sql AS $$
    INSERT INTO tallies (organization_id, item, n) SELECT a.id, item, n FROM unnest(organization_ancestors(path)) a(id) WHERE n <> 0
$$;
-- +goose StatementEnd

-- tally_targets keeps the cells' targets, row by row (a few a year).
-- +goose StatementBegin
CREATE FUNCTION tally_targets() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    p text;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        SELECT path INTO p FROM organizations WHERE id = OLD.organization_id AND kind = 'cell';
        PERFORM tally_add(p, 'target/' || OLD.year, -OLD.admissions), tally_add(p, 'targeted/' || OLD.year, -1) WHERE p IS NOT NULL;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        SELECT path INTO p FROM organizations WHERE id = NEW.organization_id AND kind = 'cell';
        PERFORM tally_add(p, 'target/' || NEW.year, NEW.admissions), tally_add(p, 'targeted/' || NEW.year, 1) WHERE p IS NOT NULL;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- tally_cells keeps the active cells, row by row; when an organization
-- moves, its subtree's counts leave the organizations above its old place
-- for those above its new one (each cell under it moves its own "cell" as
-- its path is rewritten).
-- +goose StatementBegin
CREATE FUNCTION tally_cells() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.parent_id IS DISTINCT FROM NEW.parent_id THEN
        INSERT INTO tallies (organization_id, item, n)
        SELECT a.id, t.item, a.sign * t.n
        FROM (SELECT item, sum(n) AS n FROM tallies WHERE organization_id = NEW.id AND item <> 'cell' GROUP BY item) t,
            (SELECT id, -1 AS sign FROM unnest(organization_ancestors(OLD.path)) id WHERE id <> NEW.id
             UNION ALL SELECT id, 1 FROM unnest(organization_ancestors(NEW.path)) id WHERE id <> NEW.id) a
        WHERE t.n <> 0;
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.kind = 'cell' AND OLD.active THEN
        PERFORM tally_add(OLD.path, 'cell', -1);
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.kind = 'cell' AND NEW.active THEN
        PERFORM tally_add(NEW.path, 'cell', 1);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER targets_tally AFTER INSERT OR UPDATE OR DELETE ON targets FOR EACH ROW EXECUTE FUNCTION tally_targets();
CREATE TRIGGER organizations_tally AFTER INSERT OR UPDATE OF kind, active, path, parent_id OR DELETE ON organizations FOR EACH ROW EXECUTE FUNCTION tally_cells();
CREATE TRIGGER candidates_tally_insert AFTER INSERT ON candidates REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally_candidates();
CREATE TRIGGER candidates_tally_update AFTER UPDATE ON candidates REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally_candidates();
CREATE TRIGGER candidates_tally_delete AFTER DELETE ON candidates REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally_candidates();
CREATE TRIGGER members_tally_insert AFTER INSERT ON members REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally_members();
CREATE TRIGGER members_tally_update AFTER UPDATE ON members REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally_members();
CREATE TRIGGER members_tally_delete AFTER DELETE ON members REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally_members();

-- tallies_compact folds each item's deltas into one row and returns how
-- many rows it removed. Two compactions at once are safe: the second finds
-- the rows the first deleted gone and folds only what it deleted itself.
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

-- tallies_recount returns the items whose kept count differs from a count of
-- the rows themselves (empty when the tallies hold); the changes counted
-- for reports (hist/, migration 00019) have no rows to count.
-- +goose StatementBegin
CREATE FUNCTION tallies_recount() RETURNS TABLE (organization_id bigint, item text, kept bigint, counted bigint) LANGUAGE sql STABLE AS $$
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

-- the files and members already there, counted once with empty marks;
-- then the marks, whose change the trigger tallies
INSERT INTO tallies (organization_id, item, n)
SELECT a.id, d.item, count(*) FROM (
    SELECT c.organization_id, i AS item FROM candidates c, candidate_items(c.stage, c.next_due, '') i
    UNION ALL SELECT m.organization_id, 'admitted/' || extract(year FROM m.admitted_on)::int FROM members m WHERE m.admitted_on IS NOT NULL
    UNION ALL SELECT m.organization_id, 'ceremony/' || extract(year FROM m.ceremony_on)::int FROM members m WHERE m.ceremony_on IS NOT NULL
    UNION ALL SELECT t.organization_id, 'target/' || t.year FROM targets t JOIN organizations o ON o.id = t.organization_id AND o.kind = 'cell' CROSS JOIN LATERAL generate_series(1, t.admissions)
    UNION ALL SELECT t.organization_id, 'targeted/' || t.year FROM targets t JOIN organizations o ON o.id = t.organization_id AND o.kind = 'cell'
    UNION ALL SELECT o.id, 'cell' FROM organizations o WHERE o.kind = 'cell' AND o.active) d
JOIN organizations o ON o.id = d.organization_id CROSS JOIN LATERAL unnest(organization_ancestors(o.path)) a(id)
GROUP BY 1, 2;
UPDATE candidates SET forecast_mark = candidate_forecast_mark(id, stage) WHERE stage IN ('awaiting_ceremony', 'dossier');
SELECT tallies_compact();

-- +goose Down
DROP TRIGGER targets_tally ON targets;
DROP TRIGGER organizations_tally ON organizations;
DROP TRIGGER candidates_tally_insert ON candidates;
DROP TRIGGER candidates_tally_update ON candidates;
DROP TRIGGER candidates_tally_delete ON candidates;
DROP TRIGGER members_tally_insert ON members;
DROP TRIGGER members_tally_update ON members;
DROP TRIGGER members_tally_delete ON members;
DROP FUNCTION tallies_recount();
DROP FUNCTION tallies_compact();
DROP FUNCTION tally_members();
DROP FUNCTION tally_cells();
DROP FUNCTION tally_targets();
DROP FUNCTION tally_add(text, text, bigint);
DROP FUNCTION tally_candidates();
DROP FUNCTION organization_ancestors(text);
DROP FUNCTION candidate_items(text, date, text);
DROP FUNCTION candidate_forecast_mark(bigint, text);
ALTER TABLE candidates DROP COLUMN forecast_mark;
DROP TABLE tallies;
