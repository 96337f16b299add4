-- +goose Up
-- A period's report depends only on what happened up to its last day. Each
-- organization counts the changes under it by the earliest day each one
-- touches (tally item hist/<yyyy-mm-dd>): a step by its date, a member by
-- the earliest of its dates, a member's event by its date, a file or an
-- organization that moves (or is renamed) by 0001-01-01. The counts only
-- grow, so the sum of an organization's items up to a day is a fingerprint
-- of everything its report up to that day reads: a report computed under
-- one fingerprint stays right while the fingerprint is the same.
-- +goose StatementBegin
CREATE FUNCTION history_steps() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tallies (organization_id, item, n)
    SELECT a.id, 'hist/' || to_char(s.occurred_on, 'YYYY-MM-DD'), count(*)
    FROM new_rows s JOIN candidates c ON c.id = s.candidate_id JOIN organizations o ON o.id = c.organization_id
    CROSS JOIN LATERAL unnest(organization_ancestors(o.path)) a(id)
    GROUP BY 1, 2;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION history_members() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO tallies (organization_id, item, n)
        SELECT a.id, 'hist/' || to_char(coalesce(least(r.admitted_on, r.ceremony_on, r.official_on, r.left_on), DATE '0001-01-01'), 'YYYY-MM-DD'), count(*)
        FROM new_rows r JOIN organizations o ON o.id = r.organization_id CROSS JOIN LATERAL unnest(organization_ancestors(o.path)) a(id)
        GROUP BY 1, 2;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO tallies (organization_id, item, n)
        SELECT a.id, 'hist/' || to_char(coalesce(least(r.admitted_on, r.ceremony_on, r.official_on, r.left_on), DATE '0001-01-01'), 'YYYY-MM-DD'), count(*)
        FROM old_rows r JOIN organizations o ON o.id = r.organization_id CROSS JOIN LATERAL unnest(organization_ancestors(o.path)) a(id)
        GROUP BY 1, 2;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION history_member_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO tallies (organization_id, item, n)
        SELECT a.id, 'hist/' || to_char(r.occurred_on, 'YYYY-MM-DD'), count(*)
        FROM new_rows r JOIN members m ON m.id = r.member_id JOIN organizations o ON o.id = m.organization_id
        CROSS JOIN LATERAL unnest(organization_ancestors(o.path)) a(id)
        GROUP BY 1, 2;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO tallies (organization_id, item, n)
        SELECT a.id, 'hist/' || to_char(r.occurred_on, 'YYYY-MM-DD'), count(*)
        FROM old_rows r JOIN members m ON m.id = r.member_id JOIN organizations o ON o.id = m.organization_id
        CROSS JOIN LATERAL unnest(organization_ancestors(o.path)) a(id)
        GROUP BY 1, 2;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION history_moves() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'candidates' THEN
        PERFORM tally_add(o.path, 'hist/0001-01-01', 1) FROM organizations o WHERE o.id IN (OLD.organization_id, NEW.organization_id);
    ELSE
        PERFORM tally_add(OLD.path, 'hist/0001-01-01', 1), tally_add(NEW.path, 'hist/0001-01-01', 1);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- a new rule set may change any period's probation counts: every
-- organization's history changes
-- +goose StatementBegin
CREATE FUNCTION history_rules() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tallies (organization_id, item, n) SELECT id, 'hist/0001-01-01', 1 FROM organizations;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER rule_sets_history AFTER INSERT OR UPDATE OR DELETE ON rule_sets
    FOR EACH STATEMENT EXECUTE FUNCTION history_rules();
CREATE TRIGGER steps_history AFTER INSERT ON steps REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION history_steps();
CREATE TRIGGER members_history_insert AFTER INSERT ON members REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION history_members();
CREATE TRIGGER members_history_update AFTER UPDATE ON members REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION history_members();
CREATE TRIGGER members_history_delete AFTER DELETE ON members REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION history_members();
CREATE TRIGGER member_events_history_insert AFTER INSERT ON member_events REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION history_member_events();
CREATE TRIGGER member_events_history_update AFTER UPDATE ON member_events REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION history_member_events();
CREATE TRIGGER member_events_history_delete AFTER DELETE ON member_events REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION history_member_events();
CREATE TRIGGER candidates_history AFTER UPDATE OF organization_id ON candidates
    FOR EACH ROW WHEN (OLD.organization_id IS DISTINCT FROM NEW.organization_id) EXECUTE FUNCTION history_moves();
CREATE TRIGGER organizations_history AFTER UPDATE OF name, kind, active, parent_id ON organizations
    FOR EACH ROW EXECUTE FUNCTION history_moves();

-- Reports computed once, each under the fingerprint it was computed with.
CREATE TABLE report_cache (
    organization_id bigint      NOT NULL REFERENCES organizations (id),
    period          text        NOT NULL,
    basis           text        NOT NULL,
    fingerprint     bigint      NOT NULL,
    computed_at     timestamptz NOT NULL DEFAULT now(),
    payload         jsonb       NOT NULL,
    PRIMARY KEY (organization_id, period, basis)
);

-- +goose Down
DROP TABLE report_cache;
DROP TRIGGER organizations_history ON organizations;
DROP TRIGGER candidates_history ON candidates;
DROP TRIGGER member_events_history_insert ON member_events;
DROP TRIGGER member_events_history_update ON member_events;
DROP TRIGGER member_events_history_delete ON member_events;
DROP TRIGGER members_history_insert ON members;
DROP TRIGGER members_history_update ON members;
DROP TRIGGER members_history_delete ON members;
DROP TRIGGER steps_history ON steps;
DROP TRIGGER rule_sets_history ON rule_sets;
DROP FUNCTION history_rules();
DROP FUNCTION history_moves();
DROP FUNCTION history_member_events();
DROP FUNCTION history_members();
DROP FUNCTION history_steps();
DELETE FROM tallies WHERE item LIKE 'hist/%';
