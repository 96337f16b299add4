-- The audit chain's check as one database function, used by `ketnap audit
-- verify` and by the restore of a backup: the first event whose hash is not
-- its content's or whose link to the previous event is broken (an event
-- changed, or the one after an event deleted); NULL when the chain holds.
-- +goose Up
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

-- +goose Down
DROP FUNCTION audit_chain_first_broken();
