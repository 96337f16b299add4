-- +goose Up
-- An old month of the audit trail can be archived whole (ketnap audit
-- archive): its events are written to a file, the month's table is detached
-- and dropped, and this table keeps what the chain needs to go on: the hash
-- the month's first event continued and the hash of its last, with the
-- file's checksum. The walk of the chain then expects the first event left
-- to continue the last archive's hash, not an empty one. Archives are kept
-- like the trail: never changed, never deleted.
CREATE TABLE audit_archives (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    month           date NOT NULL UNIQUE,
    events          bigint NOT NULL,
    first_id        bigint,
    last_id         bigint,
    first_prev_hash bytea NOT NULL,
    last_hash       bytea NOT NULL,
    file_name       text NOT NULL,
    file_sha256     text NOT NULL,
    archived_at     timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER audit_archives_no_update_delete BEFORE UPDATE OR DELETE ON audit_archives
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_archives_no_truncate BEFORE TRUNCATE ON audit_archives
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- +goose StatementBegin
-- the walk: as before (migration 00024), the first link continuing the
-- last archive's hash when months were archived
CREATE OR REPLACE FUNCTION audit_chain_first_broken() RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT id FROM (
            SELECT e.id, e.chain_seq, e.hash, e.prev_hash,
                lag(e.hash) OVER (ORDER BY e.chain_seq NULLS FIRST, e.id) AS previous,
                sha256(e.prev_hash || audit_event_content(e)) AS expected
            FROM audit_events e
            WHERE e.hash IS NOT NULL OR e.prev_hash IS NOT NULL OR e.chain_seq IS NOT NULL) x
        WHERE x.hash IS DISTINCT FROM x.expected
           OR x.prev_hash IS DISTINCT FROM coalesce(x.previous, (SELECT a.last_hash FROM audit_archives a ORDER BY a.id DESC LIMIT 1), '\x'::bytea)
        ORDER BY x.chain_seq NULLS FIRST, x.id LIMIT 1),
        (SELECT min(e.id) FROM audit_events e
         WHERE e.hash IS NULL AND e.prev_hash IS NULL AND e.chain_seq IS NULL
           AND NOT EXISTS (SELECT 1 FROM audit_unlinked u WHERE u.id = e.id)))
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
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
DROP TABLE audit_archives;
