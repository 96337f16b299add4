-- The audit chain is extended after the events commit, not inside each
-- writer's transaction. Every audited write used to take the chain's lock at
-- its audit insert and hold it through its commit, so writes passed one at a
-- time (13 to 17 of 19 busy backends waited on that lock at 300 writes/s).
--
-- Now an event is written unchained (chain_seq, prev_hash and hash empty) in
-- its write's transaction, as before, with a row in audit_unlinked naming it
-- and its month's partition. A chainer (audit_chain_extend, run by every
-- instance a few times a second, one at a time under the chain's lock)
-- links the committed events in the order it finds them: chain_seq counts the
-- links, prev_hash is the previous link's hash. An unlinked event that is not
-- waiting in audit_unlinked is reported by the walk like a changed one.
-- The events chained before this migration keep their links in id order,
-- with no chain_seq; the walk takes them first. An event's chain columns
-- are written once, by the chainer; the rest of the event never changes.
--
-- A session that sets ketnap.audit_chain = 'inline' (the generator of large
-- test data) chains each event as it is inserted, under the lock, as before.
-- +goose Up
ALTER TABLE audit_events ADD COLUMN chain_seq bigint;
ALTER TABLE audit_chain_head ADD COLUMN seq bigint NOT NULL DEFAULT 0;
-- the events waiting for their link: a small table the chainer reads,
-- where looking for them among the months planned through every partition
CREATE TABLE audit_unlinked (
    id   bigint PRIMARY KEY,
    part regclass NOT NULL
);

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    h audit_chain_head;
BEGIN
    NEW.id := nextval('audit_event_ids');
    NEW.chain_seq := NULL;
    NEW.prev_hash := NULL;
    NEW.hash := NULL;
    IF current_setting('ketnap.audit_chain', true) = 'inline' THEN
        PERFORM pg_advisory_xact_lock(7346281);
        SELECT * INTO h FROM audit_chain_head;
        NEW.chain_seq := coalesce(h.seq, 0) + 1;
        NEW.prev_hash := coalesce(h.hash, '\x'::bytea);
        -- a partition's row has the partition's own type: the content reads it as the trail's
        NEW.hash := sha256(NEW.prev_hash || audit_event_content(ROW(NEW.*)::audit_events));
        INSERT INTO audit_chain_head (id, seq, hash) VALUES (NEW.id, NEW.chain_seq, NEW.hash)
            ON CONFLICT (one) DO UPDATE SET id = EXCLUDED.id, seq = EXCLUDED.seq, hash = EXCLUDED.hash;
    ELSE
        -- a row trigger of the trail fires on the month's partition the event goes to
        INSERT INTO audit_unlinked (id, part) VALUES (NEW.id, TG_RELID);
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
-- audit_chain_extend links up to batch committed unlinked events, a month's
-- partition after the other and in id order within each, and returns how
-- many. With wait false it returns 0 at once when another session holds the
-- chain's lock. Each month's links are written by one update of its
-- partition: an update through the whole trail probed every month for
-- each event.
CREATE FUNCTION audit_chain_extend(batch int, wait boolean) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    h audit_chain_head;
    p record;
    r record;
    s bigint;
    last bytea;
    lid bigint;
    ids bigint[];
    prevs bytea[];
    hashes bytea[];
    seqs bigint[];
    done bigint[] := '{}';
    k int;
    n int := 0;
BEGIN
    IF wait THEN
        PERFORM pg_advisory_xact_lock(7346281);
    ELSIF NOT pg_try_advisory_xact_lock(7346281) THEN
        RETURN 0;
    END IF;
    SELECT * INTO h FROM audit_chain_head;
    s := coalesce(h.seq, 0);
    last := coalesce(h.hash, '\x'::bytea);
    lid := h.id;
    FOR p IN SELECT u.part, array_agg(u.id ORDER BY u.id) AS ids
        FROM (SELECT * FROM audit_unlinked ORDER BY id LIMIT batch) u GROUP BY u.part ORDER BY min(u.id) LOOP
        ids := '{}'; prevs := '{}'; hashes := '{}'; seqs := '{}'; k := 0;
        FOR r IN EXECUTE format('SELECT e.id, audit_event_content(ROW(e.*)::audit_events) AS content FROM %s e
            WHERE e.id = ANY($1) AND e.hash IS NULL ORDER BY e.id', p.part) USING p.ids LOOP
            s := s + 1;
            k := k + 1;
            ids[k] := r.id;
            seqs[k] := s;
            prevs[k] := last;
            last := sha256(last || r.content);
            hashes[k] := last;
            lid := r.id;
        END LOOP;
        EXECUTE format('UPDATE %s a SET chain_seq = l.seq, prev_hash = l.prev, hash = l.hash
            FROM unnest($1, $2, $3, $4) AS l(id, seq, prev, hash) WHERE a.id = l.id', p.part)
            USING ids, seqs, prevs, hashes;
        done := done || p.ids;
        n := n + k;
    END LOOP;
    IF cardinality(done) = 0 THEN
        RETURN 0;
    END IF;
    DELETE FROM audit_unlinked WHERE id = ANY(done);
    IF n > 0 THEN
        INSERT INTO audit_chain_head (id, seq, hash) VALUES (lid, s, last)
            ON CONFLICT (one) DO UPDATE SET id = EXCLUDED.id, seq = EXCLUDED.seq, hash = EXCLUDED.hash;
    END IF;
    RETURN cardinality(done);
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
-- an event's update is refused, except the chainer's one writing of an
-- unchained event's links, which leaves the event itself as it was
CREATE FUNCTION audit_events_link_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.hash IS NULL AND OLD.prev_hash IS NULL AND OLD.chain_seq IS NULL
        AND NEW.hash IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.chain_seq IS NOT NULL
        AND NEW.id = OLD.id AND NEW.at = OLD.at
        AND audit_event_content(ROW(NEW.*)::audit_events) = audit_event_content(ROW(OLD.*)::audit_events) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd

DROP TRIGGER audit_events_no_update_delete ON audit_events;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_link_once();
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

-- +goose StatementBegin
-- the walk: the events linked before the chainer in id order, then the
-- chainer's links in their order; an event not yet linked is passed over
-- while it waits in audit_unlinked, and is the first broken otherwise
CREATE OR REPLACE FUNCTION audit_chain_first_broken() RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT id FROM (
            SELECT e.id, e.chain_seq, e.hash, e.prev_hash,
                lag(e.hash) OVER (ORDER BY e.chain_seq NULLS FIRST, e.id) AS previous,
                sha256(e.prev_hash || audit_event_content(e)) AS expected
            FROM audit_events e
            WHERE e.hash IS NOT NULL OR e.prev_hash IS NOT NULL OR e.chain_seq IS NOT NULL) x
        WHERE x.hash IS DISTINCT FROM x.expected OR x.prev_hash IS DISTINCT FROM coalesce(x.previous, '\x'::bytea)
        ORDER BY x.chain_seq NULLS FIRST, x.id LIMIT 1),
        (SELECT min(e.id) FROM audit_events e
         WHERE e.hash IS NULL AND e.prev_hash IS NULL AND e.chain_seq IS NULL
           AND NOT EXISTS (SELECT 1 FROM audit_unlinked u WHERE u.id = e.id)))
$$;
-- +goose StatementEnd

-- +goose Down
SELECT audit_chain_extend(2147483647, true);
DROP TRIGGER audit_events_no_update ON audit_events;
DROP TRIGGER audit_events_no_delete ON audit_events;
CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
DROP FUNCTION audit_events_link_once();
DROP FUNCTION audit_chain_extend(int, boolean);
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last bytea;
BEGIN
    PERFORM pg_advisory_xact_lock(7346281);
    NEW.id := nextval('audit_event_ids');
    SELECT hash INTO last FROM audit_chain_head;
    NEW.prev_hash := coalesce(last, '\x'::bytea);
    NEW.hash := sha256(NEW.prev_hash || audit_event_content(ROW(NEW.*)::audit_events));
    INSERT INTO audit_chain_head (id, hash) VALUES (NEW.id, NEW.hash)
        ON CONFLICT (one) DO UPDATE SET id = EXCLUDED.id, hash = EXCLUDED.hash;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
-- the walk in id order holds only while the chainer's order was the ids'
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION audit_chain_first_broken() RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT id FROM (
        SELECT e.id, e.hash, e.prev_hash, lag(e.hash) OVER (ORDER BY e.id) AS previous,
            sha256(e.prev_hash || audit_event_content(e)) AS expected
        FROM audit_events e) x
    WHERE x.hash IS DISTINCT FROM x.expected OR x.prev_hash IS DISTINCT FROM coalesce(x.previous, '\x'::bytea)
    ORDER BY x.id LIMIT 1
$$;
-- +goose StatementEnd
DROP TABLE audit_unlinked;
ALTER TABLE audit_chain_head DROP COLUMN seq;
ALTER TABLE audit_events DROP COLUMN chain_seq;
