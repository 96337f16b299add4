-- +goose Up
-- The audit trail partitioned by month of its time: a month's events sit in
-- their own table, a search by time reads only the months it spans, and an
-- old month can be archived whole. The hash chain is unchanged and carries
-- across the move: the events keep their ids, times and hashes. The chain's
-- last link is kept in a one-row table, read under the chain's lock, rather
-- than looked up across every month.
DROP TRIGGER audit_events_chain ON audit_events;
DROP FUNCTION audit_chain_first_broken();
DROP FUNCTION audit_event_content(audit_events);
ALTER TABLE audit_events RENAME TO audit_events_unpartitioned;

CREATE SEQUENCE audit_event_ids AS bigint;
CREATE TABLE audit_events (
    id              bigint NOT NULL DEFAULT nextval('audit_event_ids'),
    at              timestamptz NOT NULL DEFAULT now(),
    user_id         bigint REFERENCES users (id),
    organization_id bigint REFERENCES organizations (id),
    action          text NOT NULL CHECK (btrim(action) <> ''),
    entity          text NOT NULL CHECK (btrim(entity) <> ''),
    entity_id       bigint,
    before          jsonb,
    after           jsonb,
    ip              text NOT NULL DEFAULT '',
    request_id      text NOT NULL DEFAULT '',
    prev_hash       bytea,
    hash            bytea,
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
ALTER SEQUENCE audit_event_ids OWNED BY audit_events.id;
-- anything outside the months prepared lands here rather than failing
CREATE TABLE audit_events_default PARTITION OF audit_events DEFAULT;

-- audit_events_month_partitions makes sure each month from the one of
-- since through the one of through has its partition, each refusing
-- TRUNCATE as the whole trail does, and returns how many it made. A month
-- whose events already sit in the default partition is left there.
-- +goose StatementBegin
CREATE FUNCTION audit_events_month_partitions(since date, through date) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    m date := date_trunc('month', since)::date;
    made int := 0;
    name text;
BEGIN
    WHILE m <= through LOOP
        name := 'audit_events_' || to_char(m, 'YYYY_MM');
        IF to_regclass(name) IS NULL AND NOT EXISTS (
            SELECT 1 FROM audit_events_default WHERE at >= m::timestamptz AND at < (m + interval '1 month')::timestamptz) THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF audit_events FOR VALUES FROM (%L) TO (%L)',
                name, m::timestamptz, (m + interval '1 month')::timestamptz);
            EXECUTE format('CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()', name);
            made := made + 1;
        END IF;
        m := (m + interval '1 month')::date;
    END LOOP;
    RETURN made;
END;
$$;
-- +goose StatementEnd

SELECT audit_events_month_partitions(coalesce((SELECT min(at) FROM audit_events_unpartitioned)::date, current_date),
    (current_date + interval '3 months')::date);
INSERT INTO audit_events SELECT * FROM audit_events_unpartitioned ORDER BY at;
SELECT setval('audit_event_ids', coalesce((SELECT max(id) FROM audit_events), 0) + 1, false);

-- the chain's last link
CREATE TABLE audit_chain_head (
    one  boolean PRIMARY KEY DEFAULT true CHECK (one),
    id   bigint NOT NULL,
    hash bytea NOT NULL
);
INSERT INTO audit_chain_head (id, hash)
SELECT id, hash FROM audit_events_unpartitioned ORDER BY id DESC LIMIT 1;
DROP TABLE audit_events_unpartitioned;
CREATE INDEX audit_events_entity_idx ON audit_events (entity, entity_id);
CREATE INDEX audit_events_user_at_idx ON audit_events (user_id, at);
CREATE INDEX audit_events_org_at_idx ON audit_events (organization_id, at);
CREATE INDEX audit_events_at_idx ON audit_events (at);
CREATE INDEX audit_events_candidate_moves_idx ON audit_events (entity_id, at) WHERE entity = 'candidate' AND action = 'candidate.move';

-- +goose StatementBegin
CREATE FUNCTION audit_event_content(e audit_events) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT convert_to(concat_ws(E'\x1f', e.id::text, to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
        coalesce(e.user_id::text, ''), coalesce(e.organization_id::text, ''), e.action, e.entity, coalesce(e.entity_id::text, ''),
        coalesce(e.before::text, ''), coalesce(e.after::text, ''), e.ip, e.request_id), 'UTF8')
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last bytea;
BEGIN
    -- one writer at a time extends the chain; the lock ends with the transaction
    PERFORM pg_advisory_xact_lock(7346281);
    NEW.id := nextval('audit_event_ids');
    SELECT hash INTO last FROM audit_chain_head;
    NEW.prev_hash := coalesce(last, '\x'::bytea);
    -- a partition's row has the partition's own type: the content reads it as the trail's
    NEW.hash := sha256(NEW.prev_hash || audit_event_content(ROW(NEW.*)::audit_events));
    INSERT INTO audit_chain_head (id, hash) VALUES (NEW.id, NEW.hash)
        ON CONFLICT (one) DO UPDATE SET id = EXCLUDED.id, hash = EXCLUDED.hash;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION audit_chain_first_broken() RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT id FROM (
        SELECT e.id, e.hash, e.prev_hash, lag(e.hash) OVER (ORDER BY e.id) AS previous,
            sha256(e.prev_hash || audit_event_content(e)) AS expected
        FROM audit_events e) x
    WHERE x.hash IS DISTINCT FROM x.expected OR x.prev_hash IS DISTINCT FROM coalesce(x.previous, '\x'::bytea)
    ORDER BY x.id LIMIT 1
$$;
-- +goose StatementEnd

CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_chain();
CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events_default
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
-- the chain's head changes only with the chain
CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE OR TRUNCATE ON audit_chain_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- +goose Down
DROP TRIGGER audit_events_chain ON audit_events;
DROP FUNCTION audit_chain_first_broken();
DROP FUNCTION audit_event_content(audit_events);
ALTER TABLE audit_events RENAME TO audit_events_partitioned;
CREATE TABLE audit_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    user_id         bigint REFERENCES users (id),
    organization_id bigint REFERENCES organizations (id),
    action          text NOT NULL CHECK (btrim(action) <> ''),
    entity          text NOT NULL CHECK (btrim(entity) <> ''),
    entity_id       bigint,
    before          jsonb,
    after           jsonb,
    ip              text NOT NULL DEFAULT '',
    request_id      text NOT NULL DEFAULT '',
    prev_hash       bytea,
    hash            bytea
);
DROP INDEX audit_events_entity_idx, audit_events_user_at_idx, audit_events_org_at_idx, audit_events_at_idx, audit_events_candidate_moves_idx;
INSERT INTO audit_events OVERRIDING SYSTEM VALUE SELECT * FROM audit_events_partitioned ORDER BY id;
SELECT setval(pg_get_serial_sequence('audit_events', 'id'), coalesce((SELECT max(id) FROM audit_events), 0) + 1, false);
DROP TABLE audit_events_partitioned;
DROP TABLE audit_chain_head;
DROP FUNCTION audit_events_month_partitions(date, date);
CREATE INDEX audit_events_entity_idx ON audit_events (entity, entity_id);
CREATE INDEX audit_events_user_at_idx ON audit_events (user_id, at);
CREATE INDEX audit_events_org_at_idx ON audit_events (organization_id, at);
CREATE INDEX audit_events_at_idx ON audit_events (at);
CREATE INDEX audit_events_candidate_moves_idx ON audit_events (entity_id, at) WHERE entity = 'candidate' AND action = 'candidate.move';
-- +goose StatementBegin
CREATE FUNCTION audit_event_content(e audit_events) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT convert_to(concat_ws(E'\x1f', e.id::text, to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
        coalesce(e.user_id::text, ''), coalesce(e.organization_id::text, ''), e.action, e.entity, coalesce(e.entity_id::text, ''),
        coalesce(e.before::text, ''), coalesce(e.after::text, ''), e.ip, e.request_id), 'UTF8')
$$;
CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last bytea;
BEGIN
    PERFORM pg_advisory_xact_lock(7346281);
    NEW.id := nextval(pg_get_serial_sequence('audit_events', 'id'));
    SELECT hash INTO last FROM audit_events ORDER BY id DESC LIMIT 1;
    NEW.prev_hash := coalesce(last, '\x'::bytea);
    NEW.hash := sha256(NEW.prev_hash || audit_event_content(NEW));
    RETURN NEW;
END;
$$;
CREATE FUNCTION audit_chain_first_broken() RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT id FROM (
        SELECT e.id, e.hash, e.prev_hash, lag(e.hash) OVER (ORDER BY e.id) AS previous,
            sha256(e.prev_hash || audit_event_content(e)) AS expected
        FROM audit_events e) x
    WHERE x.hash IS DISTINCT FROM x.expected OR x.prev_hash IS DISTINCT FROM coalesce(x.previous, '\x'::bytea)
    ORDER BY x.id LIMIT 1
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_chain();
CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
