-- The chain must follow the id order the check walks. An event's id was
-- taken before the trigger waited for the chain's lock, so two concurrent
-- writers could chain in the other order than their ids (found by a backup
-- taken during 20 writers). The id is now taken after the lock; the events
-- so far are chained again in id order (before this fix a break could only
-- come from that race: nothing runs in production yet).
-- +goose Up
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last bytea;
BEGIN
    -- one writer at a time extends the chain; the lock ends with the transaction
    PERFORM pg_advisory_xact_lock(7346281);
    NEW.id := nextval(pg_get_serial_sequence('audit_events', 'id'));
    SELECT hash INTO last FROM audit_events ORDER BY id DESC LIMIT 1;
    NEW.prev_hash := coalesce(last, '\x'::bytea);
    NEW.hash := sha256(NEW.prev_hash || audit_event_content(NEW));
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

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

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last bytea;
BEGIN
    PERFORM pg_advisory_xact_lock(7346281);
    SELECT hash INTO last FROM audit_events ORDER BY id DESC LIMIT 1;
    NEW.prev_hash := coalesce(last, '\x'::bytea);
    NEW.hash := sha256(NEW.prev_hash || audit_event_content(NEW));
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
