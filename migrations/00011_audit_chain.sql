-- A tamper-evident audit trail: each event carries the hash of its content
-- and of the previous event (one chain per deployment), set by the database
-- itself on insert. An event changed or deleted behind the application's
-- back (as a superuser, triggers disabled) breaks the chain at that point;
-- `ketnap audit verify` walks it and names the first broken link.
-- +goose Up
ALTER TABLE audit_events ADD COLUMN prev_hash bytea, ADD COLUMN hash bytea;

-- +goose StatementBegin
CREATE FUNCTION audit_event_content(e audit_events) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT convert_to(concat_ws(E'\x1f', e.id::text, to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
        coalesce(e.user_id::text, ''), coalesce(e.organization_id::text, ''), e.action, e.entity, coalesce(e.entity_id::text, ''),
        coalesce(e.before::text, ''), coalesce(e.after::text, ''), e.ip, e.request_id), 'UTF8')
$$;
CREATE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last bytea;
BEGIN
    -- one writer at a time extends the chain; the lock ends with the transaction
    PERFORM pg_advisory_xact_lock(7346281);
    SELECT hash INTO last FROM audit_events ORDER BY id DESC LIMIT 1;
    NEW.prev_hash := coalesce(last, '\x'::bytea);
    NEW.hash := sha256(NEW.prev_hash || audit_event_content(NEW));
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

-- the events so far, chained in order
ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete;
-- +goose StatementBegin
DO $$
DECLARE
    e audit_events;
    last bytea := '\x'::bytea;
BEGIN
    FOR e IN SELECT * FROM audit_events ORDER BY id LOOP
        UPDATE audit_events SET prev_hash = last, hash = sha256(last || audit_event_content(e)) WHERE id = e.id;
        last := sha256(last || audit_event_content(e));
    END LOOP;
END;
$$;
-- +goose StatementEnd
ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete;

CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_chain();

-- what the last verifications found
CREATE TABLE audit_verifications (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    events       bigint NOT NULL,
    first_broken bigint, -- NULL: the chain holds
    last_hash    bytea
);

-- +goose Down
DROP TABLE audit_verifications;
DROP TRIGGER audit_events_chain ON audit_events;
DROP FUNCTION audit_events_chain();
DROP FUNCTION audit_event_content(audit_events);
ALTER TABLE audit_events DROP COLUMN hash, DROP COLUMN prev_hash;
